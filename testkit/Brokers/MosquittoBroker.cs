using System.Diagnostics;
using System.Globalization;
using System.Text;
using StateMachineMqtt.TestKit.Soak;

namespace StateMachineMqtt.TestKit.Brokers;

/// <summary>
/// A real Mosquitto broker on a free 127.0.0.1 port, with its configuration, persistence file and log in a
/// temporary directory. <see cref="StopAsync"/> (SIGTERM) lets Mosquitto save its sessions, so a
/// <see cref="RestartAsync"/> afterwards finds them; <see cref="KillAsync"/> (SIGKILL) is a crash: whatever was
/// not yet saved is gone, as on a real broker that loses power. The one Mosquitto launcher: the tests' fixture, and the
/// broker smqtt chaos crashes (<see cref="ISoakBroker"/>).
/// </summary>
public sealed partial class MosquittoBroker : ISoakBroker, IAsyncDisposable
{
    /// <summary>Where the Debian/Ubuntu package installs the broker.</summary>
    public const string ExecutablePath = "/usr/sbin/mosquitto";

    private const int MaxQueuedMessages = 100_000;
    private string[] _extraConfiguration = [];
    private IReadOnlyDictionary<string, string> _environment = new Dictionary<string, string>();
    private const int PortAttempts = 3;

