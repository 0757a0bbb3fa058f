using StateMachineMqtt.Verification.ModelChecking;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// The model checks with a kept session, outbound and inbound: a class of their own so that they run beside
/// <see cref="ModelCheckerTests"/> (the clean-session ones) rather than after it. The one-message model is explored
/// exhaustively; <c>SMQTT_CHECK_DEPTH_QOS2=200</c> exhausts the one-QoS-2-message model (at depth 110),
/// <c>SMQTT_CHECK_DEPTH_MIXED</c> deepens the QoS 1 + QoS 2 one, <c>SMQTT_CHECK_DEPTH_INBOUND=200</c> exhausts the
/// inbound QoS 2 one (at depth 124), and <c>SMQTT_CHECK_DEPTH_INBOUND_MIXED</c> and <c>SMQTT_CHECK_DEPTH_INBOUND_TWO</c>
/// deepen the others.
/// </summary>
public sealed class KeptSessionModelCheckerTests(ITestOutputHelper output)
{
    /// <summary>
    /// The depth CI explores the one-QoS-2-message configuration to: room for a whole flow (11 events from the start) and a
    /// lost link with its reconnect in it; <c>SMQTT_CHECK_DEPTH_QOS2=200</c> exhausts it at 110, with five times the states.
    /// </summary>
    public const int CiDepthQos2 = 20;

    /// <summary>The depth CI explores a QoS 1 and a QoS 2 message in a window of two to (<c>SMQTT_CHECK_DEPTH_MIXED</c> deepens it).</summary>
    public const int CiDepthQos1AndQos2 = 14;

    /// <summary>
    /// The depth CI explores the inbound QoS 2 configurations to: room for a whole exchange (PUBLISH, Take, PUBREC, PUBREL,
    /// PUBCOMP) after the connect, or a lost link and the broker's re-send with DUP on the reconnect; <c>SMQTT_CHECK_DEPTH_INBOUND</c> deepens them.
    /// </summary>
    public const int CiDepthInbound = 20;

    /// <summary>The depth CI explores two inbound QoS 2 messages to (<c>SMQTT_CHECK_DEPTH_INBOUND_TWO</c> deepens it).</summary>
    public const int CiDepthInboundTwo = 18;

    /// <summary>The depth CI explores inbound QoS 2 and QoS 1 together to (<c>SMQTT_CHECK_DEPTH_INBOUND_MIXED</c> deepens it).</summary>
    public const int CiDepthInboundMixed = 16;

    /// <summary>
    /// With a kept session the broker answers "session present"; the SessionInDoubt guard makes the engine restore the
    /// subscriptions when that session may be one the broker made empty while a CONNACK was lost (I8; the bug this checker
    /// found before the guard existed is SeededBugTests.Trusting_every_session_present_loses_subscriptions_with_a_kept_session_I8).
    /// </summary>
    [Fact]
    public void With_a_kept_session_subscriptions_are_in_force_after_every_reconnect()
    {
        var report = Check(new ModelOptions(MaxMessages: 1, Window: 1, MaxRepublishes: 1, CleanSession: false, SlowLink: true, LossyBroker: true), int.MaxValue);
        Assert.True(report.Exhaustive, report.ToString());
    }

    /// <summary>
    /// A QoS 2 message with a kept session, its PUBREC and PUBCOMP lost, duplicated or late, links and the broker failing with
    /// and without its session: held until PUBCOMP (I1), DUP on every re-send of its PUBLISH and no PUBLISH once PUBREL was
    /// sent (I4), and delivered by the broker once in a session that persisted (I9).
    /// </summary>
    [Fact]
    public void A_QoS_2_message_with_a_kept_session_is_delivered_exactly_once_to_the_stated_depth()
    {
        int depth = Depth(CiDepthQos2, "SMQTT_CHECK_DEPTH_QOS2");
        var report = Check(new ModelOptions(MaxMessages: 0, Window: 1, MaxRepublishes: 1, CleanSession: false, SlowLink: true, LossyBroker: true) { Qos2Messages = 1 }, depth);
        Assert.True(report.Depth >= depth || report.Exhaustive, report.ToString());
    }

