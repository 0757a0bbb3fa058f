using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Resilience;

/// <summary>Mosquitto running inside the broker namespace of a <see cref="NetworkNamespacePair"/>, listening on its veth address.</summary>
internal sealed class NamespacedMosquitto : IAsyncDisposable
{
    /// <summary>The MQTT port inside the namespace (the namespace has nothing else on it).</summary>
    public const int Port = 1883;

    private readonly Process _process;
    private readonly DirectoryInfo _directory;

    private NamespacedMosquitto(Process process, DirectoryInfo directory)
    {
        _process = process;
        _directory = directory;
    }

    /// <summary>Starts the broker and waits until a client-namespace socket can connect to it.</summary>
    public static async Task<NamespacedMosquitto> StartAsync(NetworkNamespacePair network)
    {
        var directory = Directory.CreateTempSubdirectory("smqtt-netns-mosquitto-");
        string config = Path.Combine(directory.FullName, "mosquitto.conf");
        await File.WriteAllLinesAsync(config,
        [
            string.Create(CultureInfo.InvariantCulture, $"listener {Port} {network.BrokerAddress}"),
            "allow_anonymous true",
            "user root",
        ]);
        // 'ip netns exec' execs the broker in place, so this process is Mosquitto itself and Kill ends it.
        var process = Process.Start(new ProcessStartInfo(ToolRequirements.IpPath, ["netns", "exec", network.BrokerNamespace, MosquittoBroker.ExecutablePath, "-c", config])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("Could not start Mosquitto in the namespace.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var broker = new NamespacedMosquitto(process, directory);
        try
        {
            await broker.WaitUntilAcceptingAsync(network);
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _directory.Delete(recursive: true);
    }

    private async Task WaitUntilAcceptingAsync(NetworkNamespacePair network)
    {
        using var bound = new CancellationTokenSource(LoopbackPorts.StartupBound);
        while (!_process.HasExited)
        {
            using var socket = network.CreateClientSocket();
            try
            {
                await socket.ConnectAsync(new IPEndPoint(network.BrokerAddress, Port), bound.Token);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(20, bound.Token);
            }
        }

        throw new InvalidOperationException($"Mosquitto exited in namespace {network.BrokerNamespace} with code {_process.ExitCode}.");
    }
}
