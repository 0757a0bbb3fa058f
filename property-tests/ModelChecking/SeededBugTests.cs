using StateMachineMqtt.Engine;
using StateMachineMqtt.Machines;
using StateMachineMqtt.Spec;
using StateMachineMqtt.Verification.ModelChecking;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// The checker has teeth: one wrong row in a copy of a table (run by the engine through the same machines), or one wrong
/// guard binding seeded into the engine through its machine interfaces, is caught — with a trace, replayed on core/'s
/// StatelessMachines, through the wrong row.
/// </summary>
public sealed class SeededBugTests(ITestOutputHelper output)
{
    /// <summary>The default model (exhausted in seconds); the seeded bugs show long before.</summary>
    private static readonly ModelOptions Default = new();

    /// <summary>For the bugs one fault shows (a reset link), and the liveness bugs, which need the whole graph: a smaller model.</summary>
    private static readonly ModelOptions OneFault = new() { Without = ModelOptions.FaultsExcept(ModelEventKind.LinkReset) };

    /// <summary>One QoS 2 message instead of the QoS 1 one, with a kept session (the broker holds its identifier across links).</summary>
    private static readonly ModelOptions Qos2 = new(MaxMessages: 0, CleanSession: false) { Qos2Messages = 1 };

    /// <summary>The same with a reset link as the only fault: small enough for the liveness bugs' whole graph.</summary>
    private static readonly ModelOptions Qos2OneFault = Qos2 with { Without = ModelOptions.FaultsExcept(ModelEventKind.LinkReset) };

    /// <summary>The broker publishes one QoS 2 message to the client, which keeps its session; no outbound message.</summary>
    private static readonly ModelOptions InboundQos2 = new(MaxMessages: 0, CleanSession: false) { InboundQos2Messages = 1 };

    [Fact]
    public void A_lost_link_that_counts_a_sent_message_as_acknowledged_breaks_I1() =>
        AssertCaught(RowMutation.Publish(PublishState.AwaitingPubAck, PublishTrigger.LinkLost, PublishState.Acked, PublishEffect.CompletePublish), "I1", "AwaitingPubAck --LinkLost--> Acked");

    [Fact]
    public void A_lost_link_that_moves_a_sent_message_to_Acked_without_completing_it_breaks_I1() =>
        AssertCaught(RowMutation.Publish(PublishState.AwaitingPubAck, PublishTrigger.LinkLost, PublishState.Acked, PublishEffect.None), "I1", "AwaitingPubAck --LinkLost--> Acked / None");

    [Fact]
    public void A_queued_message_dropped_when_the_link_goes_breaks_I1() =>
        AssertCaught(RowMutation.Publish(PublishState.Queued, PublishTrigger.LinkLost, PublishState.Withdrawn, PublishEffect.Withdraw), "I1", "Queued --LinkLost--> Withdrawn");

    /// <summary>Two PUBACK deadlines on one live link need a broker that loses PUBACKs (else keepalive ends the link first).</summary>
    [Fact]
    public void A_timeout_that_gives_up_on_a_message_breaks_I1() => AssertCaught(RowMutation.Publish(
        PublishState.AwaitingPubAck, PublishTrigger.ResponseTimeout, PublishState.Withdrawn, PublishEffect.Withdraw, PublishGuard.RetriesExhausted), "I1", "--ResponseTimeout--> Withdrawn",
        new ModelOptions(LossyBroker: true) { Without = ModelOptions.FaultsExcept(ModelEventKind.LoseAnswer) });

    [Fact]
    public void A_resend_on_reconnect_without_DUP_breaks_I4() =>
        AssertCaught(RowMutation.Publish(PublishState.Resend, PublishTrigger.Transmit, PublishState.AwaitingPubAck, PublishEffect.SendPublish), "I4", "Resend --Transmit--> AwaitingPubAck / SendPublish");

    [Fact]
    public void A_resend_after_the_response_time_without_DUP_breaks_I4() => AssertCaught(RowMutation.Publish(
        PublishState.AwaitingPubAck, PublishTrigger.ResponseTimeout, PublishState.AwaitingPubAck, PublishEffect.SendPublish, PublishGuard.V311ResendsLeft), "I4", "--ResponseTimeout--> AwaitingPubAck / SendPublish");

