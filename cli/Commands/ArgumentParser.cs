using StateMachineMqtt.Cli.Commands.Format;
using StateMachineMqtt.Spec;
using System.Globalization;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.Cli.Commands;

/// <summary>
/// Parses <c>smqtt pub|sub|diagrams|demo|chaos [flags]</c>. Flags follow mosquitto_pub / mosquitto_sub, so -h is the host and
/// help is <c>--help</c>. Each flag is accepted only by the commands it means something to.
/// </summary>
internal static class ArgumentParser
{
    private const string Pub = "pub";
    private const string Sub = "sub";
    private const string Diagrams = "diagrams";
    private const string Demo = "demo";
    private const string Chaos = "chaos";
    private const string Bench = "bench";

    private static readonly string[] PubSub = [Pub, Sub];
    private static readonly string[] PubOnly = [Pub];
    private static readonly string[] SubOnly = [Sub];

    /// <summary>
    /// Every option the parser takes, with the commands that take it: the one list <c>--help</c> is checked against
    /// (a flag missing here is "Unknown option"; a flag here that <see cref="Parse"/> does not handle is a bug).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> Flags = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["-h"] = PubSub, ["-p"] = PubSub, ["-t"] = PubSub, ["-q"] = PubSub, ["-i"] = PubSub, ["-k"] = PubSub,
        ["--connect-timeout"] = PubSub, ["-u"] = PubSub, ["-P"] = PubSub, ["-c"] = PubSub, ["-V"] = PubSub, ["-x"] = PubSub,
        ["-D"] = PubSub, ["-d"] = PubSub, ["--json"] = PubSub,
        ["--will-topic"] = PubSub, ["--will-payload"] = PubSub, ["--will-qos"] = PubSub, ["--will-retain"] = PubSub,
        ["--cafile"] = PubSub, ["--cert"] = PubSub, ["--key"] = PubSub,
        ["--servers"] = PubSub,
        ["--capath"] = PubSub, ["--insecure"] = PubSub, ["--tls-version"] = PubSub,
        ["--store"] = PubSub,
        ["-m"] = PubOnly, ["-f"] = PubOnly, ["-s"] = PubOnly, ["-n"] = PubOnly, ["-l"] = PubOnly, ["-r"] = PubOnly,
        ["--repeat"] = PubOnly, ["--repeat-delay"] = PubOnly,
        ["-C"] = SubOnly, ["-F"] = SubOnly, ["-v"] = SubOnly, ["-N"] = SubOnly, ["-R"] = SubOnly, ["-T"] = SubOnly,
        ["-U"] = SubOnly, ["-E"] = SubOnly, ["-W"] = SubOnly,
        ["--out"] = [Diagrams, Chaos], ["--broker"] = [Demo],
        ["--minutes"] = [Chaos], ["--messages"] = [Chaos, Bench], ["--seed"] = [Chaos], ["--rate"] = [Chaos], ["--compare"] = [Chaos],
        ["--quick"] = [Bench],
    };

    /// <summary>Parses <paramref name="args"/>; throws <see cref="UsageException"/> naming the first problem.</summary>
    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new UsageException("No command given: say pub, sub, diagrams, demo or chaos.");
        }

        string name = args[0];
        CliCommand command = name switch
        {
            Pub => CliCommand.Pub,
            Sub => CliCommand.Sub,
            Diagrams => CliCommand.Diagrams,
            Demo => CliCommand.Demo,
            Chaos => CliCommand.Chaos,
            Bench => CliCommand.Bench,
            "--help" or "help" or "-?" => CliCommand.Help,
            _ => throw new UsageException($"Unknown command '{name}': say pub, sub, diagrams, demo, chaos or bench."),
        };

        var result = new CliArguments { Command = command };
        var topics = new List<string>();
        var properties = new PropertyFlags();
        var will = new WillFlags();
        var filterOuts = new List<string>();
        var unsubscribes = new List<string>();
        for (int i = 1; i < args.Count; i++)
        {
            string flag = args[i];
            if (flag == "--help")
            {
                return new CliArguments { Command = CliCommand.Help };
            }

            string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{flag} needs a value.");
            if (command == CliCommand.Help)
            {
                throw new UsageException($"Unexpected '{flag}' after --help.");
            }

            if (!Flags.TryGetValue(flag, out string[]? takers))
            {
                throw new UsageException($"Unknown option '{flag}' for '{name}'.");
            }

            if (!takers.Contains(name))
            {
                throw new UsageException($"{flag} is not an option of '{name}'.");
            }

            switch (flag)
            {
                case "-h": result = result with { Host = NonEmpty(flag, Value()) }; break;
                case "-p": result = result with { Port = Integer(flag, Value(), 1, 65535) }; break;
                case "--servers": result = result with { Servers = ServerList(flag, Value()) }; break;
                case "-t": topics.Add(NonEmpty(flag, Value())); break;
                case "-m": result = result with { Message = Value() }; break;
                case "-f": result = result with { MessageFile = NonEmpty(flag, Value()) }; break;
                case "-s": result = result with { StdinWhole = true }; break;
                case "-n": result = result with { NullMessage = true }; break;
                case "-l": result = result with { StdinLines = true }; break;
                case "--repeat": result = result with { Repeat = Integer(flag, Value(), 1, int.MaxValue) }; break;
                case "--repeat-delay": result = result with { RepeatDelay = Seconds(flag, Value()) }; break;
                case "-q": result = result with { QualityOfService = (MqttQualityOfService)Integer(flag, Value(), 0, 2) }; break;
                case "-r": result = result with { Retain = true }; break;
                case "-i": result = result with { ClientId = NonEmpty(flag, Value()) }; break;
                case "-k": result = result with { KeepAliveSeconds = Integer(flag, Value(), 0, 65535) }; break;
                case "--connect-timeout": result = result with { ConnectTimeoutSeconds = Integer(flag, Value(), 0, 86_400) }; break;
                case "-u": result = result with { UserName = Value() }; break;
                case "-P": result = result with { Password = Value() }; break;
                case "-c": result = result with { PersistentSession = true }; break;
                case "-V": result = result with { ProtocolVersion = Version(flag, Value()) }; break;
                case "-x": result = result with { SessionExpirySeconds = Integer(flag, Value(), 0, int.MaxValue) }; break;
                case "-d": result = result with { Debug = true }; break;
                case "--json": result = result with { Json = true }; break;
                case "-C": result = result with { Count = Integer(flag, Value(), 1, int.MaxValue) }; break;
                case "-D": properties.Define(Value); break;
                case "-F": result = result with { Format = MessageFormatter.Validate(Value()) }; break;
                case "-N": result = result with { NoNewline = true }; break;
                case "-R": result = result with { NoStaleRetained = true }; break;
                case "-T": filterOuts.Add(NonEmpty(flag, Value())); break;
                case "-U": unsubscribes.Add(NonEmpty(flag, Value())); break;
                case "-E": result = result with { ExitWhenSubscribed = true }; break;
                case "-W": result = result with { TimeoutSeconds = Integer(flag, Value(), 1, int.MaxValue) }; break;
                case "--will-topic": will.Topic = NonEmpty(flag, Value()); break;
                case "--will-payload": will.Payload = Value(); break;
                case "--will-qos": will.QualityOfService = (MqttQualityOfService)Integer(flag, Value(), 0, 2); break;
                case "--will-retain": will.Retain = true; break;
                case "-v": result = result with { Verbose = true }; break;
                case "--cafile": result = result with { CaFile = NonEmpty(flag, Value()) }; break;
                case "--cert": result = result with { CertFile = NonEmpty(flag, Value()) }; break;
                case "--key": result = result with { KeyFile = NonEmpty(flag, Value()) }; break;
                case "--capath": result = result with { CaPath = NonEmpty(flag, Value()) }; break;
                case "--insecure": result = result with { Insecure = true }; break;
                case "--tls-version": result = result with { TlsVersion = TlsVersion(flag, Value()) }; break;
                case "--store": result = result with { StoreDirectory = NonEmpty(flag, Value()) }; break;
                case "--out": result = result with { OutDirectory = NonEmpty(flag, Value()) }; break;
                case "--broker": result = result with { Broker = HostPort(flag, Value()) }; break;
                case "--minutes": result = result with { Minutes = Integer(flag, Value(), 1, 24 * 60) }; break;
                case "--messages": result = result with { Messages = Integer(flag, Value(), 1, int.MaxValue) }; break;
                case "--seed": result = result with { Seed = Integer(flag, Value(), 0, int.MaxValue) }; break;
                case "--rate": result = result with { Rate = Integer(flag, Value(), 1, 100_000) }; break;
                case "--compare": result = result with { Compare = true }; break;
                case "--quick": result = result with { Quick = true }; break;
                default:
                    // In Flags but not handled above: a programming error, caught by ArgumentParserTableTests.
                    throw new InvalidOperationException($"smqtt does not handle its own option '{flag}'.");
            }
        }

        if (properties.Any && result.ProtocolVersion != MqttProtocolVersion.V500)
        {
            throw new UsageException("-D (MQTT 5 properties) needs -V mqttv5.");
        }

        if (properties.SessionExpirySeconds is { } expiry)
        {
            result = result with { SessionExpirySeconds = expiry };
        }

        return Validate(result with
        {
            Topics = topics,
            FilterOuts = filterOuts,
            Unsubscribes = unsubscribes,
            PublishProperties = properties.Publish,
            Will = will.Build(properties.Will, properties.WillDelaySeconds),
        });
    }

    /// <summary>mosquitto_pub's -V values: mqttv311 (or 311) and mqttv5 (or 5); MQTT 3.1 is not spoken.</summary>
    private static MqttProtocolVersion Version(string flag, string value) => value switch
    {
        "mqttv311" or "311" => MqttProtocolVersion.V311,
        "mqttv5" or "5" => MqttProtocolVersion.V500,
        "mqttv31" or "31" => throw new UsageException($"{flag} {value}: MQTT 3.1 is not supported; use mqttv311 or mqttv5."),
        _ => throw new UsageException($"{flag} must be mqttv311 or mqttv5, not '{value}'."),
    };

    /// <summary>mosquitto_pub's --tls-version values that TLS 1.2 or later allows; tlsv1.1 is refused as unsafe.</summary>
    private static StateMachineMqtt.Transport.MqttTlsVersion TlsVersion(string flag, string value) => value switch
    {
        "tlsv1.2" => StateMachineMqtt.Transport.MqttTlsVersion.Tls12,
        "tlsv1.3" => StateMachineMqtt.Transport.MqttTlsVersion.Tls13,
        "tlsv1.1" or "tlsv1" => throw new UsageException($"{flag} {value}: TLS older than 1.2 is not supported; use tlsv1.2 or tlsv1.3."),
        _ => throw new UsageException($"{flag} must be tlsv1.2 or tlsv1.3, not '{value}'."),
    };

    private static CliArguments Validate(CliArguments a)
    {
        if (a.SessionExpirySeconds is not null && a.ProtocolVersion != MqttProtocolVersion.V500)
        {
            throw new UsageException("-x (session expiry) is an MQTT 5 option: add -V mqttv5.");
        }

        switch (a.Command)
        {
            case CliCommand.Pub:
                if (a.Topics.Count != 1)
                {
                    throw new UsageException(a.Topics.Count == 0 ? "pub needs a topic: -t TOPIC." : "pub takes exactly one -t TOPIC.");
                }

                int sources = (a.Message is null ? 0 : 1) + (a.MessageFile is null ? 0 : 1) + (a.StdinWhole ? 1 : 0) + (a.NullMessage ? 1 : 0) + (a.StdinLines ? 1 : 0);
                if (sources != 1)
                {
                    throw new UsageException("pub needs exactly one message source: -m MESSAGE, -f FILE, -s (all of stdin), -n (an empty message) or -l (one message per stdin line); "
                        + (sources == 0 ? "none was given." : $"{sources} were given."));
                }

                if (a.StdinLines && (a.Repeat != 1 || a.RepeatDelay != TimeSpan.Zero))
                {
                    throw new UsageException("--repeat and --repeat-delay repeat one message; with -l each stdin line is already its own message.");
                }

                if (a.RepeatDelay != TimeSpan.Zero && a.Repeat == 1)
                {
                    throw new UsageException("--repeat-delay is the pause between repeats: add --repeat N (N > 1).");
                }

                if (a.Topics[0].Contains('+', StringComparison.Ordinal) || a.Topics[0].Contains('#', StringComparison.Ordinal))
                {
                    throw new UsageException($"'{a.Topics[0]}' contains a wildcard (+ or #); a publish needs a plain topic name.");
                }

                // Everything the client would refuse is refused here, before connecting, in the command line's words.
                Checked(() => TopicValidation.EnsureTopicName(a.Topics[0], "-t"));

                break;
            case CliCommand.Sub:
                if (a.Topics.Count == 0 && a.Unsubscribes.Count == 0)
                {
                    throw new UsageException("sub needs at least one topic filter: -t FILTER (repeat -t for more), or -U FILTER to unsubscribe.");
                }

                foreach (string filter in a.Topics)
                {
                    Checked(() => TopicValidation.EnsureTopicFilter(filter, "-t"));
                }

                foreach (string filter in a.FilterOuts)
                {
                    Checked(() => TopicValidation.EnsureTopicFilter(filter, "-T"), "-T: ");
                }

                foreach (string filter in a.Unsubscribes)
                {
                    Checked(() => TopicValidation.EnsureTopicFilter(filter, "-U"), "-U: ");
                }

                if (a.Json && (a.Format is not null || a.Verbose))
                {
                    throw new UsageException("--json prints every field already; leave out -F and -v.");
                }

                break;
            default:
                return a;
        }

        if (a.PublishProperties is not null && a.Command != CliCommand.Pub)
        {
            throw new UsageException("-D publish ... sets the properties of what pub sends; sub publishes nothing.");
        }

        if (a.Will is { } w)
        {
            Checked(() => TopicValidation.EnsureTopicName(w.Topic, "--will-topic"));
        }

        if (a.PersistentSession && a.ClientId is null)
        {
            throw new UsageException("-c (keep the session) needs a fixed client id: add -i ID.");
        }

        if (a.Password is not null && a.UserName is null)
        {
            throw new UsageException("-P (password) needs -u (user name) too.");
        }

        if ((a.CertFile is null) != (a.KeyFile is null))
        {
            throw new UsageException("--cert and --key go together: give both, or neither.");
        }

        if ((a.Insecure || a.TlsVersion is not null) && !a.UsesTls)
        {
            throw new UsageException($"{(a.Insecure ? "--insecure" : "--tls-version")} applies to TLS: add --cafile FILE or --capath DIR to connect over TLS.");
        }

        return a;
    }

    /// <summary>Runs one of the client's own checks; its ArgumentException becomes a usage error, worded without .NET's parameter suffix.</summary>
    private static void Checked(Action check, string prefix = "")
    {
        try
        {
            check();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(prefix + UsageException.Plain(e), e);
        }
    }

    /// <summary>mosquitto_pub's --repeat-delay: seconds, fractions allowed (0.5).</summary>
    private static TimeSpan Seconds(string flag, string value)
    {
        if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double s) || s > 86_400)
        {
            throw new UsageException($"{flag} wants seconds from 0 to 86400 (fractions allowed, e.g. 0.5), not '{value}'.");
        }

        return TimeSpan.FromSeconds(s);
    }

    private static string NonEmpty(string flag, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new UsageException($"{flag} needs a non-empty value.") : value;

    private static int Integer(string flag, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
        {
            throw new UsageException($"{flag} wants a whole number from {min} to {max}, not '{value}'.");
        }

        return n;
    }

    /// <summary>--servers: a comma-separated failover list of host:port, ws://host:port/path or wss://host:port/path.</summary>
    private static MqttServerEndpoint[] ServerList(string flag, string value)
    {
        string[] parts = value.Split(',', StringSplitOptions.TrimEntries);
        var servers = new MqttServerEndpoint[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            try
            {
                servers[i] = MqttServerEndpoint.Parse(parts[i]);
            }
            catch (FormatException e)
            {
                throw new UsageException($"{flag} wants host:port,host:port (or ws://host:port/path, wss://...): {e.Message}");
            }
        }

        return servers;
    }

    private static string HostPort(string flag, string value)
    {
        int colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new UsageException($"{flag} wants HOST:PORT, e.g. localhost:1883, not '{value}'.");
        }

        return value;
    }
}
