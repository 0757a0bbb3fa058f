using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// Regression: the writer wrote a PUBLISH whose Response Topic was no topic name (empty, or with a wildcard), which its own
/// reader then refused [MQTT-3.3.2-13/14]. The writer must refuse what the reader would, so what it writes decodes.
/// </summary>
public sealed class ResponseTopicWriterTests
{
    [Theory]
    [InlineData("")]
    [InlineData("reply/+")]
    [InlineData("reply/#")]
    public void A_PUBLISH_Response_Topic_that_is_no_topic_name_is_refused_by_writer_and_reader(string responseTopic)
    {
        var packet = new PublishPacket("t", "p"u8.ToArray(), MqttQualityOfService.AtLeastOnce, false, false, 1, new MqttProperties { ResponseTopic = responseTopic });

        Assert.Throws<ArgumentException>(() => Mqtt5Packets.Encode(packet));
        byte[] text = System.Text.Encoding.UTF8.GetBytes(responseTopic);
        HostileV5Packets.Refuse(HostileV5Packets.Packet(StateMachineMqtt.Spec.PropertyContext.Publish, HostileV5Packets.Section([0x08, 0x00, (byte)text.Length, .. text])), $"Response Topic \"{responseTopic}\"");
    }
}
