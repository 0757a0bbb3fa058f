using System.Globalization;
using System.Text;

namespace StateMachineMqtt.Cli.Commands;

/// <summary>
/// mosquitto_pub's <c>-D COMMAND IDENTIFIER VALUE</c> (MQTT 5 properties), for the packets smqtt lets a user shape: a
/// publish's message properties, the will's, and CONNECT's session expiry. <c>user-property</c> takes a name and a value.
/// </summary>
internal sealed class PropertyFlags
{
    private readonly Draft _publish = new();
    private readonly Draft _will = new();

    /// <summary>CONNECT's Session Expiry Interval in seconds (-D connect session-expiry-interval), the same as -x.</summary>
    public int? SessionExpirySeconds { get; private set; }

    /// <summary>The will's Will Delay Interval in seconds (-D will will-delay-interval).</summary>
    public int? WillDelaySeconds { get; private set; }

    /// <summary>True when any -D was given: they all need -V mqttv5.</summary>
    public bool Any { get; private set; }

    /// <summary>The properties for each publish; null when none was given.</summary>
    public MqttMessageProperties? Publish => _publish.Build();

    /// <summary>The will's message properties; null when none was given.</summary>
    public MqttMessageProperties? Will => _will.Build();

    /// <summary>Takes one -D: <paramref name="next"/> yields the command line's next value, or throws when there is none.</summary>
    public void Define(Func<string> next)
    {
        string command = next();
        string identifier = next();
        Any = true;
        switch (command)
        {
            case "publish":
                _publish.Set(identifier, next);
                break;
            case "will" when identifier == "will-delay-interval":
                WillDelaySeconds = Seconds(command, identifier, next(), min: 0);
                break;
            case "will":
                _will.Set(identifier, next);
                break;
            case "connect" when identifier == "session-expiry-interval":
                SessionExpirySeconds = Seconds(command, identifier, next(), min: 0);
                break;
            case "connect" or "subscribe" or "unsubscribe" or "disconnect" or "auth":
                throw new UsageException($"-D {command} {identifier}: smqtt does not set that property (yet). It takes -D publish ..., -D will ... and -D connect session-expiry-interval.");
            default:
                throw new UsageException($"-D wants a packet first (publish, will or connect), not '{command}'.");
        }
    }

    private static int Seconds(string command, string identifier, string value, int min)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < min)
        {
            throw new UsageException($"-D {command} {identifier} wants whole seconds from {min}, not '{value}'.");
        }

        return n;
    }

    /// <summary>One packet's message properties, as they are given.</summary>
    private sealed class Draft
    {
        private readonly List<MqttUserProperty> _userProperties = [];
        private MqttPayloadFormat _format;
        private int? _expiry;
        private string? _contentType;
        private string? _responseTopic;
        private byte[]? _correlation;
        private bool _any;

        public void Set(string identifier, Func<string> next)
        {
            _any = true;
            switch (identifier)
            {
                case "content-type": _contentType = next(); break;
                case "correlation-data": _correlation = Encoding.UTF8.GetBytes(next()); break;
                case "response-topic": _responseTopic = next(); break;
                case "message-expiry-interval": _expiry = Seconds("publish", identifier, next(), min: 1); break;
                case "payload-format-indicator":
                    _format = next() switch
                    {
                        "0" => MqttPayloadFormat.Unspecified,
                        "1" => MqttPayloadFormat.Utf8,
                        string v => throw new UsageException($"-D ... payload-format-indicator is 0 (bytes) or 1 (UTF-8), not '{v}'."),
                    };
                    break;
                case "user-property":
                    string name = next();
                    _userProperties.Add(new MqttUserProperty(name, next()));
                    break;
                case "topic-alias":
                    throw new UsageException("-D ... topic-alias: smqtt does not send topic aliases (yet).");
                default:
                    throw new UsageException($"-D: '{identifier}' is not a message property; say content-type, correlation-data, message-expiry-interval, payload-format-indicator, response-topic or user-property.");
            }
        }

        public MqttMessageProperties? Build() => !_any ? null : new MqttMessageProperties
        {
            PayloadFormat = _format,
            MessageExpiryInterval = _expiry is { } e ? TimeSpan.FromSeconds(e) : null,
            ContentType = _contentType,
            ResponseTopic = _responseTopic,
            CorrelationData = _correlation,
            UserProperties = [.. _userProperties],
        };
    }
}
