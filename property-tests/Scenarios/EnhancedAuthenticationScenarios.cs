using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.PropertyTests.Simulation.Broker;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>
/// MQTT 5 enhanced authentication through the real client and its Authentication machine, against the simulated broker's
/// challenge/response method: challenges before CONNACK, re-authentication while messages flow, a broker that refuses or
/// never answers, an authenticator that fails or hangs, and a broker that breaks the exchange. Together they take every
/// row of the Authentication table.
/// </summary>
public class EnhancedAuthenticationScenarios
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    private sealed record Setup(Scenario S, ChallengeAuthenticator Authenticator, BrokerAuthentication Broker);

    private static Setup Make(int seed, int connectChallenges = 1, int reauthChallenges = 1, Action<ChallengeAuthenticator>? authenticator = null, Action<BrokerAuthentication>? broker = null)
    {
        var a = new ChallengeAuthenticator();
        authenticator?.Invoke(a);
        var b = new BrokerAuthentication { ConnectChallenges = connectChallenges, ReauthChallenges = reauthChallenges };
        broker?.Invoke(b);
        var s = new Scenario(seed, o =>
        {
            o.ProtocolVersion = MqttProtocolVersion.V500;
            o.EnhancedAuthenticator = a;
        });
        s.World.Broker.Authentication = b;
        return new Setup(s, a, b);
    }

    private static string Trace(Scenario s) => string.Join(Environment.NewLine, s.Transitions.Where(t => t.Machine is "Authentication" or "Connection").Take(40)) + Environment.NewLine + s.Describe();

    private static bool Took(Scenario s, AuthenticationState from, AuthenticationTrigger trigger, AuthenticationState to) =>
        s.Transitions.Exists(t => t.Machine == "Authentication" && t.From == from.ToString() && t.Trigger == trigger.ToString() && t.To == to.ToString());

    private static bool TookConnection(Scenario s, ConnectionState from, ConnectionTrigger trigger, ConnectionState to) =>
        s.Transitions.Exists(t => t.Machine == "Connection" && t.From == from.ToString() && t.Trigger == trigger.ToString() && t.To == to.ToString());

    private static void RunUntilConnectedAgain(Scenario s, int linksBefore) =>
        Assert.True(s.RunUntil(() => s.Client.IsConnected && s.World.Network.LinksOpened > linksBefore, Long), s.Describe());

    private static AuthPacket Auth(byte reasonCode, string method = BrokerAuthentication.DefaultMethod) =>
        new(reasonCode, new MqttProperties { AuthenticationMethod = method, AuthenticationData = new byte[] { 9 } });

    [Fact]
    public void A_CONNECT_answers_every_challenge_and_the_authenticator_checks_the_brokers_final_data()
    {
        Setup x = Make(1, connectChallenges: 2);
        x.S.Connect();
        x.S.RunFor(TimeSpan.FromMilliseconds(10));

        Assert.Equal(["start", "continue 01", "continue 02", "complete 5F"], x.Authenticator.Calls);
        Assert.Equal(["CONNECT SIM-CHALLENGE 01", "AUTH 0x18 A4", "AUTH 0x18 A7"], x.Broker.Seen);
        Assert.True(Took(x.S, AuthenticationState.ConnectAnswering, AuthenticationTrigger.AnswerReady, AuthenticationState.Connecting));
        Assert.True(Took(x.S, AuthenticationState.Connecting, AuthenticationTrigger.ConnAckAccepted, AuthenticationState.Idle));
        Assert.True(Took(x.S, AuthenticationState.Idle, AuthenticationTrigger.AnswerReady, AuthenticationState.Idle));
        x.S.AssertConformant();
    }

    [Fact]
    public void A_CONNECT_the_broker_accepts_at_once_needs_no_answer_and_every_reconnect_authenticates_afresh()
    {
        Setup x = Make(2, connectChallenges: 0);
        x.S.Connect();
        int links = x.S.World.Network.LinksOpened;
        x.S.World.Network.ResetAllLinks();
        RunUntilConnectedAgain(x.S, links);
        x.S.RunFor(TimeSpan.FromMilliseconds(10));

        Assert.Equal(["start", "complete 5F", "start", "complete 5F"], x.Authenticator.Calls);
        x.S.AssertConformant();
    }

    [Fact]
    public void A_wrong_answer_is_refused_with_0x87_and_fails_the_first_connect()
    {
        Setup x = Make(3, authenticator: a => a.AnswerWrongly = true);
        Task connect = x.S.Start(c => c.ConnectAsync());
        Assert.True(x.S.RunUntil(() => connect.IsCompleted, Long));

        var failure = Assert.IsType<MqttConnectException>(Scenario.Failure(connect));
        Assert.Equal((ConnectReturnCode)0x87, failure.ReturnCode);
        Assert.True(Took(x.S, AuthenticationState.Connecting, AuthenticationTrigger.LinkDown, AuthenticationState.Idle));
    }

    [Fact]
    public void A_method_the_broker_does_not_support_is_refused_with_0x8C()
    {
        Setup x = Make(4, broker: b => b.Seen.Clear());
        x.S.World.Broker.Authentication = new BrokerAuthentication { Method = "SCRAM-SHA-256" };
        Task connect = x.S.Start(c => c.ConnectAsync());
        Assert.True(x.S.RunUntil(() => connect.IsCompleted, Long));

        Assert.Equal((ConnectReturnCode)0x8C, Assert.IsType<MqttConnectException>(Scenario.Failure(connect)).ReturnCode);
    }

    [Theory]
    [InlineData("start")]
    [InlineData("continue")]
    public void An_authenticator_that_fails_on_a_first_connect_fails_it_at_once_as_a_configuration_error(string step)
    {
        Setup x = Make(5, authenticator: a => a.FailAt = step);
        Task connect = x.S.Start(c => c.ConnectAsync());
        Assert.True(x.S.RunUntil(() => connect.IsCompleted, TimeSpan.FromSeconds(1)), "a configuration error fails the first connect at once");

        Exception failure = Assert.IsType<MqttConnectException>(Scenario.Failure(connect));
        Assert.Contains("the test's authenticator fails at " + step, failure.Message, StringComparison.Ordinal);
        Assert.True(TookConnection(x.S, ConnectionState.AwaitingConnAck, ConnectionTrigger.ConfigurationError, ConnectionState.Closed));
        Assert.True(Took(x.S, step == "start" ? AuthenticationState.ConnectStarting : AuthenticationState.ConnectAnswering, AuthenticationTrigger.AnswerFailed, AuthenticationState.Idle));
    }

    [Fact]
    public void An_authenticator_failing_after_having_worked_is_an_outage_ridden_out()
    {
        Setup x = Make(6);
        x.S.Connect();
        x.Authenticator.FailAt = "continue";
        int links = x.S.World.Network.LinksOpened;
        x.S.World.Network.ResetAllLinks();
        Assert.True(x.S.RunUntil(() => x.S.Events.Exists(e => e.Event.Change == MqttConnectionChange.AttemptFailed && e.Event.Reason.Contains("authenticator", StringComparison.Ordinal)), Long), Trace(x.S));
        x.Authenticator.FailAt = null;
        RunUntilConnectedAgain(x.S, links);

        Assert.True(TookConnection(x.S, ConnectionState.AwaitingConnAck, ConnectionTrigger.ConfigurationError, ConnectionState.Backoff));
        x.S.AssertConformant();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void A_reauthentication_sends_AUTH_0x19_answers_the_challenges_and_ends_with_AUTH_0x00(int challenges)
    {
        Setup x = Make(7, reauthChallenges: challenges);
        x.S.Connect();
        x.S.Await(x.S.Start(c => c.ReauthenticateAsync()));

        string[] answers = challenges == 0 ? [] : ["AUTH 0x18 A4", "AUTH 0x18 A7"];
        Assert.Equal(["CONNECT SIM-CHALLENGE 01", "AUTH 0x18 A4", "AUTH 0x19 19", .. answers], x.Broker.Seen);
        Assert.Equal("complete 5F", x.Authenticator.Calls[^1]);
        Assert.True(Took(x.S, AuthenticationState.Reauthenticating, AuthenticationTrigger.ServerSuccess, AuthenticationState.Idle));
        Assert.Equal(1, x.S.World.Network.LinksOpened);
        x.S.AssertConformant();
    }

    [Fact]
    public void Messages_flow_during_a_reauthentication_and_a_second_call_joins_the_one_under_way()
    {
        Setup x = Make(8);
        x.S.Connect();
        x.Authenticator.WaitAt = "restart";
        Task first = x.S.Start(c => c.ReauthenticateAsync());
        Assert.True(x.S.RunUntil(() => x.Authenticator.Waiting, Long));
        Task joinsStarting = x.S.Start(c => c.ReauthenticateAsync());
        x.S.Await(x.S.Start(c => c.PublishAsync("t", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce)));

        x.Authenticator.WaitAt = "continue";
        x.Authenticator.Release();
        x.Authenticator.WaitAt = "continue";
        Assert.True(x.S.RunUntil(() => x.Authenticator.Waiting, Long), string.Join(",", x.Authenticator.Calls) + Trace(x.S));
        Task joinsAnswering = x.S.Start(c => c.ReauthenticateAsync());
        x.S.Await(x.S.Start(c => c.PublishAsync("t", new byte[] { 2 }, MqttQualityOfService.AtLeastOnce)));
        x.S.World.Broker.Faults.DelayOutgoing(MqttPacketType.Auth, TimeSpan.FromMilliseconds(500));
        x.Authenticator.Release();
        Assert.True(x.S.RunUntil(() => Took(x.S, AuthenticationState.ReauthAnswering, AuthenticationTrigger.AnswerReady, AuthenticationState.Reauthenticating), Long), string.Join(",", x.Authenticator.Calls) + Trace(x.S));
        Task joinsReauthenticating = x.S.Start(c => c.ReauthenticateAsync());

        foreach (Task call in new[] { first, joinsStarting, joinsAnswering, joinsReauthenticating })
        {
            x.S.Await(call);
        }

        Assert.Single(x.Broker.Seen, seen => seen.StartsWith("AUTH 0x19", StringComparison.Ordinal));
        Assert.True(Took(x.S, AuthenticationState.ReauthStarting, AuthenticationTrigger.Reauthenticate, AuthenticationState.ReauthStarting));
        Assert.True(Took(x.S, AuthenticationState.ReauthAnswering, AuthenticationTrigger.Reauthenticate, AuthenticationState.ReauthAnswering));
        Assert.True(Took(x.S, AuthenticationState.Reauthenticating, AuthenticationTrigger.Reauthenticate, AuthenticationState.Reauthenticating));
        x.S.AssertConformant();
    }

    [Fact]
    public void A_reauthentication_the_broker_refuses_with_DISCONNECT_fails_with_its_reason_and_the_client_authenticates_afresh()
    {
        Setup x = Make(9, broker: b => b.RefuseReauthentication = true);
        x.S.Connect();
        int links = x.S.World.Network.LinksOpened;
        Task reauthentication = x.S.Start(c => c.ReauthenticateAsync());
        Assert.True(x.S.RunUntil(() => reauthentication.IsCompleted, Long));

        var failure = Assert.IsType<MqttAuthenticationException>(Scenario.Failure(reauthentication));
        Assert.Contains("0x87", failure.Message, StringComparison.Ordinal);
        x.Broker.RefuseReauthentication = false;
        RunUntilConnectedAgain(x.S, links);
        Assert.Equal(2, x.Broker.Seen.Count(seen => seen.StartsWith("CONNECT", StringComparison.Ordinal)));
        x.S.AssertConformant();
    }

    [Fact]
    public void A_reauthentication_the_broker_never_answers_fails_after_the_response_time_and_the_link_is_replaced()
    {
        Setup x = Make(10, broker: b => b.IgnoreReauthentication = true);
        x.S.Connect();
        int links = x.S.World.Network.LinksOpened;
        TimeSpan asked = x.S.Now;
        Task reauthentication = x.S.Start(c => c.ReauthenticateAsync());
        Assert.True(x.S.RunUntil(() => reauthentication.IsCompleted, Long));

        Assert.Contains("did not finish within the response time", Assert.IsType<MqttAuthenticationException>(Scenario.Failure(reauthentication)).Message, StringComparison.Ordinal);
        Assert.True(x.S.Now - asked >= x.S.Options.ResponseTime);
        Assert.True(Took(x.S, AuthenticationState.Reauthenticating, AuthenticationTrigger.ResponseTimeout, AuthenticationState.Idle));
        RunUntilConnectedAgain(x.S, links);
    }

    [Theory]
    [InlineData("restart", false)]
    [InlineData("continue", false)]
    [InlineData("restart", true)]
    [InlineData("continue", true)]
    public void An_authenticator_that_fails_or_hangs_in_a_reauthentication_fails_it_and_the_client_reconnects(string step, bool hangs)
    {
        Setup x = Make(11);
        x.S.Connect();
        if (hangs)
        {
            x.Authenticator.WaitAt = step;
        }
        else
        {
            x.Authenticator.FailAt = step;
        }

        int links = x.S.World.Network.LinksOpened;
        Task reauthentication = x.S.Start(c => c.ReauthenticateAsync());
        Assert.True(x.S.RunUntil(() => reauthentication.IsCompleted, Long));
        Assert.IsType<MqttAuthenticationException>(Scenario.Failure(reauthentication));
        x.Authenticator.FailAt = null;
        x.Authenticator.Release();
        RunUntilConnectedAgain(x.S, links);

        AuthenticationState from = step == "restart" ? AuthenticationState.ReauthStarting : AuthenticationState.ReauthAnswering;
        Assert.True(Took(x.S, from, hangs ? AuthenticationTrigger.ResponseTimeout : AuthenticationTrigger.AnswerFailed, AuthenticationState.Idle));
        if (!hangs)
        {
            Assert.True(TookConnection(x.S, ConnectionState.Connected, ConnectionTrigger.ConfigurationError, ConnectionState.Backoff));
        }
    }

    [Theory]
    [InlineData("restart")]
    [InlineData("continue")]
    public void A_link_lost_during_a_reauthentication_fails_it_and_the_next_CONNECT_authenticates_afresh(string step)
    {
        Setup x = Make(12);
        x.S.Connect();
        x.Authenticator.WaitAt = step;
        int links = x.S.World.Network.LinksOpened;
        Task reauthentication = x.S.Start(c => c.ReauthenticateAsync());
        Assert.True(x.S.RunUntil(() => x.Authenticator.Waiting, Long));
        x.S.World.Network.ResetAllLinks();
        Assert.True(x.S.RunUntil(() => reauthentication.IsCompleted, Long));

        Assert.Contains("the link closed before the re-authentication finished", Assert.IsType<MqttAuthenticationException>(Scenario.Failure(reauthentication)).Message, StringComparison.Ordinal);
        x.Authenticator.Release();
        RunUntilConnectedAgain(x.S, links);
        Assert.True(Took(x.S, step == "restart" ? AuthenticationState.ReauthStarting : AuthenticationState.ReauthAnswering, AuthenticationTrigger.LinkDown, AuthenticationState.Idle));
    }

    [Fact]
    public void The_authenticator_refusing_the_brokers_final_data_closes_the_link()
    {
        Setup x = Make(13, authenticator: a => a.FailAt = "complete");
        x.S.Connect();
        int links = x.S.World.Network.LinksOpened;
        Assert.True(x.S.RunUntil(() => Took(x.S, AuthenticationState.Idle, AuthenticationTrigger.AnswerFailed, AuthenticationState.Idle), Long));
        x.Authenticator.FailAt = null;
        RunUntilConnectedAgain(x.S, links);

        Assert.True(TookConnection(x.S, ConnectionState.Connected, ConnectionTrigger.ConfigurationError, ConnectionState.Backoff));
    }

    [Fact]
    public void A_reauthentication_asked_for_while_disconnected_completes_with_the_next_CONNACK()
    {
        Setup x = Make(14);
        x.S.Connect();
        x.S.World.Broker.Stop();
        Assert.True(x.S.RunUntil(() => !x.S.Client.IsConnected, Long));
        Task reauthentication = x.S.Start(c => c.ReauthenticateAsync());
        x.S.RunFor(TimeSpan.FromSeconds(3));
        Assert.False(reauthentication.IsCompleted);
        x.S.World.Broker.Start();
        x.S.Await(reauthentication);

        Assert.True(Took(x.S, AuthenticationState.Idle, AuthenticationTrigger.Reauthenticate, AuthenticationState.Idle));
        Assert.True(x.S.Client.IsConnected);
    }

    [Theory]
    [InlineData("start")]
    [InlineData("continue")]
    [InlineData("connecting")]
    public void A_reauthentication_asked_for_during_the_connect_exchange_completes_with_its_CONNACK(string during)
    {
        Setup x = Make(15, authenticator: a => a.WaitAt = during == "connecting" ? null : during);
        if (during == "connecting")
        {
            x.S.World.Broker.Faults.DelayOutgoing(MqttPacketType.Auth, TimeSpan.FromMilliseconds(500));
        }

        Task connect = x.S.Start(c => c.ConnectAsync());
        Assert.True(x.S.RunUntil(() => during == "connecting" ? Took(x.S, AuthenticationState.ConnectStarting, AuthenticationTrigger.AnswerReady, AuthenticationState.Connecting) : x.Authenticator.Waiting, Long));
        Task reauthentication = x.S.Start(c => c.ReauthenticateAsync());
        x.S.RunFor(TimeSpan.FromMilliseconds(1));
        x.Authenticator.Release();
        x.S.Await(connect);
        x.S.Await(reauthentication);

        AuthenticationState state = during switch { "start" => AuthenticationState.ConnectStarting, "continue" => AuthenticationState.ConnectAnswering, _ => AuthenticationState.Connecting };
        Assert.True(Took(x.S, state, AuthenticationTrigger.Reauthenticate, state));
        Assert.DoesNotContain(x.Broker.Seen, seen => seen.StartsWith("AUTH 0x19", StringComparison.Ordinal));
        x.S.AssertConformant();
    }

    [Theory]
    [InlineData("start")]
    [InlineData("continue")]
    public void A_link_lost_during_the_connect_exchange_starts_it_again_on_the_next_link(string step)
    {
        Setup x = Make(16, authenticator: a => a.WaitAt = step);
        Task connect = x.S.Start(c => c.ConnectAsync());
        Assert.True(x.S.RunUntil(() => x.Authenticator.Waiting, Long));
        x.S.World.Network.ResetAllLinks();
        x.S.RunFor(TimeSpan.FromMilliseconds(1));
        x.Authenticator.Release();
        x.S.Await(connect);

        Assert.True(Took(x.S, step == "start" ? AuthenticationState.ConnectStarting : AuthenticationState.ConnectAnswering, AuthenticationTrigger.LinkDown, AuthenticationState.Idle));
        Assert.True(x.S.World.Network.LinksOpened >= 2);
    }

    /// <summary>A broker that breaks the exchange: the link closes as for any protocol violation, and the client reconnects.</summary>
    [Theory]
    [InlineData(AuthenticationMisbehaviour.SuccessBeforeConnAck, AuthenticationState.Connecting, AuthenticationTrigger.ServerSuccess)]
    [InlineData(AuthenticationMisbehaviour.ChallengeWithAnotherMethod, AuthenticationState.Connecting, AuthenticationTrigger.ServerInvalid)]
    [InlineData(AuthenticationMisbehaviour.ChallengeThenAuth, AuthenticationState.ConnectAnswering, AuthenticationTrigger.ServerContinue, 0x18)]
    [InlineData(AuthenticationMisbehaviour.ChallengeThenAuth, AuthenticationState.ConnectAnswering, AuthenticationTrigger.ServerSuccess, 0x00)]
    [InlineData(AuthenticationMisbehaviour.ChallengeThenAuth, AuthenticationState.ConnectAnswering, AuthenticationTrigger.ServerInvalid, 0x19)]
    public void A_broker_breaking_the_connect_exchange_has_its_link_closed(AuthenticationMisbehaviour misbehaviour, AuthenticationState state, AuthenticationTrigger trigger, byte extra = 0x18)
    {
        Setup x = Make(17, authenticator: a => a.WaitAt = "continue", broker: b =>
        {
            b.Misbehaviour = misbehaviour;
            b.ExtraReasonCode = extra;
        });
        _ = x.S.Start(c => c.ConnectAsync());
        Assert.True(x.S.RunUntil(() => Took(x.S, state, trigger, AuthenticationState.Idle), Long), Trace(x.S));
        Assert.True(TookConnection(x.S, ConnectionState.AwaitingConnAck, ConnectionTrigger.ProtocolViolation, ConnectionState.Backoff));
    }

    [Fact]
    public void A_CONNACK_the_broker_sends_before_the_answer_to_its_challenge_completes_the_exchange()
    {
        Setup x = Make(18, authenticator: a => a.WaitAt = "continue", broker: b => b.Misbehaviour = AuthenticationMisbehaviour.ConnAckWithoutWaiting);
        Task connect = x.S.Start(c => c.ConnectAsync());
        Assert.True(x.S.RunUntil(() => connect.IsCompleted, Long));
        x.Authenticator.Release();
        x.S.RunFor(TimeSpan.FromMilliseconds(10));

        Assert.True(connect.IsCompletedSuccessfully);
        Assert.True(Took(x.S, AuthenticationState.ConnectAnswering, AuthenticationTrigger.ConnAckAccepted, AuthenticationState.Idle));
        Assert.DoesNotContain(x.Broker.Seen, seen => seen.StartsWith("AUTH", StringComparison.Ordinal)); // the late answer is not sent
    }

    [Fact]
    public void An_accepting_CONNACK_that_names_no_method_is_a_protocol_violation()
    {
        Setup x = Make(19, broker: b => b.Misbehaviour = AuthenticationMisbehaviour.ConnAckWithoutMethod);
        _ = x.S.Start(c => c.ConnectAsync());
        Assert.True(x.S.RunUntil(() => x.S.Events.Exists(e => e.Event.Reason.Contains("[MQTT-4.12.0-5]", StringComparison.Ordinal)), Long), Trace(x.S));
        Assert.False(x.S.Client.IsConnected);
    }

    [Theory]
    [InlineData(0x18, AuthenticationTrigger.ServerContinue)]
    [InlineData(0x00, AuthenticationTrigger.ServerSuccess)]
    [InlineData(0x19, AuthenticationTrigger.ServerInvalid)]
    public void A_packet_before_CONNECT_breaks_the_protocol(byte reasonCode, AuthenticationTrigger trigger)
    {
        Setup x = Make(20, authenticator: a => a.WaitAt = "start");
        x.S.World.Broker.Greeting = Auth(reasonCode);
        _ = x.S.Start(c => c.ConnectAsync());
        Assert.True(x.S.RunUntil(() => Took(x.S, AuthenticationState.ConnectStarting, trigger, AuthenticationState.Idle), Long), Trace(x.S));
    }

    [Fact]
    public void A_CONNACK_before_CONNECT_breaks_the_protocol()
    {
        Setup x = Make(21, authenticator: a => a.WaitAt = "start");
        x.S.World.Broker.Greeting = new ConnAckPacket(false, ConnectReturnCode.Accepted, new MqttProperties { AuthenticationMethod = BrokerAuthentication.DefaultMethod });
        _ = x.S.Start(c => c.ConnectAsync());
        Assert.True(x.S.RunUntil(() => Took(x.S, AuthenticationState.ConnectStarting, AuthenticationTrigger.ConnAckAccepted, AuthenticationState.Idle), Long), Trace(x.S));
        Assert.False(x.S.Client.IsConnected);
    }

    [Theory]
    [InlineData(0x18, AuthenticationTrigger.ServerContinue)]
    [InlineData(0x00, AuthenticationTrigger.ServerSuccess)]
    [InlineData(0x19, AuthenticationTrigger.ServerInvalid)]
    public void An_AUTH_nobody_asked_for_closes_the_link(byte reasonCode, AuthenticationTrigger trigger)
    {
        Setup x = Make(22);
        x.S.Connect();
        int links = x.S.World.Network.LinksOpened;
        Assert.True(x.S.World.Broker.SendStray(Scenario.ClientId, Auth(reasonCode)));
        RunUntilConnectedAgain(x.S, links);
        Assert.True(Took(x.S, AuthenticationState.Idle, trigger, AuthenticationState.Idle));
    }

    [Theory]
    [InlineData(0x18, AuthenticationTrigger.ServerContinue)]
    [InlineData(0x00, AuthenticationTrigger.ServerSuccess)]
    [InlineData(0x19, AuthenticationTrigger.ServerInvalid)]
    public void An_AUTH_before_the_reauthentication_was_sent_closes_the_link(byte reasonCode, AuthenticationTrigger trigger)
    {
        Setup x = Make(23);
        x.S.Connect();
        x.Authenticator.WaitAt = "restart";
        Task reauthentication = x.S.Start(c => c.ReauthenticateAsync());
        Assert.True(x.S.RunUntil(() => x.Authenticator.Waiting, Long));
        Assert.True(x.S.World.Broker.SendStray(Scenario.ClientId, Auth(reasonCode)));
        Assert.True(x.S.RunUntil(() => reauthentication.IsCompleted, Long));
        x.Authenticator.Release();

        Assert.True(Took(x.S, AuthenticationState.ReauthStarting, trigger, AuthenticationState.Idle));
    }

    [Theory]
    [InlineData(AuthenticationMisbehaviour.ReauthenticateFromBroker, AuthenticationState.Reauthenticating, AuthenticationTrigger.ServerInvalid, 0x18)]
    [InlineData(AuthenticationMisbehaviour.ReauthChallengeThenAuth, AuthenticationState.ReauthAnswering, AuthenticationTrigger.ServerContinue, 0x18)]
    [InlineData(AuthenticationMisbehaviour.ReauthChallengeThenAuth, AuthenticationState.ReauthAnswering, AuthenticationTrigger.ServerSuccess, 0x00)]
    [InlineData(AuthenticationMisbehaviour.ReauthChallengeThenAuth, AuthenticationState.ReauthAnswering, AuthenticationTrigger.ServerInvalid, 0x19)]
    public void A_broker_breaking_a_reauthentication_has_its_link_closed(AuthenticationMisbehaviour misbehaviour, AuthenticationState state, AuthenticationTrigger trigger, byte extra)
    {
        Setup x = Make(24);
        x.S.Connect();
        x.Broker.Misbehaviour = misbehaviour;
        x.Broker.ExtraReasonCode = extra;
        x.Authenticator.WaitAt = "continue";
        Task reauthentication = x.S.Start(c => c.ReauthenticateAsync());
        Assert.True(x.S.RunUntil(() => reauthentication.IsCompleted, Long), Trace(x.S));
        x.Authenticator.Release();

        Assert.IsType<MqttAuthenticationException>(Scenario.Failure(reauthentication));
        Assert.True(Took(x.S, state, trigger, AuthenticationState.Idle));
    }

    [Fact]
    public void An_authenticator_failing_while_disconnecting_ends_the_disconnect_at_once()
    {
        Setup x = Make(25, authenticator: a => a.WaitAt = "complete");
        x.S.Connect();
        Assert.True(x.S.RunUntil(() => x.Authenticator.Waiting, Long));
        x.S.World.Network.LastLink!.StallClientWrites(); // DISCONNECT cannot be written: the client stays Disconnecting
        Task disconnect = x.S.Start(c => c.DisconnectAsync());
        x.S.RunFor(TimeSpan.FromMilliseconds(1));
        x.Authenticator.FailAt = "complete";
        x.Authenticator.Release();
        x.S.Await(disconnect);

        Assert.True(TookConnection(x.S, ConnectionState.Disconnecting, ConnectionTrigger.ConfigurationError, ConnectionState.Closed), Trace(x.S));
    }

    [Theory]
    [InlineData("restart", AuthenticationState.ReauthStarting)]
    [InlineData("continue", AuthenticationState.ReauthAnswering)]
    public void An_authenticator_answering_after_DisconnectAsync_began_fails_the_reauthentication_and_sends_no_AUTH(string step, AuthenticationState state)
    {
        Setup x = Make(27);
        x.S.Connect();
        x.Authenticator.WaitAt = step;
        Task reauthentication = x.S.Start(c => c.ReauthenticateAsync());
        Assert.True(x.S.RunUntil(() => x.Authenticator.Waiting, Long), Trace(x.S));
        int authsSeen = x.Broker.Seen.Count;
        x.S.World.Network.LastLink!.StallClientWrites(); // DISCONNECT cannot be written: the client stays Disconnecting
        Task disconnect = x.S.Start(c => c.DisconnectAsync());
        x.S.RunFor(TimeSpan.FromMilliseconds(1));
        x.Authenticator.Release();
        Assert.True(x.S.RunUntil(() => reauthentication.IsCompleted, Long), Trace(x.S));

        // Nothing may follow DISCONNECT [MQTT-3.14.4-2]: the answer is dropped and the call fails saying why.
        var failure = Assert.IsType<MqttAuthenticationException>(Scenario.Failure(reauthentication));
        Assert.Contains("disconnecting", failure.Message, StringComparison.Ordinal);
        Assert.True(Took(x.S, state, AuthenticationTrigger.AnswerReady, AuthenticationState.Idle), Trace(x.S));
        Assert.Equal(authsSeen, x.Broker.Seen.Count);
        x.S.Await(disconnect);
        x.S.AssertConformant();
    }

    [Fact]
    public void An_AUTH_to_a_client_that_named_no_method_closes_the_link()
    {
        var s = new Scenario(26, o => o.ProtocolVersion = MqttProtocolVersion.V500);
        s.Connect();
        int links = s.World.Network.LinksOpened;
        Assert.True(s.World.Broker.SendStray(Scenario.ClientId, Auth(0x18)));
        Assert.True(s.RunUntil(() => s.Client.IsConnected && s.World.Network.LinksOpened > links, Long));
        Assert.Contains(s.Events, e => e.Event.Reason.Contains("[MQTT-4.12.0-6]", StringComparison.Ordinal));
    }

    [Fact]
    public void ReauthenticateAsync_without_an_authenticator_says_what_to_set()
    {
        var s = new Scenario(27, o => o.ProtocolVersion = MqttProtocolVersion.V500);
        s.Connect();
        var refused = Assert.Throws<InvalidOperationException>(() => { _ = s.Client.ReauthenticateAsync(); });
        Assert.Contains("EnhancedAuthenticator", refused.Message, StringComparison.Ordinal);
    }
}
