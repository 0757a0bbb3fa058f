using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// Regression: the writer wrote a PUBLISH whose Response Topic was no topic name (empty, or with a wildcard), which its own
/// reader then refused [MQTT-3.3.2-13/14]; and then a will's, which becomes its PUBLISH's when the broker publishes it. The
/// writer must refuse what the reader would, so what it writes decodes, and say which Response Topic is wrong.
/// </summary>
public sealed class ResponseTopicWriterTests
{
    [Theory]
    [InlineData("")]
    [InlineData("reply/+")]
    [InlineData("reply/#")]
    [InlineData("a\0b")]
    public void A_PUBLISH_Response_Topic_that_is_no_topic_name_is_refused_by_writer_and_reader(string responseTopic)
    {
        var packet = new PublishPacket("t", "p"u8.ToArray(), MqttQualityOfService.AtLeastOnce, false, false, 1, new MqttProperties { ResponseTopic = responseTopic });

        Refused(packet, "PUBLISH Response Topic");
        HostileV5Packets.Refuse(HostileV5Packets.Packet(PropertyContext.Publish, ResponseTopicSection(responseTopic)), $"Response Topic \"{responseTopic}\"");
    }

    [Theory]
    [InlineData("")]
    [InlineData("reply/+")]
    [InlineData("reply/#")]
    [InlineData("a\0b")]
    public void A_will_Response_Topic_that_is_no_topic_name_is_refused_by_writer_and_reader(string responseTopic)
    {
        Refused(WithWillResponseTopic(responseTopic), "CONNECT will Response Topic");
        HostileV5Packets.Refuse(HostileV5Packets.Packet(PropertyContext.Will, ResponseTopicSection(responseTopic)), $"will Response Topic \"{responseTopic}\"");
    }

    [Fact]
    public void A_will_Response_Topic_that_is_a_topic_name_is_written_and_read()
    {
        ConnectPacket packet = WithWillResponseTopic("reply/température");

        Assert.Equal(Mqtt5Packets.Describe(packet), Mqtt5Packets.Describe(Mqtt5Packets.Decode(Mqtt5Packets.Encode(packet))));
    }

    private static ConnectPacket WithWillResponseTopic(string responseTopic) =>
        new("c", true, 60, Will: new MqttWill("will", "bye"u8.ToArray(), MqttQualityOfService.AtLeastOnce, false, new MqttProperties { ResponseTopic = responseTopic }));

    private static void Refused(MqttPacket packet, string names)
    {
        var e = Assert.Throws<ArgumentException>(() => Mqtt5Packets.Encode(packet));
        Assert.Equal("packet", e.ParamName);
        Assert.Contains($"The {names} is not a topic name a responder can publish to [MQTT-3.3.2-14].", e.Message, StringComparison.Ordinal);
    }

    private static byte[] ResponseTopicSection(string responseTopic)
    {
        byte[] text = System.Text.Encoding.UTF8.GetBytes(responseTopic);
        return HostileV5Packets.Section([0x08, 0x00, (byte)text.Length, .. text]);
    }
}
