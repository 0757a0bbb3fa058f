using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>
/// An MQTT 5 client configured without a Client Identifier: the broker assigns one in CONNACK [MQTT-3.2.2-16], and the
/// client connects with it from then on, so a kept session resumes after an outage.
/// </summary>
public class Mqtt5AssignedIdentifierScenarios
{
    [Fact]
    public void The_assigned_identifier_is_used_by_every_reconnect_and_the_session_resumes()
    {
        var s = new Scenario(760, o =>
        {
            o.ProtocolVersion = MqttProtocolVersion.V500;
            o.CleanSession = false;
        }, clientId: "");
        Assert.Equal("", s.Client.ClientIdentifier);
        s.Connect();
        Assert.Equal("sim-assigned-1", s.Client.ClientIdentifier);
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubAck, 1);
        Task publish = s.Start(c => c.PublishAsync("t", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce));
        s.RunFor(TimeSpan.FromMilliseconds(50));
        s.World.Network.LastLink!.Reset();
        s.Await(publish, TimeSpan.FromSeconds(30));

        ConnectPacket first = Assert.Single(s.World.Broker.ReceivedFrom("").Select(r => r.Packet).OfType<ConnectPacket>());
        Assert.False(first.CleanSession);
        ConnectPacket again = Assert.Single(s.World.Broker.ReceivedFrom("sim-assigned-1").Select(r => r.Packet).OfType<ConnectPacket>(), c => c.ClientId.Length > 0);
        Assert.Equal("sim-assigned-1", again.ClientId);
        Assert.True(s.Events.Last(e => e.Event.Change == MqttConnectionChange.Connected).Event.SessionPresent);
        Assert.Equal(1, s.World.Broker.AcceptedOn("t").Count(m => m.Dup)); // the re-send went to the same session
    }

    [Fact]
    public void Under_3_1_1_an_empty_identifier_still_needs_a_clean_session()
    {
        var options = new MqttClientOptions { ClientId = "", CleanSession = false };
        Assert.Contains("MQTT 5, whose broker assigns one", Assert.Throws<ArgumentException>(options.Validate).Message, StringComparison.Ordinal);
        options.ProtocolVersion = MqttProtocolVersion.V500;
        options.Validate();
    }
}
