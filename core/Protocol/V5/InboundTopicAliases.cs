using System.Globalization;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.Protocol.V5;

/// <summary>
/// The Topic Aliases a broker set on one MQTT 5 link [MQTT-3.3.2.3.4]: a PUBLISH with an alias and a topic sets it, one
/// with an alias and an empty topic stands for that topic. They live and die with the link. An alias of 0, above the
/// maximum this client gave in CONNECT (0: it takes none), or unknown, is a protocol error: the link closes.
/// </summary>
internal sealed class InboundTopicAliases(int maximum)
{
    private readonly Dictionary<ushort, string> _topics = [];

    /// <summary><paramref name="publish"/> with its topic filled in from its alias, or as it is when it has none.</summary>
    public PublishPacket Resolve(PublishPacket publish)
    {
        if (publish.Properties?.TopicAlias is not { } alias)
        {
            return publish;
        }

        if (alias == 0 || alias > maximum)
        {
            throw new MqttProtocolException(maximum == 0
                ? string.Create(CultureInfo.InvariantCulture, $"The broker sent a PUBLISH with Topic Alias {alias}, but this client takes none (Topic Alias Maximum 0) [MQTT-3.3.2-11]: a protocol error.")
                : string.Create(CultureInfo.InvariantCulture, $"The broker sent a PUBLISH with Topic Alias {alias}, outside 1 to this client's Topic Alias Maximum of {maximum} [MQTT-3.3.2-11]: a protocol error."));
        }

        if (publish.Topic.Length > 0)
        {
            _topics[alias] = publish.Topic;
            return publish;
        }

        return _topics.TryGetValue(alias, out string? topic)
            ? publish with { Topic = topic }
            : throw new MqttProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"The broker sent a PUBLISH with an empty topic and Topic Alias {alias}, which no earlier PUBLISH on this link set (section 3.3.2.3.4): a protocol error."));
    }
}