    /// <summary>A QoS 1 and a QoS 2 message share the in-flight window and the packet identifiers (I2), in acceptance order.</summary>
    [Fact]
    public void A_QoS_1_and_a_QoS_2_message_in_a_window_of_two_keep_every_invariant_to_the_stated_depth()
    {
        int depth = Depth(CiDepthQos1AndQos2, "SMQTT_CHECK_DEPTH_MIXED");
        var report = Check(new ModelOptions(MaxMessages: 1, Window: 2, MaxRepublishes: 1, CleanSession: false, SlowLink: true, LossyBroker: true) { Qos2Messages = 1 }, depth);
        Assert.True(report.Depth >= depth || report.Exhaustive, report.ToString());
    }

    /// <summary>
    /// A QoS 2 message the broker publishes to the client, with a kept session: re-sent with DUP on every reconnect with the
    /// session present until PUBREC, its PUBREL until PUBCOMP, answers lost or duplicated, links and the broker failing with
    /// and without the session, CONNACKs lost so the session is in doubt. The application takes it at any moment. It is
    /// delivered to the application at most once (I9), never lost while the session is kept (I1), its PUBREC goes only after
    /// the application has it and only on its PUBLISH's link, every PUBREL is answered with PUBCOMP, and the receipt is held
    /// until PUBREL.
    /// </summary>
    [Fact]
    public void An_inbound_QoS_2_message_with_a_kept_session_is_delivered_exactly_once_to_the_stated_depth()
    {
        int depth = Depth(CiDepthInbound, "SMQTT_CHECK_DEPTH_INBOUND");
        var report = Check(new ModelOptions(MaxMessages: 0, Window: 1, MaxRepublishes: 1, CleanSession: false, SlowLink: true, LossyBroker: true) { InboundQos2Messages = 1 }, depth);
        Assert.True(report.Depth >= depth || report.Exhaustive, report.ToString());
    }

    /// <summary>
    /// Inbound QoS 2 and QoS 1 side by side with a kept session: the broker's identifiers shared between them, QoS 1 at least
    /// once and acknowledged only once taken, on its PUBLISH's link, never lost while the session is kept.
    /// </summary>
    [Fact]
    public void Inbound_QoS_2_and_QoS_1_messages_keep_every_invariant_to_the_stated_depth()
    {
        int depth = Depth(CiDepthInboundMixed, "SMQTT_CHECK_DEPTH_INBOUND_MIXED");
        var report = Check(new ModelOptions(MaxMessages: 0, Window: 1, MaxRepublishes: 1, CleanSession: false, SlowLink: true, LossyBroker: true) { InboundQos2Messages = 1, InboundQos1Messages = 1 }, depth);
        Assert.True(report.Depth >= depth || report.Exhaustive, report.ToString());
    }

    /// <summary>
    /// Two QoS 2 messages the broker publishes to the client, with a kept session, so the broker can give the second one
    /// the identifier of the first. The case this found: the broker loses its session while the client holds message 0's
    /// receipt, a CONNECT's CONNACK (session present 0) is lost, the next says present = 1 of the new session, and message 1
    /// comes with identifier 1 and DUP = 0. Taken for a re-send of message 0, it never reached the application (I1); under
    /// Receipt's FirstSendAfterDoubt rows it is a new message, and delivered.
    /// </summary>
    [Fact]
    public void Two_inbound_QoS_2_messages_sharing_an_identifier_across_sessions_are_each_delivered_to_the_stated_depth()
    {
        int depth = Depth(CiDepthInboundTwo, "SMQTT_CHECK_DEPTH_INBOUND_TWO");
        var report = Check(new ModelOptions(MaxMessages: 0, Window: 1, MaxRepublishes: 1, CleanSession: false, SlowLink: true, LossyBroker: true) { InboundQos2Messages = 2 }, depth);
        Assert.True(report.Depth >= depth || report.Exhaustive, report.ToString());
    }

    private CheckReport Check(ModelOptions options, int depth) => ModelCheckerProcess.Check(output, options, depth);

    private static int Depth(int ci, string variable = "SMQTT_CHECK_DEPTH") => ModelCheckerProcess.Depth(ci, variable);
}
