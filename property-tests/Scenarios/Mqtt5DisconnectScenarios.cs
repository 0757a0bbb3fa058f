using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>
/// An MQTT 5 broker ending the link with DISCONNECT and a reason code [MQTT-3.14], through the real client: a lost link
/// that says why (the code, its name, the reason string, a Server Reference), after which the client reconnects and
/// resumes as after any loss.
/// </summary>
public class Mqtt5DisconnectScenarios
{
    private static Scenario V5(int seed, Action<MqttClientOptions>? configure = null) => new(seed, o =>
    {
        o.ProtocolVersion = MqttProtocolVersion.V500;
        configure?.Invoke(o);
    });

    [Fact]
    public void A_DISCONNECT_from_the_broker_is_a_lost_link_that_names_its_reason_and_the_client_reconnects()
    {
        var s = V5(740, o => o.CleanSession = false);
        s.Connect();
        s.World.Broker.DisconnectClient(Scenario.ClientId, 0x8B, "maintenance");
        s.RunFor(TimeSpan.FromSeconds(10));

        MqttConnectionEventArgs lost = Assert.Single(s.Events, e => e.Event.Change == MqttConnectionChange.LinkLost).Event;
        Assert.Equal(0x8B, lost.DisconnectReasonCode);
        Assert.Null(lost.ServerReference);
        Assert.Contains("DISCONNECT with reason code 0x8B (Server shutting down): maintenance", lost.Reason, StringComparison.Ordinal);
        Assert.NotNull(lost.RetryDelay);
        Assert.True(s.Client.IsConnected);
        Assert.Equal(2, s.World.Network.LinksOpened);
        s.AssertConformant();
    }

    [Fact]
    public void A_Server_Reference_is_surfaced_to_the_caller()
    {
        var s = V5(741);
        s.Connect();
        s.World.Broker.DisconnectClient(Scenario.ClientId, 0x9C, serverReference: "backup.example:1883");
        s.RunFor(TimeSpan.FromMilliseconds(10));

        MqttConnectionEventArgs lost = Assert.Single(s.Events, e => e.Event.Change == MqttConnectionChange.LinkLost).Event;
        Assert.Equal(0x9C, lost.DisconnectReasonCode);
        Assert.Equal("backup.example:1883", lost.ServerReference);
        Assert.Contains("Use another server", lost.Reason, StringComparison.Ordinal);
        Assert.Contains("backup.example:1883", lost.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttQualityOfService.ExactlyOnce)]
    public void A_message_in_flight_when_the_broker_disconnects_is_completed_on_the_next_link(MqttQualityOfService qos)
    {
        var s = V5(742, o => o.CleanSession = false);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(qos == MqttQualityOfService.AtLeastOnce ? MqttPacketType.PubAck : MqttPacketType.PubRec, 1);
        Task publish = s.Start(c => c.PublishAsync("t", new byte[] { 1 }, qos));
        s.RunFor(TimeSpan.FromMilliseconds(50));
        s.World.Broker.DisconnectClient(Scenario.ClientId, 0x89, "busy");

        s.Await(publish, TimeSpan.FromSeconds(30));
        Assert.Equal(2, s.World.Network.LinksOpened);
        Assert.Equal(1, s.Client.Statistics.Resent);
        s.AssertConformant();
    }

    [Fact]
    public void Under_3_1_1_a_DISCONNECT_from_the_broker_is_a_protocol_violation()
    {
        // Only clients send DISCONNECT in 3.1.1; the dispatch table's DISCONNECT rows are MQTT 5 only.
        var rows = InboundDispatchTable.CreateRows();
        Assert.Equal(InboundAction.ProtocolViolation, InboundDispatchTable.Dispatch(rows, ConnectionState.Connected, PacketKind.Disconnect, MqttProtocolVersion.V311));
        Assert.Equal(InboundAction.ServerDisconnect, InboundDispatchTable.Dispatch(rows, ConnectionState.Connected, PacketKind.Disconnect, MqttProtocolVersion.V500));
        Assert.Equal(InboundAction.ProtocolViolation, InboundDispatchTable.Dispatch(rows, ConnectionState.AwaitingConnAck, PacketKind.Disconnect, MqttProtocolVersion.V500)); // [MQTT-3.14.0-1]
        // AUTH is reserved under 3.1.1; under MQTT 5 the Authentication table judges it (EnhancedAuthenticationScenarios).
        Assert.Equal(InboundAction.ProtocolViolation, InboundDispatchTable.Dispatch(rows, ConnectionState.Connected, PacketKind.Auth, MqttProtocolVersion.V311));
        Assert.Equal(InboundAction.Auth, InboundDispatchTable.Dispatch(rows, ConnectionState.Connected, PacketKind.Auth, MqttProtocolVersion.V500));
    }

    [Theory]
    [InlineData(MqttDisconnectReason.DisconnectWithWillMessage, true)]
    [InlineData(MqttDisconnectReason.NormalDisconnection, false)]
    [InlineData(MqttDisconnectReason.AdministrativeAction, false)]
    public void DisconnectAsync_sends_its_reason_code_and_0x04_has_the_broker_publish_the_will(MqttDisconnectReason reason, bool willPublished)
    {
        var s = new Scenario(31, o =>
        {
            o.ProtocolVersion = MqttProtocolVersion.V500;
            o.Will = new MqttWillMessage("w", "bye"u8.ToArray());
        });
        s.Connect();
        s.Await(s.Start(c => c.DisconnectAsync(reason)));
        s.RunFor(TimeSpan.FromMilliseconds(10));

        string log = s.Describe();
        Assert.Contains($"<- DISCONNECT 0x{(int)reason:X2}", log, StringComparison.Ordinal);
        Assert.Equal(willPublished, log.Contains("publishes the will", StringComparison.Ordinal));
        s.AssertConformant();
    }

    [Fact]
    public void A_DISCONNECT_reason_code_under_3_1_1_or_outside_the_clients_codes_is_refused_saying_why()
    {
        var s = new Scenario(32);
        s.Connect();
        var v311 = Assert.Throws<ArgumentException>(() => { _ = s.Client.DisconnectAsync(MqttDisconnectReason.DisconnectWithWillMessage); }); // thrown at the call, not in the task
        Assert.Contains("only under MQTT 5", v311.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = s.Client.DisconnectAsync((MqttDisconnectReason)0x8B); });
        Assert.True(s.Client.IsConnected);
    }
}
