using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Simulation.Network;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>
/// Inbound QoS 2 through the real client and its Receipt machine, on the simulated broker sending QoS 2: delivered to the
/// application exactly once whatever is re-delivered (I9), PUBREC only once the application has the message (I10) and only
/// on the link its PUBLISH came on [MQTT-4.4.0-1], every PUBREL answered with PUBCOMP, identifiers freed at PUBREL or with a
/// lost session.
/// </summary>
public class Qos2ReceiveScenarios
{
    private const string Filter = "in/#";

    /// <summary>A persistent session subscribed at QoS 2 to a broker that grants it; the application's queue holds one message.</summary>
    private static Scenario Subscribed(int seed, int receiveQueueLength = 1)
    {
        var s = new Scenario(seed, o =>
        {
            o.CleanSession = false;
            o.ReceiveQueueLength = receiveQueueLength;
        });
        s.World.Broker.MaximumGrantedQos = MqttQualityOfService.ExactlyOnce;
        s.Connect();
        Assert.Equal(MqttQualityOfService.ExactlyOnce, s.Await(s.Start(c => c.SubscribeAsync(Filter, MqttQualityOfService.ExactlyOnce))));
        return s;
    }

    /// <summary>Reads <paramref name="count"/> messages (their first payload bytes).</summary>
    private static List<int> Read(Scenario s, int count)
    {
        var read = s.World.Start(async () =>
        {
            var got = new List<int>();
            await foreach (MqttMessage m in s.Client.ReadMessagesAsync())
            {
                got.Add(m.Payload.Span[0]);
                if (got.Count == count)
                {
                    break;
                }
            }

            return got;
        });
        return s.Await(read, TimeSpan.FromSeconds(60));
    }

    /// <summary>Nothing more arrives for the application within <paramref name="within"/>.</summary>
    private static void AssertNoMore(Scenario s, TimeSpan within)
    {
        using var stop = new CancellationTokenSource();
        var read = s.World.Start(async () =>
        {
            await foreach (MqttMessage m in s.Client.ReadMessagesAsync(stop.Token))
            {
                return (int)m.Payload.Span[0];
            }

            return -1;
        });
        s.RunFor(within);
        Assert.False(read.IsCompleted, $"message {(read.IsCompletedSuccessfully ? read.Result : -1)} delivered again");
        stop.Cancel();
        s.RunFor(TimeSpan.FromMilliseconds(1));
    }

    private static List<string> Answers(Scenario s) =>
        [.. s.World.Broker.WrittenBy(Scenario.ClientId).Where(p => p is PubRecPacket or PubCompPacket).Select(p => $"{p.Type.ToString().ToUpperInvariant()} {((IHasPacketId)p).PacketId}")];

    private static bool Took(Scenario s, ReceiptState from, ReceiptTrigger trigger, ReceiptState to) =>
        s.Transitions.Exists(t => t.Machine == "Receipt" && t.From == from.ToString() && t.Trigger == trigger.ToString() && t.To == to.ToString());

    private static void Publish(Scenario s, byte payload) => s.World.Broker.Publish("in/x", new[] { payload }, MqttQualityOfService.ExactlyOnce);

    [Fact]
    public void A_QoS_2_message_is_delivered_once_and_PUBREC_waits_for_the_application()
    {
        var s = Subscribed(700);
        Publish(s, 1);
        Publish(s, 2);
        s.RunFor(TimeSpan.FromSeconds(1));
        // The first went to the application's queue (and was acknowledged then); the second waits in the client, unanswered,
        // and the client reads no more (I10): the PUBREL for the first waits in TCP until the application makes room.
        Assert.Equal(["PUBREC 1"], Answers(s));

        // Reading the first makes room, so the second is taken (PUBREC) before the client reads again (PUBREL, PUBCOMP).
        Assert.Equal([1, 2], Read(s, 2));
        s.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(["PUBREC 1", "PUBREC 2", "PUBCOMP 1", "PUBCOMP 2"], Answers(s));
        Assert.Equal(0, s.World.Broker.HeldMessageCount(Scenario.ClientId));
        Assert.True(Took(s, ReceiptState.Unknown, ReceiptTrigger.Publish, ReceiptState.Held));
        Assert.True(Took(s, ReceiptState.Held, ReceiptTrigger.Taken, ReceiptState.AwaitingPubRel));
        Assert.True(Took(s, ReceiptState.AwaitingPubRel, ReceiptTrigger.PubRel, ReceiptState.Released));
        s.AssertConformant();
    }

    [Fact]
    public void A_duplicate_of_a_message_still_queued_is_not_delivered_again()
    {
        var s = Subscribed(701);
        Publish(s, 1); // fills the application's queue
        s.World.Broker.Faults.DuplicateOutgoing(MqttPacketType.Publish);
        Publish(s, 2);
        s.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal([1, 2], Read(s, 2));
        AssertNoMore(s, TimeSpan.FromSeconds(5));
        Assert.Equal(["PUBREC 1", "PUBREC 2", "PUBCOMP 1", "PUBCOMP 2"], Answers(s));
        Assert.True(Took(s, ReceiptState.Held, ReceiptTrigger.Publish, ReceiptState.Held));
        s.AssertConformant();
    }

