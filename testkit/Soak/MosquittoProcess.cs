using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace StateMachineMqtt.TestKit.Soak;

/// <summary>
/// The installed Mosquitto 2 started on a free 127.0.0.1 port with a generated configuration: persistence on, saved every
/// second (so a SIGKILL loses at most about a second of broker state), a deep offline queue. Its directory is deleted on dispose.
/// </summary>
public sealed class MosquittoProcess : ISoakBroker, IAsyncDisposable
{
    /// <summary>Where the Debian/Ubuntu package installs the broker.</summary>
    public const string ExecutablePath = "/usr/sbin/mosquitto";

    private static readonly TimeSpan StartupBound = TimeSpan.FromSeconds(10);
    private readonly DirectoryInfo _directory;
    private readonly Lock _gate = new();
    private Process? _process;
    private bool _disposed;

    private MosquittoProcess(DirectoryInfo directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    /// <inheritdoc />
    public int Port { get; }

    /// <summary>Starts Mosquitto on a free port.</summary>
    /// <exception cref="InvalidOperationException">It is not installed or did not start (the message says which, with its log).</exception>
    public static async Task<MosquittoProcess> StartAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Mosquitto is not installed at {ExecutablePath}: install the 'mosquitto' package (apt-get install mosquitto).");
        }

        var broker = new MosquittoProcess(Directory.CreateTempSubdirectory("smqtt-chaos-"), FreePort());
        try
        {
            await broker.RestartAsync(cancellationToken).ConfigureAwait(false);
            return broker;
        }
        catch
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await KillAsync().ConfigureAwait(false);
        _process?.Dispose();
        string config = Path.Combine(_directory.FullName, "mosquitto.conf");
        await File.WriteAllLinesAsync(config, Configuration(), cancellationToken).ConfigureAwait(false);
        var start = new ProcessStartInfo(ExecutablePath, ["-c", config])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory.FullName,
        };
        Process process;
        lock (_gate)
        {
            // A restart racing the end of a run must not leave a broker nobody will kill.
            ObjectDisposedException.ThrowIf(_disposed, this);
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {ExecutablePath}.");
            _process = process;
        }

        process.OutputDataReceived += (_, _) => { }; // drained so a chatty broker never blocks on a full pipe
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long started = Stopwatch.GetTimestamp();
        while (!await AcceptsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (process.HasExited || Stopwatch.GetElapsedTime(started) > StartupBound)
            {
                await KillAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"Mosquitto did not start on 127.0.0.1:{Port}. Its log:{Environment.NewLine}{ReadLog()}");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Kills the broker and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        await KillAsync().ConfigureAwait(false);
        _process?.Dispose();
        _process = null;
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp directory is harmless
        }
    }

    private string[] Configuration()
    {
        string directory = _directory.FullName;
        return
        [
            string.Create(CultureInfo.InvariantCulture, $"listener {Port} 127.0.0.1"),
            "allow_anonymous true",
            "persistence true",
            $"persistence_location {directory}/",
            "persistence_file mosquitto.db",
            "autosave_interval 1",
            "user root", // as root Mosquitto would switch to 'mosquitto', who cannot write the temp directory
            "max_queued_messages 1000000",
            "max_inflight_messages 20",
            $"log_dest file {directory}/mosquitto.log",
            "connection_messages true",
        ];
    }

    private string ReadLog()
    {
        string file = Path.Combine(_directory.FullName, "mosquitto.log");
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private async Task<bool> AcceptsAsync(CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, Port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
