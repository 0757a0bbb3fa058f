using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Spec;

public sealed class InboundDispatchTableTests
{
    private static readonly InboundDispatchRow[] Rows = InboundDispatchTable.CreateRows();

    [Fact]
    public void Each_state_with_a_link_has_one_row_per_server_packet_type()
    {
        foreach (ConnectionState state in new[] { ConnectionState.AwaitingConnAck, ConnectionState.Connected, ConnectionState.Disconnecting })
        {
            foreach (PacketKind packet in Enum.GetValues<PacketKind>().Where(p => p is not (PacketKind.None or PacketKind.Auth) && !InboundDispatchTable.IsClientOnly(p)))
            {
                Assert.Single(Rows, r => r.State == state && r.Packet == packet);
            }
        }

        // A client-only type has rows only where MQTT 5 lets a broker send it too (DISCONNECT); AUTH has rows on MQTT 5
        // links only, one per state with a link, and under 3.1.1 (where it is reserved) the default makes it a violation.
        Assert.DoesNotContain(Rows, r => (InboundDispatchTable.IsClientOnly(r.Packet) && !(r.Mqtt5Only && r.Packet == PacketKind.Disconnect)) || !InboundDispatchTable.HasLink(r.State));
        Assert.All(Rows.Where(r => r.Packet == PacketKind.Auth), r => Assert.True(r.Mqtt5Only));
        foreach (ConnectionState state in new[] { ConnectionState.AwaitingConnAck, ConnectionState.Connected, ConnectionState.Disconnecting })
        {
            Assert.Single(Rows, r => r.State == state && r.Packet == PacketKind.Auth);
        }
        Assert.All(Rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Rule)));
    }

    [Theory]
    [InlineData(PacketKind.Connect)]
    [InlineData(PacketKind.Subscribe)]
    [InlineData(PacketKind.Unsubscribe)]
    [InlineData(PacketKind.PingReq)]
    [InlineData(PacketKind.Disconnect)]
    [InlineData(PacketKind.Auth)]
    public void Under_311_a_packet_only_clients_send_is_a_violation_on_any_link_and_stale_elsewhere(PacketKind packet)
    {
        foreach (ConnectionState state in Enum.GetValues<ConnectionState>())
        {
            InboundAction expected = InboundDispatchTable.HasLink(state) ? InboundAction.ProtocolViolation : InboundAction.Ignore;
            Assert.Equal(expected, InboundDispatchTable.Dispatch(Rows, state, packet));
        }
    }

    [Fact]
    public void Before_CONNACK_only_CONNACK_is_taken_and_under_MQTT_5_the_AUTH_of_an_enhanced_authentication()
    {
        Assert.Equal(InboundAction.ConnAck, InboundDispatchTable.Dispatch(Rows, ConnectionState.AwaitingConnAck, PacketKind.ConnAck));
        Assert.All(Rows.Where(r => r.State == ConnectionState.AwaitingConnAck && r.Packet is not (PacketKind.ConnAck or PacketKind.Auth)),
            r => Assert.Equal(InboundAction.ProtocolViolation, r.Action));
        Assert.Equal(InboundAction.Auth, InboundDispatchTable.Dispatch(Rows, ConnectionState.AwaitingConnAck, PacketKind.Auth, MqttProtocolVersion.V500));
        Assert.Equal(InboundAction.ProtocolViolation, InboundDispatchTable.Dispatch(Rows, ConnectionState.AwaitingConnAck, PacketKind.Auth, MqttProtocolVersion.V311));
    }

    [Fact]
    public void While_disconnecting_nothing_that_needs_a_reply_is_taken()
    {
        // [MQTT-3.14.4-2]: a packet whose handling would send something is dropped.
        foreach (PacketKind packet in new[] { PacketKind.Publish, PacketKind.PubRel, PacketKind.PubRec })
        {
            Assert.Equal(InboundAction.Ignore, InboundDispatchTable.Dispatch(Rows, ConnectionState.Disconnecting, packet));
        }

        Assert.Equal(InboundAction.PubAck, InboundDispatchTable.Dispatch(Rows, ConnectionState.Disconnecting, PacketKind.PubAck));
    }

    [Theory]
    [InlineData(ConnectionState.Idle)]
    [InlineData(ConnectionState.Connecting)]
    [InlineData(ConnectionState.Backoff)]
    [InlineData(ConnectionState.Closed)]
    [InlineData(ConnectionState.Disposed)]
    public void Without_a_link_a_late_packet_is_ignored(ConnectionState state)
    {
        Assert.All(Enum.GetValues<PacketKind>(), p => Assert.Equal(InboundAction.Ignore, InboundDispatchTable.Dispatch(Rows, state, p)));
    }
}