    /// <summary>
    /// A PUBLISH under an identifier the client still holds, with other content: not a re-delivery (that is the same message
    /// [MQTT-4.3.3]) but a new message, as from a broker that made a session the client never saw. Delivered; the first,
    /// still queued, is delivered too and not acknowledged, so no PUBREC answers the new one before the application has it.
    /// </summary>
    [Fact]
    public void A_new_message_under_the_identifier_of_one_still_queued_is_delivered_too()
    {
        var s = Subscribed(705);
        Publish(s, 1); // fills the application's queue
        s.RunFor(TimeSpan.FromSeconds(1));
        Publish(s, 2); // held by the engine behind it; the new message follows it on the wire
        ushort id = s.World.Broker.SentTo(Scenario.ClientId).Select(r => r.Packet).OfType<PublishPacket>().Last().PacketId;
        Assert.True(s.World.Broker.SendStray(Scenario.ClientId, new PublishPacket("in/y", new byte[] { 7 }, MqttQualityOfService.ExactlyOnce, false, false, id)));
        s.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal([1, 2, 7], Read(s, 3));
        s.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(1, Answers(s).Count(a => a == $"PUBREC {id}")); // for the new message only: message 2's exchange was superseded
        Assert.True(Took(s, ReceiptState.Held, ReceiptTrigger.Publish, ReceiptState.Forgotten));
        Assert.True(Took(s, ReceiptState.Forgotten, ReceiptTrigger.Taken, ReceiptState.Forgotten));
    }

    /// <summary>The same after the application took the first and its PUBREL is still to come: the new message is delivered, not answered as a re-delivery.</summary>
    [Fact]
    public void A_new_message_under_the_identifier_of_one_awaiting_PUBREL_is_delivered()
    {
        var s = Subscribed(706, receiveQueueLength: 10);
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubRel);
        Publish(s, 1);
        Assert.Equal([1], Read(s, 1));
        s.RunFor(TimeSpan.FromSeconds(1));
        ushort id = s.World.Broker.SentTo(Scenario.ClientId).Select(r => r.Packet).OfType<PublishPacket>().Last().PacketId;
        Assert.True(s.World.Broker.SendStray(Scenario.ClientId, new PublishPacket("in/y", new byte[] { 7 }, MqttQualityOfService.ExactlyOnce, false, false, id)));

