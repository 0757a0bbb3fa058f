using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Benchmarks.Codec;

/// <summary>One typical packet of every MQTT control packet type, by name, with the version it is encoded as.</summary>
internal static class SamplePackets
{
    /// <summary>The names <see cref="Create"/> knows, in the order of the specification's packet types.</summary>
    public static readonly string[] Names =
    [
        "CONNECT", "CONNACK", "PUBLISH 16 B", "PUBLISH 1 KiB", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE", "SUBACK",
        "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "PUBLISH 16 B v5", "AUTH v5",
    ];

    /// <summary>The packet called <paramref name="name"/> and the protocol version to encode it as.</summary>
    public static (MqttPacket Packet, MqttProtocolVersion Version) Create(string name) => name switch
    {
        "CONNECT" => (new ConnectPacket("bench-client", true, 60, "user", new byte[] { 1, 2, 3, 4 }), MqttProtocolVersion.V311),
        "CONNACK" => (new ConnAckPacket(false, ConnectReturnCode.Accepted), MqttProtocolVersion.V311),
        "PUBLISH 16 B" => (new PublishPacket("bench/topic", new byte[16], MqttQualityOfService.AtLeastOnce, false, false, 7), MqttProtocolVersion.V311),
        "PUBLISH 1 KiB" => (new PublishPacket("bench/topic", new byte[1024], MqttQualityOfService.AtLeastOnce, false, false, 7), MqttProtocolVersion.V311),
        "PUBACK" => (new PubAckPacket(7), MqttProtocolVersion.V311),
        "PUBREC" => (new PubRecPacket(7), MqttProtocolVersion.V311),
        "PUBREL" => (new PubRelPacket(7), MqttProtocolVersion.V311),
        "PUBCOMP" => (new PubCompPacket(7), MqttProtocolVersion.V311),
        "SUBSCRIBE" => (new SubscribePacket(7, [new TopicSubscription("bench/#", MqttQualityOfService.AtLeastOnce)]), MqttProtocolVersion.V311),
        "SUBACK" => (new SubAckPacket(7, [1]), MqttProtocolVersion.V311),
        "UNSUBSCRIBE" => (new UnsubscribePacket(7, ["bench/#"]), MqttProtocolVersion.V311),
        "UNSUBACK" => (new UnsubAckPacket(7), MqttProtocolVersion.V311),
        "PINGREQ" => (new PingReqPacket(), MqttProtocolVersion.V311),
        "PINGRESP" => (new PingRespPacket(), MqttProtocolVersion.V311),
        "DISCONNECT" => (new DisconnectPacket(), MqttProtocolVersion.V311),
        "PUBLISH 16 B v5" => (new PublishPacket("bench/topic", new byte[16], MqttQualityOfService.AtLeastOnce, false, false, 7,
            new MqttProperties { ContentType = "application/octet-stream", MessageExpiryInterval = 60 }), MqttProtocolVersion.V500),
        "AUTH v5" => (new AuthPacket(0x18, new MqttProperties { AuthenticationMethod = "SCRAM-SHA-1", AuthenticationData = new byte[32] }), MqttProtocolVersion.V500),
        _ => throw new ArgumentException($"No sample packet is called '{name}'; use one of: {string.Join(", ", Names)}.", nameof(name)),
    };
}