    private readonly DirectoryInfo _directory;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private MosquittoBroker(DirectoryInfo directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    /// <summary>The loopback port the broker listens on; it stays the same across restarts.</summary>
    public int Port { get; private set; }

    /// <summary>The configuration file the broker was last started with.</summary>
    public string ConfigurationPath => Path.Combine(_directory.FullName, "mosquitto.conf");

    /// <summary>True while the broker process is alive.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The broker's log so far (connections, errors), for test failure messages.</summary>
    public string Log
    {
        get
        {
            string file = Path.Combine(_directory.FullName, "mosquitto.log");
            string log = File.Exists(file) ? ReadShared(file) : string.Empty;
            lock (_output)
            {
                return log + _output;
            }
        }
    }

    /// <summary>
    /// Starts a broker for a soak that SIGKILLs it: sessions saved every second (so a crash loses at most about a second of
    /// them), a deep queue for a subscriber that is offline, and the C client's in-flight window of 20.
    /// </summary>
    public static Task<MosquittoBroker> StartForSoakAsync(CancellationToken cancellationToken) =>
        StartAsync(["autosave_interval 1", "max_queued_messages 1000000", "max_inflight_messages 20"], null, cancellationToken);

    /// <summary>Starts a broker on a free port and returns once it accepts connections.</summary>
    /// <exception cref="InvalidOperationException">Mosquitto is not installed, or did not start (the message holds its log).</exception>
    public static async Task<MosquittoBroker> StartAsync(CancellationToken cancellationToken = default) =>
        await StartAsync([], null, cancellationToken).ConfigureAwait(false);

    /// <summary>Starts a broker with <paramref name="extraConfiguration"/> lines added to its configuration.</summary>
    /// <remarks>
    /// A line may name a file in the broker's directory as <c>{dir}</c>; <paramref name="files"/> are written there first.
    /// A line that sets an option the defaults set (e.g. <c>max_queued_messages</c>) replaces the default.
    /// </remarks>
    public static Task<MosquittoBroker> StartAsync(IReadOnlyList<string> extraConfiguration, IReadOnlyDictionary<string, string>? files, CancellationToken cancellationToken = default) =>
        StartAsync(extraConfiguration, files, new Dictionary<string, string>(), cancellationToken);

    /// <summary>As <see cref="StartAsync(IReadOnlyList{string}, IReadOnlyDictionary{string, string}?, CancellationToken)"/>, with environment variables for the broker process (<c>{dir}</c> allowed in values).</summary>
    private static async Task<MosquittoBroker> StartAsync(IReadOnlyList<string> extraConfiguration, IReadOnlyDictionary<string, string>? files, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Mosquitto is not installed at {ExecutablePath}: apt-get install mosquitto.");
        }

        DirectoryInfo directory = Directory.CreateTempSubdirectory("smqtt-mosquitto-");
        var broker = new MosquittoBroker(directory, LoopbackPorts.FindFree());
        broker._environment = environment;
        broker._extraConfiguration = [.. extraConfiguration.Select(line => line.Replace("{dir}", directory.FullName, StringComparison.Ordinal))];
        foreach ((string name, string text) in files ?? new Dictionary<string, string>())
        {
            File.WriteAllText(Path.Combine(directory.FullName, name), text);
        }

        try
        {
            // The free port can be taken between probing and binding; another port then usually works.
            for (int attempt = 1; ; attempt++)
            {
                if (await broker.TryStartAsync(cancellationToken).ConfigureAwait(false))
                {
                    return broker;
                }

                if (attempt == PortAttempts)
                {
                    throw new InvalidOperationException(
                        $"Mosquitto did not start listening on 127.0.0.1:{broker.Port} within {LoopbackPorts.StartupBound.TotalSeconds} s. Its log:\n{broker.Log}");
                }

                broker.Port = LoopbackPorts.FindFree();
            }
        }
        catch
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Crashes the broker (SIGKILL): open connections are reset, unsaved sessions are lost.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops the broker the polite way (SIGTERM): it closes connections and saves its sessions.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        if (NativeMethods.Kill(process.Id, NativeMethods.SigTerm) != 0)
        {
            process.Kill();
        }

        using var bound = new CancellationTokenSource(LoopbackPorts.StartupBound);
        try
        {
            await process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Starts the broker again on the same port with the same persistence directory (stopping it first if it runs).</summary>
    /// <exception cref="InvalidOperationException">The broker did not come back (the message holds its log).</exception>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync().ConfigureAwait(false);
        if (!await TryStartAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException(
                $"Mosquitto did not restart on 127.0.0.1:{Port} within {LoopbackPorts.StartupBound.TotalSeconds} s. Its log:\n{Log}");
        }
    }

    /// <summary>Kills the broker and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        _process?.Dispose();
        _process = null;
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; failing the test run for it is not.
        }
    }

    private async Task<bool> TryStartAsync(CancellationToken cancellationToken)
    {
        _process?.Dispose();
        string configFile = WriteConfiguration();
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(ExecutablePath, ["-c", configFile])
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = _directory.FullName,
            },
        };
        foreach ((string name, string value) in _environment)
        {
            process.StartInfo.Environment[name] = value.Replace("{dir}", _directory.FullName, StringComparison.Ordinal);
        }

        // Drained continuously so a chatty broker never blocks on a full pipe.
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        if (await LoopbackPorts.WaitUntilAcceptingAsync(Port, () => !process.HasExited, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        await KillAsync().ConfigureAwait(false);
        return false;
    }

    private string WriteConfiguration()
    {
        string directory = _directory.FullName;
        string configFile = ConfigurationPath;
        string[] defaults =
        [
            string.Create(CultureInfo.InvariantCulture, $"listener {Port} 127.0.0.1"),
            "allow_anonymous true",
            "persistence true",
            $"persistence_location {directory}/",
            "persistence_file mosquitto.db",
            // Mosquitto started as root would switch to user 'mosquitto', which cannot write the temp directory.
            "user root",
            string.Create(CultureInfo.InvariantCulture, $"max_queued_messages {MaxQueuedMessages}"),
            $"log_dest file {directory}/mosquitto.log",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
            "connection_messages true",
        ];
        // log_type and listener lines add up; any other option an extra line sets replaces its default.
        string[] lines =
        [
            .. defaults.Where(line => line.StartsWith("log_type ", StringComparison.Ordinal) || line.StartsWith("listener ", StringComparison.Ordinal) || !_extraConfiguration.Any(extra => Option(extra) == Option(line))),
            .. _extraConfiguration,
        ];
        File.WriteAllLines(configFile, lines);
        return configFile;
    }

    private static string Option(string line) => line.Split(' ', 2)[0];

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string ReadShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
