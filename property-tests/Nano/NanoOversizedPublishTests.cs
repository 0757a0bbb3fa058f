using StateMachineMqtt.Nano.Client;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// The device client and a PUBLISH larger than its receive buffer (issue 13, "no poison message"): read past without
/// buffering, acknowledged as its QoS requires so the broker does not re-deliver it, not delivered, counted and reported —
/// and the link stays up for what follows. Outbound, a PUBLISH that cannot fit the send buffer is refused by the engine.
/// </summary>
public sealed class NanoOversizedPublishTests
{
    private static NanoClientHarness Connected()
    {
        var h = new NanoClientHarness(cleanSession: false);
        h.ConnectAndWait();
        return h;
    }

    [Fact]
    public void An_oversized_QoS_1_message_is_acknowledged_not_delivered_and_the_next_one_arrives_on_the_same_link()
    {
        using NanoClientHarness h = Connected();
        int receiveBuffer = h.Options.ReceiveBufferSize;
        h.Broker.Send(new PublishPacket("big/t", new byte[3 * receiveBuffer], MqttQualityOfService.AtLeastOnce, false, false, 21));
        h.Broker.Send(new PublishPacket("small/t", "5"u8.ToArray(), MqttQualityOfService.AtLeastOnce, false, false, 22));

        h.RunUntil(() => h.Events.Messages.Count == 1 && h.Broker.All<PubAckPacket>().Count() == 2);

        Assert.Equal(("small/t", "5", 1, false), Assert.Single(h.Events.Messages));
        Assert.Equal([21, 22], h.Broker.All<PubAckPacket>().Select(a => (int)a.PacketId)); // in order of arrival [MQTT-4.6.0-2]
        Assert.Equal(1, h.Broker.Connection); // the link stayed up
        Assert.True(h.Client.IsConnected);
        Assert.Equal(1, h.Client.Statistics.DroppedOversized);
        Assert.Equal(1, h.Client.Statistics.Received);
        Assert.Contains("\"big/t\"", h.Client.LastError, StringComparison.Ordinal);
        // 1 type byte, 2 length bytes, then 2 + 5 (topic) + 2 (identifier) + the payload.
        Assert.Contains((3 * receiveBuffer + 12).ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes", h.Client.LastError, StringComparison.Ordinal);
        Assert.Contains("maximum packet size of " + receiveBuffer.ToString(System.Globalization.CultureInfo.InvariantCulture), h.Client.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_QoS_2_message_is_answered_with_PUBREC_and_its_redelivery_is_not_counted_again()
    {
        using NanoClientHarness h = Connected();
        var big = new PublishPacket("big/2", new byte[2_000], MqttQualityOfService.ExactlyOnce, false, false, 31);
        h.Broker.Send(big);
        h.RunUntil(() => h.Broker.All<PubRecPacket>().Count() == 1);
        h.Broker.Send(big with { Dup = true }); // the PUBREC crossed a re-send: acknowledged again, not counted again
        h.RunUntil(() => h.Broker.All<PubRecPacket>().Count() == 2);
        h.Broker.Send(new PubRelPacket(31));
        h.RunUntil(() => h.Broker.All<PubCompPacket>().Any());

        Assert.All(h.Broker.All<PubRecPacket>(), r => Assert.Equal(31, r.PacketId));
        Assert.Equal(31, Assert.Single(h.Broker.All<PubCompPacket>()).PacketId);
        Assert.Equal(1, h.Client.Statistics.DroppedOversized);
        Assert.Empty(h.Events.Messages);
        Assert.Equal(1, h.Broker.Connection);
    }

    [Fact]
    public void An_oversized_packet_of_another_type_still_closes_the_link()
    {
        using NanoClientHarness h = Connected();
        h.Broker.Send(new SubAckPacket(5, new byte[2_000]));
        h.RunUntil(() => !h.Client.IsConnected);
        Assert.Contains("exceeds the maximum packet size", h.Client.LastError, StringComparison.Ordinal);
        Assert.Equal(0, h.Client.Statistics.DroppedOversized);
    }

    [Fact]
    public void A_PUBLISH_larger_than_the_send_buffer_is_refused_by_the_engine_before_it_is_held()
    {
        using NanoClientHarness h = Connected();
        int sendBuffer = h.Options.SendBufferSize;

        // Topic "t" at QoS 1: 1 + 2 (length) + 2 + 1 + 2 + payload; the largest that fits, then one byte more.
        Assert.True(h.Client.Publish("t", new byte[sendBuffer - 8], 1, false));
        var error = Assert.Throws<ArgumentException>(() => h.Client.Publish("t", new byte[sendBuffer - 7], 1, false));

        Assert.Contains("would be " + (sendBuffer + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("NanoMqttOptions.SendBufferSize", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, h.Client.HeldCount);
        h.RunUntil(() => h.Client.HeldCount == 0);
        Assert.True(h.Client.IsConnected);
    }
}