        Assert.Equal([7], Read(s, 1));
        s.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal([$"PUBREC {id}", $"PUBREC {id}"], Answers(s).Take(2)); // the first message's, then the new one's once read
        Assert.True(Took(s, ReceiptState.AwaitingPubRel, ReceiptTrigger.Publish, ReceiptState.Forgotten));
    }

    [Fact]
    public void A_PUBREC_lost_with_its_link_is_sent_again_for_the_re_delivery_and_the_message_is_not_delivered_again()
    {
        var s = Subscribed(702, receiveQueueLength: 10);
        s.World.Broker.Faults.LoseIncomingWithLink(MqttPacketType.PubRec);
        Publish(s, 1);
        Assert.Equal([1], Read(s, 1));

        // The broker never had the PUBREC: on the next link it re-sends the PUBLISH with DUP, which is answered, not delivered.
        Assert.True(s.RunUntil(() => s.World.Broker.HeldMessageCount(Scenario.ClientId) == 0, TimeSpan.FromSeconds(30)), s.Describe());
        AssertNoMore(s, TimeSpan.FromSeconds(5));
        Assert.Contains(s.World.Broker.SentTo(Scenario.ClientId), r => r.Packet is PublishPacket { Dup: true, QualityOfService: MqttQualityOfService.ExactlyOnce });
        Assert.Equal(["PUBREC 1", "PUBREC 1", "PUBCOMP 1"], Answers(s));
        Assert.Equal(2, s.World.Network.LinksOpened);
        Assert.True(Took(s, ReceiptState.AwaitingPubRel, ReceiptTrigger.Publish, ReceiptState.AwaitingPubRel));
        s.AssertConformant();
    }

    [Fact]
    public void A_PUBCOMP_lost_with_its_link_is_sent_again_for_the_PUBREL_the_broker_re_sends()
    {
        var s = Subscribed(703, receiveQueueLength: 10);
        s.World.Broker.Faults.LoseIncomingWithLink(MqttPacketType.PubComp);
        Publish(s, 1);
        Assert.Equal([1], Read(s, 1));

        Assert.True(s.RunUntil(() => s.World.Broker.HeldMessageCount(Scenario.ClientId) == 0, TimeSpan.FromSeconds(30)), s.Describe());
        // The exchange had ended here, so the second PUBREL finds no identifier held: answered all the same [MQTT-4.3.3-2].
        Assert.Equal(["PUBREC 1", "PUBCOMP 1", "PUBCOMP 1"], Answers(s));
        Assert.True(Took(s, ReceiptState.Unknown, ReceiptTrigger.PubRel, ReceiptState.Unknown));
        AssertNoMore(s, TimeSpan.FromSeconds(2));
        s.AssertConformant();
    }

    [Fact]
    public void A_message_taken_while_its_link_is_down_is_acknowledged_only_when_the_broker_re_delivers_it()
    {
        var s = Subscribed(704);
        Publish(s, 1);
        Publish(s, 2); // waits in the client: the application's queue is full
        s.RunFor(TimeSpan.FromMilliseconds(100));
        s.World.Network.ConnectFault = ConnectFault.Refused;
        s.World.Network.LastLink!.Reset();
        // The client reads nothing while its queue is full, so it learns of the reset from its next write.
        _ = s.Start(c => c.PublishAsync("out", new byte[] { 0 }, MqttQualityOfService.AtMostOnce));
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.False(s.Client.IsConnected);

        // Taken with no link: no PUBREC may go on another link, so none goes.
        Assert.Equal([1, 2], Read(s, 2));
        Assert.Equal(["PUBREC 1"], Answers(s));
        int linkGone = Array.FindIndex(ReceiptTable.CreateRows(), r => r.Trigger == ReceiptTrigger.Taken && r.Guard == ReceiptGuard.LinkGone);
        Assert.Contains(s.Transitions, t => t.Machine == "Receipt" && t.RowIndex == linkGone);

        // The broker re-sends PUBLISH 2 (no PUBREC reached it) and PUBREL 1 (its PUBCOMP never came): each answered once.
        s.World.Network.ConnectFault = ConnectFault.None;
        Assert.True(s.RunUntil(() => s.World.Broker.HeldMessageCount(Scenario.ClientId) == 0, TimeSpan.FromSeconds(30)), s.Describe());
        AssertNoMore(s, TimeSpan.FromSeconds(5));
        Assert.Equal(["PUBREC 1", "PUBREC 2", "PUBCOMP 1", "PUBCOMP 2"], Answers(s));
        Assert.True(Took(s, ReceiptState.AwaitingPubRel, ReceiptTrigger.Publish, ReceiptState.AwaitingPubRel));
        s.AssertConformant();
    }

    [Fact]
    public void A_PUBREL_for_a_message_still_queued_is_answered_and_the_message_still_delivered_once_unacknowledged()
    {
        var s = Subscribed(705, receiveQueueLength: 2); // room to read on while the third message waits in the client
        Publish(s, 1);
        Publish(s, 2);
        Publish(s, 3); // id 3, held
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.True(s.World.Broker.SendStray(Scenario.ClientId, new PubRelPacket(3)));
        s.RunFor(TimeSpan.FromMilliseconds(100));

        // The broker ended the exchange (it sends PUBREL only after a PUBREC): PUBCOMP, and the identifier is free.
        Assert.Contains("PUBCOMP 3", Answers(s));
        Assert.True(Took(s, ReceiptState.Held, ReceiptTrigger.PubRel, ReceiptState.Released));
        Assert.Equal([1, 2, 3], Read(s, 3));
        s.RunFor(TimeSpan.FromMilliseconds(100));
        // Taken after its exchange ended: no PUBREC for an identifier the broker may have given a new message.
        Assert.DoesNotContain("PUBREC 3", Answers(s));
        Assert.True(Took(s, ReceiptState.Released, ReceiptTrigger.Taken, ReceiptState.Released));
        Assert.Equal(3, s.Client.Statistics.Received);
    }

    [Fact]
    public void A_lost_session_frees_every_held_identifier_so_a_new_message_with_one_is_delivered()
    {
        var s = Subscribed(706);
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubRel); // the first exchange stays open: the client waits for PUBREL
        Publish(s, 1);
        Publish(s, 2); // held in the client, unacknowledged
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.Equal(["PUBREC 1"], Answers(s));

        // The broker restarts without sessions: the client's new session can owe nothing for either identifier.
        s.World.Broker.Restart(keepSessions: false);
        Assert.True(s.RunUntil(() => s.Client.IsConnected && s.World.Broker.SessionsStartedFor(Scenario.ClientId) == 2, TimeSpan.FromSeconds(30)), s.Describe());
        Assert.True(Took(s, ReceiptState.AwaitingPubRel, ReceiptTrigger.SessionLost, ReceiptState.Forgotten));
        Assert.True(Took(s, ReceiptState.Held, ReceiptTrigger.SessionLost, ReceiptState.Forgotten));

        // Message 2, accepted before the loss, still reaches the application; its identifier is not acknowledged any more.
        Assert.Equal([1, 2], Read(s, 2));
        Assert.True(Took(s, ReceiptState.Forgotten, ReceiptTrigger.Taken, ReceiptState.Forgotten));

        // The new session (its subscription restored, I8) numbers its messages from 1 again: not re-deliveries, so delivered.
        Assert.True(s.RunUntil(() => s.World.Broker.SubscriptionsOf(Scenario.ClientId).ContainsKey(Filter), TimeSpan.FromSeconds(10)));
        Publish(s, 3);
        Publish(s, 4);
        Assert.Equal([3, 4], Read(s, 2));
        s.AssertConformant();
    }
}
