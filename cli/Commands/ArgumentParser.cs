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
            "--help" or "help" or "-?" => CliCommand.Help,
            _ => throw new UsageException($"Unknown command '{name}': say pub, sub, diagrams, demo or chaos."),
        };

        var result = new CliArguments { Command = command };
        var topics = new List<string>();
        var properties = new PropertyFlags();
        var will = new WillFlags();
        for (int i = 1; i < args.Count; i++)
        {
            string flag = args[i];
            if (flag == "--help")
            {
                return new CliArguments { Command = CliCommand.Help };
            }

            string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{flag} needs a value.");
            void Only(params string[] commands)
            {
                if (!commands.Contains(name))
                {
                    throw new UsageException($"{flag} is not an option of '{name}'.");
                }
            }

            switch (flag)
            {
                case "-h": Only(Pub, Sub); result = result with { Host = NonEmpty(flag, Value()) }; break;
                case "-p": Only(Pub, Sub); result = result with { Port = Integer(flag, Value(), 1, 65535) }; break;
                case "-t": Only(Pub, Sub); topics.Add(NonEmpty(flag, Value())); break;
                case "-m": Only(Pub); result = result with { Message = Value() }; break;
                case "-l": Only(Pub); result = result with { StdinLines = true }; break;
                case "-q": Only(Pub, Sub); result = result with { QualityOfService = (MqttQualityOfService)Integer(flag, Value(), 0, 2) }; break;
                case "-r": Only(Pub); result = result with { Retain = true }; break;
                case "-i": Only(Pub, Sub); result = result with { ClientId = NonEmpty(flag, Value()) }; break;
                case "-k": Only(Pub, Sub); result = result with { KeepAliveSeconds = Integer(flag, Value(), 0, 65535) }; break;
                case "--connect-timeout": Only(Pub, Sub); result = result with { ConnectTimeoutSeconds = Integer(flag, Value(), 0, 86_400) }; break;
                case "-u": Only(Pub, Sub); result = result with { UserName = Value() }; break;
                case "-P": Only(Pub, Sub); result = result with { Password = Value() }; break;
                case "-c": Only(Pub, Sub); result = result with { PersistentSession = true }; break;
                case "-V": Only(Pub, Sub); result = result with { ProtocolVersion = Version(flag, Value()) }; break;
                case "-x": Only(Pub, Sub); result = result with { SessionExpirySeconds = Integer(flag, Value(), 0, int.MaxValue) }; break;
                case "-C": Only(Sub); result = result with { Count = Integer(flag, Value(), 1, int.MaxValue) }; break;
                case "-D": Only(Pub, Sub); properties.Define(Value); break;
                case "-F": Only(Sub); result = result with { Format = MessageFormatter.Validate(Value()) }; break;
                case "--will-topic": Only(Pub, Sub); will.Topic = NonEmpty(flag, Value()); break;
                case "--will-payload": Only(Pub, Sub); will.Payload = Value(); break;
                case "--will-qos": Only(Pub, Sub); will.QualityOfService = (MqttQualityOfService)Integer(flag, Value(), 0, 2); break;
                case "--will-retain": Only(Pub, Sub); will.Retain = true; break;
                case "-v": Only(Sub); result = result with { Verbose = true }; break;
                case "--cafile": Only(Pub, Sub); result = result with { CaFile = NonEmpty(flag, Value()) }; break;
                case "--cert": Only(Pub, Sub); result = result with { CertFile = NonEmpty(flag, Value()) }; break;
                case "--key": Only(Pub, Sub); result = result with { KeyFile = NonEmpty(flag, Value()) }; break;
                case "--out": Only(Diagrams, Chaos); result = result with { OutDirectory = NonEmpty(flag, Value()) }; break;
                case "--broker": Only(Demo); result = result with { Broker = HostPort(flag, Value()) }; break;
                case "--minutes": Only(Chaos); result = result with { Minutes = Integer(flag, Value(), 1, 24 * 60) }; break;
                case "--messages": Only(Chaos); result = result with { Messages = Integer(flag, Value(), 1, int.MaxValue) }; break;
                case "--seed": Only(Chaos); result = result with { Seed = Integer(flag, Value(), 0, int.MaxValue) }; break;
                case "--rate": Only(Chaos); result = result with { Rate = Integer(flag, Value(), 1, 100_000) }; break;
                case "--compare": Only(Chaos); result = result with { Compare = true }; break;
                default:
                    throw new UsageException(command == CliCommand.Help
                        ? $"Unexpected '{flag}' after --help."
                        : $"Unknown option '{flag}' for '{name}'.");
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

                if ((a.Message is null) == !a.StdinLines)
                {
                    throw new UsageException("pub needs exactly one message source: -m MESSAGE, or -l to read lines from stdin.");
                }

                if (a.Topics[0].Contains('+', StringComparison.Ordinal) || a.Topics[0].Contains('#', StringComparison.Ordinal))
                {
                    throw new UsageException($"'{a.Topics[0]}' contains a wildcard (+ or #); a publish needs a plain topic name.");
                }

                // Everything the client would refuse is refused here, before connecting, in the command line's words.
                Checked(() => TopicValidation.EnsureTopicName(a.Topics[0], "-t"));

                break;
            case CliCommand.Sub:
                if (a.Topics.Count == 0)
                {
                    throw new UsageException("sub needs at least one topic filter: -t FILTER (repeat -t for more).");
                }

                foreach (string filter in a.Topics)
                {
                    Checked(() => TopicValidation.EnsureTopicFilter(filter, "-t"));
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

        return a;
    }

    /// <summary>Runs one of the client's own checks; its ArgumentException becomes a usage error, worded without .NET's parameter suffix.</summary>
    private static void Checked(Action check)
    {
        try
        {
            check();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(UsageException.Plain(e), e);
        }
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