    /// <summary>After PUBREC the broker may already have released the identifier, so a PUBLISH sent again is a new message to it.</summary>
    [Fact]
    public void A_lost_link_that_sends_the_QoS_2_PUBLISH_again_after_PUBREL_breaks_I4() =>
        AssertCaught(RowMutation.Publish(PublishState.AwaitingPubComp, PublishTrigger.LinkLost, PublishState.ResendQos2, PublishEffect.None), "I4", "AwaitingPubComp --LinkLost--> ResendQos2", Qos2);

    [Fact]
    public void Completing_a_QoS_2_message_at_PUBREC_breaks_I1() =>
        AssertCaught(RowMutation.Publish(PublishState.AwaitingPubRec, PublishTrigger.PubRec, PublishState.Acked, PublishEffect.CompletePublish), "I1", "AwaitingPubRec --PubRec--> Acked / CompletePublish", Qos2);

    [Fact]
    public void A_PUBREL_that_is_never_resent_after_a_reconnect_breaks_I6() =>
        AssertCaught(RowMutation.Publish(PublishState.ResendPubRel, PublishTrigger.Transmit, PublishState.ResendPubRel, PublishEffect.None), "I6", "--- cycle", Qos2OneFault);

    /// <summary>
    /// The broker's exactly-once check (I9) backs up I4's: with the PUBLISH sent again after a PUBREL the broker took, the
    /// broker, whose session persisted and released the identifier, delivers the message a second time. The client's
    /// re-send is caught first (I4, the step that writes it), so the scenario is driven by hand past it, event by event.
    /// </summary>
    [Fact]
    public void A_PUBLISH_sent_again_after_the_broker_took_its_PUBREL_is_delivered_twice_I9()
    {
        var tables = RowMutation.Publish(PublishState.ResendPubRel, PublishTrigger.Transmit, PublishState.AwaitingPubRec, PublishEffect.SendPublishDup);
        World world = World.Initial(Qos2, new StatelessMachines(tables));
        var enabled = new List<ModelEvent>();
        var violations = new List<string>();
        ModelEventKind[] script =
        [
            ModelEventKind.AppRetryConnect, ModelEventKind.AppPublishQos2, ModelEventKind.SocketOpened,
            ModelEventKind.DeliverToBroker, ModelEventKind.DeliverToClient, // CONNECT, CONNACK: SUBSCRIBE and PUBLISH go out
            ModelEventKind.DeliverToBroker, ModelEventKind.DeliverToBroker, // SUBSCRIBE, PUBLISH: delivered once, PUBREC
            ModelEventKind.DeliverToClient, ModelEventKind.DeliverToClient, // SUBACK, PUBREC: PUBREL goes out
            ModelEventKind.DeliverToBroker, // PUBREL: the broker releases the identifier; its PUBCOMP is lost with the link
            ModelEventKind.LinkReset, ModelEventKind.Timeout, ModelEventKind.SocketOpened,
            ModelEventKind.DeliverToBroker, ModelEventKind.DeliverToClient, // CONNECT, CONNACK (session present): the seeded row re-sends the PUBLISH
            ModelEventKind.DeliverToBroker, // the PUBLISH: a new identifier to the broker, a second delivery
        ];
        foreach (ModelEventKind kind in script)
        {
            enabled.Clear();
            world.Enabled(enabled);
            Assert.True(enabled.Contains(new ModelEvent(kind)), $"{kind} is not enabled after {violations.Count} violations in {world}");
            Violation? violation = world.Apply(new ModelEvent(kind));
            violations.Add(violation?.Invariant ?? "-");
            output.WriteLine($"{kind}: {world}{(violation is null ? "" : "  <-- " + violation)}");
        }

        Assert.Equal(["-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "I4", "I9"], violations);
    }

    [Fact]
    public void Resuming_a_new_session_without_restoring_subscriptions_breaks_I8() =>
        AssertCaught(RowMutation.Connection(ConnectionState.AwaitingConnAck, ConnectionTrigger.ConnAckNewSession, ConnectionState.Connected, ConnectionEffect.ResumeSession), "I8", "ConnAckNewSession--> Connected / ResumeSession", OneFault);

    [Fact]
    public void Treating_EWOULDBLOCK_before_CONNACK_as_connected_breaks_I3() =>
        AssertCaught(RowMutation.Connection(ConnectionState.AwaitingConnAck, ConnectionTrigger.SocketPending, ConnectionState.Connected, ConnectionEffect.ResumeSession), "I3", "AwaitingConnAck --SocketPending--> Connected");

    [Fact]
    public void A_backoff_that_never_retries_breaks_I6() =>
        AssertCaught(RowMutation.Connection(ConnectionState.Backoff, ConnectionTrigger.BackoffElapsed, ConnectionState.Backoff, ConnectionEffect.None, ConnectionGuard.RetryAllowed), "I6", "Backoff --BackoffElapsed--> Backoff / None", OneFault);

    [Fact]
    public void A_lost_link_that_stops_the_client_instead_of_reconnecting_breaks_I6() =>
        AssertCaught(RowMutation.Connection(ConnectionState.Connected, ConnectionTrigger.LinkLost, ConnectionState.Closed, ConnectionEffect.StopReconnecting), "I6", "Connected --LinkLost--> Closed / StopReconnecting", OneFault);

    [Fact]
    public void A_message_that_is_never_resent_after_a_reconnect_breaks_I6() =>
        AssertCaught(RowMutation.Publish(PublishState.Resend, PublishTrigger.Transmit, PublishState.Resend, PublishEffect.None), "I6", "--- cycle", OneFault);

    [Fact]
    public void Silence_for_a_keepalive_period_that_only_re_arms_the_timer_is_a_livelock() =>
        AssertCaught(RowMutation.KeepAlive(KeepAliveState.PingOutstanding, KeepAliveTrigger.Tick, KeepAliveGuard.KeepAliveElapsed, KeepAliveState.PingOutstanding, KeepAliveEffect.ArmTimer),
            "Livelock", "PingOutstanding --Tick--> PingOutstanding / ArmTimer");

    [Fact]
    public void A_ping_that_is_never_sent_is_a_hole_the_client_would_crash_on() =>
        // Dropping a row (not changing it) leaves (state, trigger, guard) with no row: TableMachine throws there.
        AssertCaught(RowMutation.WithoutKeepAlive(KeepAliveState.Idle, KeepAliveTrigger.Tick, KeepAliveGuard.PingIntervalElapsed), "NoRow", "Timeout");

    /// <summary>The bug the checker found before the SessionInDoubt guard existed: "session present" always believed.</summary>
    [Fact]
    public void Trusting_every_session_present_loses_subscriptions_with_a_kept_session_I8() => AssertCaught(
        new GuardMutation("session present is always trusted", Connection:
        [
            new(ConnectionGuard.SessionTrusted, ConnectionGuard.SessionTrusted, ConnectionGuard.SessionInDoubt), // always
            new(ConnectionGuard.SessionInDoubt), // never
        ]),
        "I8", "AwaitingConnAck --ConnAckSessionPresent--> Connected / ResumeSession",
        new ModelOptions(CleanSession: false) { Without = ModelOptions.FaultsExcept(ModelEventKind.BrokerCrashLoseSession, ModelEventKind.LinkReset) });

    [Fact]
    public void A_keepalive_that_never_finds_the_link_silent_is_a_livelock() => AssertCaught(
        new GuardMutation("KeepAliveElapsed is judged PingIntervalElapsed", KeepAlive:
        [
            new(KeepAliveGuard.KeepAliveElapsed), // never
            new(KeepAliveGuard.PingIntervalElapsed, KeepAliveGuard.PingIntervalElapsed, KeepAliveGuard.KeepAliveElapsed),
        ]),
        "Livelock", "Tick--> PingOutstanding / SendPingReq");

    [Fact]
    public void A_keepalive_that_stops_its_timer_when_a_ping_is_due_breaks_I5() =>
        AssertCaught(RowMutation.KeepAlive(KeepAliveState.Idle, KeepAliveTrigger.Tick, KeepAliveGuard.PingIntervalElapsed, KeepAliveState.Idle, KeepAliveEffect.DisarmTimer), "I5", "Idle --Tick--> Idle / DisarmTimer");

    /// <summary>A re-send with DUP of a message still in the application's queue delivered again: two copies queued.</summary>
    [Fact]
    public void An_inbound_QoS_2_resend_delivered_while_the_first_copy_is_queued_breaks_I9() =>
        AssertCaught(RowMutation.Receipt(ReceiptState.Held, ReceiptTrigger.Publish, ReceiptState.Held, ReceiptEffect.Deliver, ReceiptGuard.Redelivery), "I9", "Held --Publish--> Held / Deliver", InboundQos2, "queued for the application 2 time(s)");

    /// <summary>A re-send with DUP (the PUBREC was lost with the link) of a message the application already took, delivered again.</summary>
    [Fact]
    public void An_inbound_QoS_2_resend_delivered_after_the_application_took_it_breaks_I9() =>
        AssertCaught(RowMutation.Receipt(ReceiptState.AwaitingPubRel, ReceiptTrigger.Publish, ReceiptState.AwaitingPubRel, ReceiptEffect.Deliver, ReceiptGuard.Redelivery), "I9", "AwaitingPubRel --Publish--> AwaitingPubRel / Deliver", InboundQos2, "after it was taken");

    [Fact]
    public void A_PUBREL_released_without_PUBCOMP_breaks_I9() =>
        AssertCaught(RowMutation.Receipt(ReceiptState.AwaitingPubRel, ReceiptTrigger.PubRel, ReceiptState.Released, ReceiptEffect.Forget), "I9", "AwaitingPubRel --PubRel--> Released / Forget", InboundQos2, "answered no PUBCOMP");

    /// <summary>Taken after its link went, a message's PUBREC goes anyway: on a link its PUBLISH never came on [MQTT-4.4.0-1].</summary>
    [Fact]
    public void A_PUBREC_on_a_new_link_breaks_I3() =>
        AssertCaught(RowMutation.Receipt(ReceiptState.Held, ReceiptTrigger.Taken, ReceiptState.AwaitingPubRel, ReceiptEffect.SendPubRec, ReceiptGuard.LinkGone), "I3", "Held --Taken--> AwaitingPubRel / SendPubRec", InboundQos2);

    /// <summary>
    /// The same row, driven past the send rules (which refuse a PUBREC while no link is up, the shortest way the search finds
    /// it): taken once the next link is up, the message's PUBREC goes on that link, where its PUBLISH never came.
    /// </summary>
    [Fact]
    public void A_PUBREC_on_a_new_link_after_the_reconnect_breaks_I3()
    {
        var tables = RowMutation.Receipt(ReceiptState.Held, ReceiptTrigger.Taken, ReceiptState.AwaitingPubRel, ReceiptEffect.SendPubRec, ReceiptGuard.LinkGone);
        World world = World.Initial(InboundQos2, new StatelessMachines(tables));
        var enabled = new List<ModelEvent>();
        var violations = new List<Violation?>();
        ModelEventKind[] script =
        [
            ModelEventKind.AppRetryConnect, ModelEventKind.SocketOpened,
            ModelEventKind.DeliverToBroker, ModelEventKind.DeliverToClient, // CONNECT, CONNACK: SUBSCRIBE goes out
            ModelEventKind.DeliverToBroker, ModelEventKind.BrokerPublishQos2, // SUBSCRIBE; the broker publishes behind its SUBACK
            ModelEventKind.DeliverToClient, ModelEventKind.DeliverToClient, // SUBACK, PUBLISH: queued, received on this link
            ModelEventKind.LinkReset, ModelEventKind.Timeout, ModelEventKind.SocketOpened,
            ModelEventKind.DeliverToBroker, ModelEventKind.DeliverToClient, // CONNECT, CONNACK (session present); the DUP re-send still on its way
            ModelEventKind.AppTake, // taken now: the seeded row sends PUBREC on the new link
        ];
        foreach (ModelEventKind kind in script)
        {
            enabled.Clear();
            world.Enabled(enabled);
            Assert.True(enabled.Contains(new ModelEvent(kind)), $"{kind} is not enabled after {violations.Count} steps in {world}");
            Violation? violation = world.Apply(new ModelEvent(kind));
            violations.Add(violation);
            output.WriteLine($"{kind}: {world}{(violation is null ? "" : "  <-- " + violation)}");
        }

        Assert.All(violations.Take(script.Length - 1), v => Assert.Null(v));
        Violation last = Assert.IsType<Violation>(violations[^1]);
        Assert.Equal("I3", last.Invariant);
        Assert.Contains("but its PUBLISH came on link", last.Message, StringComparison.Ordinal);
    }

    /// <summary>PUBREC on arrival, before the application has the message: the broker counts it delivered while only the engine's queue holds it.</summary>
    [Fact]
    public void A_PUBREC_before_the_application_took_the_message_breaks_I1() =>
        AssertCaught(RowMutation.Receipt(ReceiptState.Unknown, ReceiptTrigger.Publish, ReceiptState.Held, ReceiptEffect.SendPubRec), "I1", "Unknown --Publish--> Held / SendPubRec", InboundQos2, "before the application took it");

    /// <summary>A trusted "session present" handled as a new session: the receipts are forgotten though the broker kept them.</summary>
    [Fact]
    public void Forgetting_the_receipts_when_the_session_is_kept_breaks_I9() => AssertCaught(
        RowMutation.Connection(ConnectionState.AwaitingConnAck, ConnectionTrigger.ConnAckSessionPresent, ConnectionState.Connected, ConnectionEffect.StartNewSession, ConnectionGuard.SessionTrusted),
        "I9", "ConnAckSessionPresent--> Connected / StartNewSession", InboundQos2 with { Without = ModelOptions.FaultsExcept(ModelEventKind.LinkReset) }, "holds no receipt");

    /// <summary>
    /// The engine bug this model found (fixed by the ResumeSessionInDoubt effect): a present session in doubt, after a CONNECT
    /// lost its CONNACK, was handled as a new session, so the receipts went and the broker's re-send with DUP was delivered again.
    /// </summary>
    [Fact]
    public void Forgetting_the_receipts_when_a_present_session_is_in_doubt_breaks_I9() => AssertCaught(
        RowMutation.Connection(ConnectionState.AwaitingConnAck, ConnectionTrigger.ConnAckSessionPresent, ConnectionState.Connected, ConnectionEffect.StartNewSession, ConnectionGuard.SessionInDoubt),
        "I9", "ConnAckSessionPresent--> Connected / StartNewSession", InboundQos2 with { Without = ModelOptions.FaultsExcept(ModelEventKind.LinkReset) }, "holds no receipt");

    private void AssertCaught(MachineTables tables, string invariant, string traceMentions, ModelOptions? options = null, string? messageMentions = null) =>
        AssertCaught(new ModelChecker(tables, options ?? Default), invariant, traceMentions, messageMentions);

    private void AssertCaught(GuardMutation mutation, string invariant, string traceMentions, ModelOptions? options = null) =>
        AssertCaught(new ModelChecker(options: options ?? Default, mutation: mutation), invariant, traceMentions);

    private void AssertCaught(ModelChecker checker, string invariant, string traceMentions, string? messageMentions = null)
    {
        var report = checker.Run(int.MaxValue);
        output.WriteLine(report.ToString());
        Assert.True(report.Violation is not null, "the seeded bug was not caught: " + report);
        Assert.Equal(invariant, report.Violation.Invariant);
        if (messageMentions is not null)
        {
            Assert.Contains(messageMentions, report.Violation.Message, StringComparison.Ordinal);
        }

        Assert.Contains(report.Trace, line => line.Contains(traceMentions, StringComparison.Ordinal));
        if (invariant is not ("I6" or "I7"))
        {
            // A safety violation is met again when its trace is replayed on core/'s own StatelessMachines.
            Assert.Equal(report.Violation, report.ReplayedViolation);
        }
    }
}
