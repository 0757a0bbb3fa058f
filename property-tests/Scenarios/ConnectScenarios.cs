using System.Net.Sockets;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Simulation.Network;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>First connect: transient network errors are retried, configuration errors fail fast with a clear exception.</summary>
public class ConnectScenarios
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [Fact]
    public void CONNECT_is_the_first_packet_and_ConnectAsync_completes_on_CONNACK()
    {
        var s = new Scenario(1);
        s.Connect();

        Assert.True(s.Client.IsConnected);
        var sent = s.World.Broker.ReceivedFrom(Scenario.ClientId);
        Assert.IsType<ConnectPacket>(sent[0].Packet);
        var connect = (ConnectPacket)sent[0].Packet;
        Assert.Equal((ushort)20, connect.KeepAliveSeconds);
        Assert.True(connect.CleanSession);
        Assert.Null(connect.Password);
        Assert.Single(s.Events);
        Assert.True(s.Events[0].Event.IsConnected);
        s.AssertConformant();
    }

    [Theory]
    [InlineData(SocketError.ConnectionAborted)]
    [InlineData(SocketError.TimedOut)]
    [InlineData(SocketError.NetworkUnreachable)]
    [InlineData(SocketError.HostUnreachable)]
    [InlineData(SocketError.ConnectionReset)]
    public void Transient_socket_errors_on_first_connect_are_retried_until_the_network_is_up(SocketError error)
    {
        // The classic case: ECONNABORTED straight after the Wi-Fi reports "up".
        var s = new Scenario(2);
        s.World.Network.NetworkDownError = error;
        s.World.Network.ConnectFault = ConnectFault.NetworkDown;
        Task connect = s.Start(c => c.ConnectAsync());
        s.RunFor(TimeSpan.FromSeconds(20));
        Assert.False(connect.IsCompleted, s.Describe());
        Assert.True(s.World.Network.ConnectAttempts >= 3, s.Describe());

        s.World.Network.ConnectFault = ConnectFault.None;
        s.Await(connect, TimeSpan.FromSeconds(10));
        Assert.True(s.Client.IsConnected);
        s.AssertConformant();
    }

    [Fact]
    public void Refused_connections_are_retried_with_bounded_backoff()
    {
        var s = new Scenario(3);
        s.World.Network.ConnectFault = ConnectFault.Refused;
        Task connect = s.Start(c => c.ConnectAsync());
        s.RunFor(TimeSpan.FromSeconds(60));
        int attempts = s.World.Network.ConnectAttempts;
        // Backoff is 1 s doubling to 8 s, jittered into the upper half: 60 s holds at least 7 and at most 60 attempts.
        Assert.InRange(attempts, 7, 60);
        s.World.Network.ConnectFault = ConnectFault.None;
        s.Await(connect, TimeSpan.FromSeconds(8.5));
        s.AssertConformant();
    }

    [Fact]
    public void EINPROGRESS_is_not_an_error_the_socket_is_polled_again_within_the_same_deadline()
    {
        var s = new Scenario(4);
        s.World.Network.InProgressRemaining = 3;
        s.Connect();

        Assert.Equal(4, s.World.Network.ConnectAttempts);
        Assert.Equal(1, s.World.Network.LinksOpened);
        Assert.Equal(3, s.Transitions.Count(t => t.Trigger == "SocketPending"));
        Assert.DoesNotContain(s.Transitions, t => t.To == "Backoff");
        s.AssertConformant();
    }

    [Fact]
    public void An_unknown_host_fails_the_first_connect_at_once()
    {
        var s = new Scenario(5);
        s.World.Network.ConnectFault = ConnectFault.HostNotFound;
        Task connect = s.Start(c => c.ConnectAsync());
        s.RunUntil(() => connect.IsCompleted, OneSecond);

        var error = Assert.IsType<MqttConnectException>(Scenario.Failure(connect));
        Assert.Contains("Check the server name", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, s.World.Network.ConnectAttempts);
        s.RunFor(TimeSpan.FromSeconds(60));
        Assert.Equal(1, s.World.Network.ConnectAttempts);
        s.AssertConformant();
    }

    [Theory]
    [InlineData(ConnectReturnCode.UnacceptableProtocolVersion, "MQTT 3.1.1")]
    [InlineData(ConnectReturnCode.IdentifierRejected, "ClientId")]
    [InlineData(ConnectReturnCode.BadUserNameOrPassword, "UserName and Password")]
    [InlineData(ConnectReturnCode.NotAuthorized, "not authorised")]
    public void A_CONNACK_refusal_for_configuration_fails_the_first_connect_with_what_to_fix(ConnectReturnCode code, string remedy)
    {
        var s = new Scenario(6);
        s.World.Broker.Faults.RefuseConnects(code);
        Task connect = s.Start(c => c.ConnectAsync());
        s.RunUntil(() => connect.IsCompleted, OneSecond);

        var error = Assert.IsType<MqttConnectException>(Scenario.Failure(connect));
        Assert.Equal(code, error.ReturnCode);
        Assert.Contains(remedy, error.Message, StringComparison.Ordinal);
        s.RunFor(TimeSpan.FromSeconds(30));
        Assert.Equal(1, s.World.Network.ConnectAttempts);
        s.AssertConformant();
    }

    [Fact]
    public void Server_unavailable_is_retried()
    {
        var s = new Scenario(7);
        s.World.Broker.Faults.RefuseConnects(ConnectReturnCode.ServerUnavailable, 2);
        s.Connect();
        Assert.Equal(3, s.World.Network.ConnectAttempts);
        s.AssertConformant();
    }

    [Fact]
    public void A_refusal_after_having_been_connected_is_an_outage_and_is_retried()
    {
        var s = new Scenario(8);
        s.Connect();
        s.World.Broker.Faults.RefuseConnects(ConnectReturnCode.NotAuthorized, 2);
        s.World.Network.LastLink!.Reset();
        Assert.True(s.RunUntil(() => s.Client.IsConnected && s.World.Network.LinksOpened == 4, TimeSpan.FromSeconds(60)), s.Describe());
        s.AssertConformant();
    }

    [Fact]
    public void Options_changed_after_construction_change_nothing_in_the_client()
    {
        var s = new Scenario(11);
        s.Options.ClientId = "someone-else";
        s.Options.KeepAlive = TimeSpan.FromSeconds(5);
        s.Connect();
        var connect = (ConnectPacket)s.World.Broker.ReceivedFrom(Scenario.ClientId)[0].Packet;
        Assert.Equal(Scenario.ClientId, connect.ClientId);
        Assert.Equal((ushort)20, connect.KeepAliveSeconds);
    }

    [Fact]
    public void A_fresh_ConnectAsync_after_DisconnectAsync_fails_fast_on_revoked_credentials()
    {
        // Issue 14: "never connected" was set once and never cleared, so this ConnectAsync retried forever. Each
        // ConnectAsync from Idle or Closed starts afresh: a refusal before its first success is a configuration error.
        var s = new Scenario(10);
        s.Connect();
        s.Await(s.Start(c => c.DisconnectAsync()));
        s.World.Broker.Faults.RefuseConnects(ConnectReturnCode.BadUserNameOrPassword);
        Task connect = s.Start(c => c.ConnectAsync());
        s.RunUntil(() => connect.IsCompleted, TimeSpan.FromSeconds(5));

        var error = Assert.IsType<MqttConnectException>(Scenario.Failure(connect));
        Assert.Equal(ConnectReturnCode.BadUserNameOrPassword, error.ReturnCode);
        s.RunFor(TimeSpan.FromSeconds(30));
        Assert.Equal(2, s.World.Network.ConnectAttempts); // no retry after the refusal
        s.AssertConformant();
    }

    [Fact]
    public void No_CONNACK_within_the_response_time_closes_the_link_and_retries()
    {
        var s = new Scenario(9);
        s.World.Broker.Faults.IgnoreConnects(1);
        Task connect = s.Start(c => c.ConnectAsync());
        s.Await(connect, TimeSpan.FromSeconds(15));
        Assert.Equal(2, s.World.Network.LinksOpened);
        Assert.Contains(s.Transitions, t => t is { From: "AwaitingConnAck", Trigger: "ResponseTimeout" });
        s.AssertConformant();
    }

    [Fact]
    public void A_connect_that_never_completes_is_abandoned_after_the_response_time()
    {
        var s = new Scenario(10);
        s.World.Network.ConnectFault = ConnectFault.Blackholed;
        Task connect = s.Start(c => c.ConnectAsync());
        s.RunFor(TimeSpan.FromSeconds(2.5));
        Assert.Contains(s.Transitions, t => t is { From: "Connecting", Trigger: "ResponseTimeout" });
        s.World.Network.ConnectFault = ConnectFault.None;
        s.Await(connect, TimeSpan.FromSeconds(15));
        s.AssertConformant();
    }

    [Fact]
    public void Cancelling_ConnectAsync_ends_the_wait_and_the_client_keeps_trying()
    {
        var s = new Scenario(11);
        s.World.Network.ConnectFault = ConnectFault.NetworkDown;
        using var cts = new CancellationTokenSource();
        Task connect = s.Start(c => c.ConnectAsync(cts.Token));
        s.RunFor(TimeSpan.FromSeconds(5));
        cts.Cancel();
        s.RunFor(OneSecond);
        Assert.True(connect.IsCanceled);

        s.World.Network.ConnectFault = ConnectFault.None;
        Assert.True(s.RunUntil(() => s.Client.IsConnected, TimeSpan.FromSeconds(20)), s.Describe());
        s.AssertConformant();
    }
}
