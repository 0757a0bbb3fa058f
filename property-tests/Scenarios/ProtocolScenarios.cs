using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>Bad input from the network closes the link and reconnects [MQTT-4.8.0-1]; it never crashes the client.</summary>
public class ProtocolScenarios
{
    private static void BrokerWritesRaw(Scenario s, byte[] bytes)
    {
        var link = s.World.Network.LastLink!;
        s.Await(s.World.Start(async () =>
        {
            await link.BrokerEnd.Output.WriteAsync(bytes);
        }));
    }

    [Theory]
    [InlineData(new byte[] { 0xF0, 0x00 })] // reserved packet type 15
    [InlineData(new byte[] { 0x30, 0x03, 0x00, 0x05, 0x61 })] // PUBLISH whose topic length overruns the packet
    [InlineData(new byte[] { 0x36, 0x02, 0x00, 0x01 })] // PUBLISH with QoS 3
    [InlineData(new byte[] { 0x20, 0x02, 0x00, 0x00 })] // a second CONNACK
    [InlineData(new byte[] { 0x82, 0x05, 0x00, 0x01, 0x00, 0x01, 0x61 })] // SUBSCRIBE: only clients send it
    public void Malformed_or_unexpected_input_closes_the_link_and_the_client_reconnects(byte[] bytes)
    {
        var s = new Scenario(80);
        s.Connect();
        BrokerWritesRaw(s, bytes);

        Assert.True(s.RunUntil(() => s.World.Network.LinksOpened == 2 && s.Client.IsConnected, TimeSpan.FromSeconds(30)), s.Describe());
        Assert.Contains(s.Transitions, t => t is { From: "Connected", Trigger: "ProtocolViolation", To: "Backoff" });
        Assert.False(s.Events[1].Event.IsConnected);
        s.AssertConformant();
    }

    [Fact]
    public void A_packet_other_than_PUBLISH_larger_than_the_maximum_is_refused_from_its_header()
    {
        var s = new Scenario(81, o => o.MaximumPacketSize = 1024);
        s.Connect();
        BrokerWritesRaw(s, [0x90, 0xFF, 0xFF, 0xFF, 0x7F]); // a SUBACK announcing 268,435,455 more bytes: only its header came

        Assert.True(s.RunUntil(() => s.World.Network.LinksOpened == 2, TimeSpan.FromSeconds(30)), s.Describe());
        Assert.Contains("SUBACK of 268,435,460 bytes exceeds the maximum packet size of 1,024 bytes", s.Events[1].Event.Reason, StringComparison.Ordinal);
        s.AssertConformant();
    }

    [Fact]
    public void A_PUBLISH_larger_than_the_maximum_is_read_past_and_the_link_stays_up()
    {
        // Issue 13: closing the link over it made a persistent session re-deliver it on every resume.
        var s = new Scenario(81, o => o.MaximumPacketSize = 1024);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("big", MqttQualityOfService.AtMostOnce)));
        s.World.Broker.Publish("big", new byte[4096], MqttQualityOfService.AtMostOnce);

        Assert.True(s.RunUntil(() => s.Client.Statistics.DroppedOversized == 1, TimeSpan.FromSeconds(30)), s.Describe());
        s.RunFor(TimeSpan.FromSeconds(30));
        Assert.Equal(1, s.World.Network.LinksOpened);
        Assert.True(s.Client.IsConnected);
        s.AssertConformant();
    }
}
