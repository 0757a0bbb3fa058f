using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>Inbound messages: in order (I9), acknowledged only once queued for the application, nothing lost to a slow reader.</summary>
public class ReceiveScenarios
{
    private static List<MqttMessage> ReadAll(Scenario s, int count)
    {
        var read = s.World.Start(async () =>
        {
            var messages = new List<MqttMessage>();
            await foreach (var m in s.Client.ReadMessagesAsync())
            {
                messages.Add(m);
                if (messages.Count == count)
                {
                    break;
                }
            }

            return messages;
        });
        return s.Await(read, TimeSpan.FromSeconds(30));
    }

    private static int PubAcksSent(Scenario s) => s.World.Broker.ReceivedFrom(Scenario.ClientId).Count(r => r.Packet is PubAckPacket);

    [Fact]
    public void Messages_arrive_in_order_and_QoS_1_is_acknowledged()
    {
        var s = new Scenario(60);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("a/#")));
        for (int i = 0; i < 20; i++)
        {
            s.World.Broker.Publish("a/x", new[] { (byte)i });
        }

        Assert.Equal(Enumerable.Range(0, 20), ReadAll(s, 20).Select(m => (int)m.Payload.Span[0]));
        Assert.Equal(20, PubAcksSent(s));
        s.AssertConformant();
    }

    [Fact]
    public void A_slow_reader_holds_back_acknowledgements_instead_of_losing_messages()
    {
        var s = new Scenario(61, o => o.ReceiveQueueLength = 2);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("a/#")));
        for (int i = 0; i < 6; i++)
        {
            s.World.Broker.Publish("a/x", new[] { (byte)i });
        }

        s.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(2, PubAcksSent(s));

        Assert.Equal(Enumerable.Range(0, 6), ReadAll(s, 6).Select(m => (int)m.Payload.Span[0]));
        s.RunFor(TimeSpan.FromMilliseconds(10));
        Assert.Equal(6, PubAcksSent(s));
        s.AssertConformant();
    }

    [Fact]
    public void QoS_1_messages_unacknowledged_when_the_link_dropped_are_redelivered_on_the_resumed_session()
    {
        var s = new Scenario(62, o => o.CleanSession = false);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("a/#")));
        s.World.Broker.Faults.DropIncoming(MqttPacketType.PubAck, 1);
        s.World.Broker.Publish("a/x", new byte[] { 9 });
        s.RunFor(TimeSpan.FromMilliseconds(10));
        s.World.Network.LastLink!.Reset();
        Assert.True(s.RunUntil(() => s.World.Network.LinksOpened == 2 && s.Client.IsConnected, TimeSpan.FromSeconds(30)));

        var messages = ReadAll(s, 2);
        Assert.All(messages, m => Assert.Equal(9, m.Payload.Span[0]));
        Assert.True(messages[1].Dup);
        s.AssertConformant();
    }
}
