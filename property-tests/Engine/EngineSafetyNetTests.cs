using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>
/// The engine's defences against machines that do not match it: an effect it has no binding for is an error that
/// names it, and a send the send rules forbid is refused and counted, never put on the link (I3). The Stateless
/// machines never do this; these tests wrap them so that one does.
/// </summary>
public sealed class EngineSafetyNetTests
{
    private const int UnboundEffect = 99;

    [Fact]
    public void A_connection_effect_with_no_binding_is_an_error_naming_it()
    {
        var h = new EngineHarness(machines: inner => new Rewriting(inner) { Connection = (_, _) => (ConnectionEffect)UnboundEffect });

        var error = Assert.Throws<InvalidOperationException>(() => h.Engine.Connect(new object(), 0));

        Assert.Equal("Connection effect 99 has no binding in the engine.", error.Message);
    }

    [Fact]
    public void A_keepalive_effect_with_no_binding_is_an_error_naming_it()
    {
        var h = new EngineHarness(machines: inner => new Rewriting(inner) { KeepAlive = (trigger, effect) => trigger == KeepAliveTrigger.LinkUp ? (KeepAliveEffect)UnboundEffect : effect });
        h.Do((e, now) => e.Connect(new object(), now));
        h.Open();

        var error = Assert.Throws<InvalidOperationException>(() => h.ConnAck());

        Assert.Equal("KeepAlive effect 99 has no binding in the engine.", error.Message);
    }

    [Fact]
    public void A_publish_effect_with_no_binding_is_an_error_naming_it()
    {
        var h = new EngineHarness(machines: inner => new Rewriting(inner) { Publish = (_, _) => (PublishEffect)UnboundEffect });
        h.Connect();

        var error = Assert.Throws<InvalidOperationException>(() => h.Engine.Publish(new OutboundMessage("t", [1], 1, false, new object()), h.Now));

        Assert.Equal("Publish effect 99 has no binding in the engine.", error.Message);
    }

    [Fact]
    public void A_ping_asked_for_before_CONNACK_is_refused_and_counted_not_sent()
    {
        // The link is open but the state is AwaitingConnAck, where only CONNECT may go [MQTT-3.1.0-1].
        var h = new EngineHarness(machines: inner => new Rewriting(inner)
        {
            KeepAlive = (trigger, effect) => trigger == KeepAliveTrigger.PacketReceived ? KeepAliveEffect.SendPingReq : effect,
        });
        h.Do((e, now) => e.Connect(new object(), now));
        h.Open();

        h.ConnAck();

        Assert.Equal(1, h.Engine.Statistics.SendsRefused);
        Assert.DoesNotContain(PacketKind.PingReq, h.SentKinds);
        Assert.Equal(ConnectionState.Connected, h.Engine.State);
    }

    [Fact]
    public void A_ping_asked_for_once_the_link_is_closed_is_refused_and_counted_not_sent()
    {
        var h = new EngineHarness(machines: inner => new Rewriting(inner)
        {
            KeepAlive = (trigger, effect) => trigger == KeepAliveTrigger.LinkDown ? KeepAliveEffect.SendPingReq : effect,
        });
        h.Connect();
        int mark = h.Mark();

        h.LinkError();

        Assert.Equal(1, h.Engine.Statistics.SendsRefused);
        Assert.Empty(h.SentSince(mark));
    }

    [Fact]
    public void The_triggers_the_engine_fires_without_a_cause_never_end_in_an_effect_that_reports_one()
    {
        // The engine fires these with an empty reason (FireConnection(trigger)); CloseAndBackoff and FailConnect report
        // the reason of the trigger that led to them, so a row joining the two would report nothing.
        ConnectionTrigger[] silent =
        [
            ConnectionTrigger.Connect, ConnectionTrigger.Disconnect, ConnectionTrigger.Dispose, ConnectionTrigger.SocketOpened,
            ConnectionTrigger.SocketPending, ConnectionTrigger.ConnAckSessionPresent, ConnectionTrigger.ConnAckNewSession,
            ConnectionTrigger.DisconnectFlushed, ConnectionTrigger.BackoffElapsed,
        ];

        Assert.DoesNotContain(ConnectionTable.CreateRows(), r =>
            silent.Contains(r.Trigger) && r.Effect is ConnectionEffect.CloseAndBackoff or ConnectionEffect.FailConnect);
    }

    [Fact]
    public void Rows_without_a_guard_always_hold()
    {
        var h = new EngineHarness();

        Assert.True(h.Engine.Holds(ConnectionGuard.None));
        Assert.True(h.Engine.Holds(KeepAliveGuard.None));
    }

    [Fact]
    public void The_engine_reports_the_time_of_the_last_call()
    {
        var h = new EngineHarness();
        h.Do((e, _) => e.Connect(new object(), 1_234));

        Assert.Equal(1_234, h.Engine.Now);
    }

    /// <summary>The Stateless machines, with the effects they answer rewritten.</summary>
    private sealed class Rewriting(IMachineFactory inner) : IMachineFactory
    {
        public Func<ConnectionTrigger, ConnectionEffect, ConnectionEffect>? Connection { get; init; }

        public Func<KeepAliveTrigger, KeepAliveEffect, KeepAliveEffect>? KeepAlive { get; init; }

        public Func<PublishTrigger, PublishEffect, PublishEffect>? Publish { get; init; }

        public IConnectionMachine CreateConnection(IConnectionGuards guards) => new ConnectionMachine(inner.CreateConnection(guards), Connection);

        public IKeepAliveMachine CreateKeepAlive(IKeepAliveGuards guards) => new KeepAliveMachine(inner.CreateKeepAlive(guards), KeepAlive);

        public IPublishMachine CreatePublish() => new PublishMachine(inner.CreatePublish(), Publish);

        public IReceiptMachine CreateReceipt() => inner.CreateReceipt();

        public IAuthenticationMachine CreateAuthentication(IAuthenticationGuards guards) => inner.CreateAuthentication(guards);

        private sealed class ConnectionMachine(IConnectionMachine machine, Func<ConnectionTrigger, ConnectionEffect, ConnectionEffect>? rewrite) : IConnectionMachine
        {
            public ConnectionState State => machine.State;

            public ConnectionEffect Fire(ConnectionTrigger trigger)
            {
                ConnectionEffect effect = machine.Fire(trigger);
                return rewrite is null ? effect : rewrite(trigger, effect);
            }
        }

        private sealed class KeepAliveMachine(IKeepAliveMachine machine, Func<KeepAliveTrigger, KeepAliveEffect, KeepAliveEffect>? rewrite) : IKeepAliveMachine
        {
            public KeepAliveState State => machine.State;

            public KeepAliveEffect Fire(KeepAliveTrigger trigger)
            {
                KeepAliveEffect effect = machine.Fire(trigger);
                return rewrite is null ? effect : rewrite(trigger, effect);
            }
        }

        private sealed class PublishMachine(IPublishMachine machine, Func<PublishTrigger, PublishEffect, PublishEffect>? rewrite) : IPublishMachine
        {
            public PublishEffect Fire(IPublishFlow flow, PublishTrigger trigger)
            {
                PublishEffect effect = machine.Fire(flow, trigger);
                return rewrite is null ? effect : rewrite(trigger, effect);
            }
        }
    }
}
