using Microsoft.Extensions.Logging;
using StateMachineMqtt.PropertyTests.Fixtures.Logging;
using StateMachineMqtt.PropertyTests.Scenarios;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Observability;

/// <summary>
/// The client's logs carry stable event ids (ClientLog; docs/observability.md): every machine transition (9000), an outage
/// with its reason (1003) and its end (1004), and every re-send (2000 PUBLISH, 2001 PUBREL), each with its values by name.
/// Driven on the simulated network and virtual time, so each fault happens exactly when the test says.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public class LogEventTests
{
    private static List<CapturedLogEvent> WithId(CapturingLoggerFactory logs, int id) => [.. logs.Events.Where(e => e.EventId.Id == id)];

    [Fact]
    public void Every_transition_is_logged_at_Debug_as_event_9000_with_machine_from_trigger_to_and_row()
    {
        var logs = new CapturingLoggerFactory();
        var s = new Scenario(1100, loggerFactory: logs);
        s.Connect();
        s.Await(s.Start(c => c.PublishAsync("obs/log", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce)));
        s.Await(s.Start(c => c.DisconnectAsync()));

        var taken = s.Transitions.Select(t => (LogLevel.Debug, "Transition", t.Machine, t.From, t.Trigger, t.To, t.RowIndex)).ToList();
        var logged = WithId(logs, 9000).Select(e => (e.Level, e.EventId.Name!, (string)e.Values["Machine"]!, (string)e.Values["From"]!,
            (string)e.Values["Trigger"]!, (string)e.Values["To"]!, (int)e.Values["Row"]!)).ToList();
        Assert.Contains(taken, t => t.Machine == "Connection");
        Assert.Contains(taken, t => t.Machine == "Publish");
        Assert.Equal(taken, logged);
    }

    [Fact]
    public void A_lost_link_is_an_outage_logged_as_1003_with_its_reason_and_its_end_as_1004_with_its_length()
    {
        var logs = new CapturingLoggerFactory();
        var s = new Scenario(1101, loggerFactory: logs);
        s.Connect();
        s.RunFor(TimeSpan.FromSeconds(1));
        s.World.Network.LastLink!.Reset();
        Assert.True(s.RunUntil(() => s.World.Network.LinksOpened == 2 && s.Client.IsConnected, TimeSpan.FromSeconds(30)), s.Describe());

        (TimeSpan lostAt, MqttConnectionEventArgs lost) = s.Events.Single(e => e.Event.Change == MqttConnectionChange.LinkLost);
        TimeSpan backAt = s.Events.Last(e => e.Event.Change == MqttConnectionChange.Connected).At;
        CapturedLogEvent outage = Assert.Single(WithId(logs, 1003));
        Assert.Equal((LogLevel.Warning, "LinkLost"), (outage.Level, outage.EventId.Name));
        Assert.Equal(lost.Reason, outage.Values["Reason"]);
        Assert.Equal((long)lost.RetryDelay!.Value.TotalMilliseconds, outage.Values["DelayMs"]);
        CapturedLogEvent ended = Assert.Single(WithId(logs, 1004));
        Assert.Equal((LogLevel.Information, "OutageEnded"), (ended.Level, ended.EventId.Name));
        Assert.Equal((backAt - lostAt).TotalSeconds, (double)ended.Values["OutageSeconds"]!, 9);
        Assert.Equal(2, WithId(logs, 1000).Count); // Connected, both times
        Assert.Empty(WithId(logs, 1005));
    }

    [Fact]
    public void DisconnectAsync_is_logged_as_1005_not_as_an_outage()
    {
        var logs = new CapturingLoggerFactory();
        var s = new Scenario(1102, loggerFactory: logs);
        s.Connect();
        s.Await(s.Start(c => c.DisconnectAsync()));
        s.Await(s.Start(c => c.ConnectAsync()));

        CapturedLogEvent disconnected = Assert.Single(WithId(logs, 1005));
        Assert.Equal((LogLevel.Information, "disconnected by the application"), (disconnected.Level, disconnected.Values["Reason"]));
        Assert.Empty(WithId(logs, 1003));
        Assert.Empty(WithId(logs, 1004));
    }

    [Fact]
    public void A_PUBLISH_re_sent_with_DUP_is_logged_as_2000_with_its_packet_identifier_topic_and_send()
    {
        var logs = new CapturingLoggerFactory();
        var s = new Scenario(1103, loggerFactory: logs);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubAck, 1);
        s.Await(s.Start(c => c.PublishAsync("obs/resend", new byte[] { 7 }, MqttQualityOfService.AtLeastOnce)));

        PublishPacket resent = s.World.Broker.WrittenBy(Scenario.ClientId).OfType<PublishPacket>().Single(p => p.Dup);
        CapturedLogEvent logged = Assert.Single(WithId(logs, 2000));
        Assert.Equal((LogLevel.Information, "PublishResent"), (logged.Level, logged.EventId.Name));
        Assert.Equal(((int)resent.PacketId, "obs/resend", 1, 2), ((int)logged.Values["PacketId"]!, (string)logged.Values["Topic"]!, (int)logged.Values["Qos"]!, (int)logged.Values["Send"]!));
        Assert.Empty(WithId(logs, 2001));
    }

    [Fact]
    public void A_PUBREL_re_sent_is_logged_as_2001_and_the_first_PUBREL_is_not()
    {
        var logs = new CapturingLoggerFactory();
        var s = new Scenario(1104, loggerFactory: logs);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubComp, 1);
        s.Await(s.Start(c => c.PublishAsync("obs/release", new byte[] { 8 }, MqttQualityOfService.ExactlyOnce)));

        List<PubRelPacket> releases = [.. s.World.Broker.WrittenBy(Scenario.ClientId).OfType<PubRelPacket>()];
        Assert.Equal(2, releases.Count);
        CapturedLogEvent logged = Assert.Single(WithId(logs, 2001));
        Assert.Equal((LogLevel.Information, "PubRelResent", (int)releases[1].PacketId), (logged.Level, logged.EventId.Name, (int)logged.Values["PacketId"]!));
        Assert.Empty(WithId(logs, 2000)); // the PUBLISH itself was never re-sent
    }
}
