using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.Wire;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Protocol.V5;

/// <summary>
/// Automatic outbound Topic Aliases on one MQTT 5 link [MQTT-3.3.2.3.4]: the first PUBLISH to a topic sets an alias (while
/// the broker's Topic Alias Maximum from CONNACK leaves one free), later ones carry only the alias and an empty topic.
/// They live and die with the link, so a re-send on a new link carries its topic again. An alias is set only when the
/// PUBLISH with it still fits the broker's Maximum Packet Size (setting one adds 3 bytes). Purely an encoding: what is
/// sent means the same message.
/// </summary>
internal sealed class OutboundTopicAliases
{
    private readonly Dictionary<string, ushort> _aliases = new(StringComparer.Ordinal);
    private int _maximum; // the broker's Topic Alias Maximum [MQTT-3.3.2-9]; 0 until its CONNACK gives one
    private long _packetLimit; // its Maximum Packet Size; 0: none

    /// <summary>Takes the broker's limits from its CONNACK on this link (read before any PUBLISH goes).</summary>
    public void OnConnAck(ConnAckPacket connAck)
    {
        Volatile.Write(ref _maximum, connAck.Properties?.TopicAliasMaximum ?? 0);
        Volatile.Write(ref _packetLimit, connAck.Properties?.MaximumPacketSize ?? 0);
    }

    /// <summary><paramref name="publish"/> as it goes on this link: with its alias, a new one, or as it is.</summary>
    public PublishPacket Apply(PublishPacket publish)
    {
        if (publish.Properties?.TopicAlias is not null)
        {
            return publish; // the caller chose (not reachable from the public API, which sets none)
        }

        if (_aliases.TryGetValue(publish.Topic, out ushort alias))
        {
            return publish with { Topic = "", Properties = WithAlias(publish.Properties, alias) };
        }

        int maximum = Volatile.Read(ref _maximum);
        if (_aliases.Count >= maximum)
        {
            return publish;
        }

        var aliased = publish with { Properties = WithAlias(publish.Properties, (ushort)(_aliases.Count + 1)) };
        long limit = Volatile.Read(ref _packetLimit);
        if (limit > 0 && Size(aliased) > limit)
        {
            return publish;
        }

        _aliases[publish.Topic] = aliased.Properties!.TopicAlias!.Value;
        return aliased;
    }

    private static long Size(PublishPacket publish)
    {
        int properties = PropertyEncoder.SectionSize(PropertyEncoder.Measure(publish.Properties!, PropertyContext.Publish, "PUBLISH"));
        return PacketSizeRules.PublishPacketSize(MqttStrings.MeasureForWriting(publish.Topic, "PUBLISH topic", "topic"), publish.Payload.Length, (int)publish.QualityOfService, properties);
    }

    private static MqttProperties WithAlias(MqttProperties? properties, ushort alias)
    {
        MqttProperties copy = properties?.Copy() ?? new MqttProperties();
        copy.TopicAlias = alias;
        return copy;
    }
}
