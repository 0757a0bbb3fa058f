using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// The session engine — the code users run — composed with the environment model (<see cref="World"/>) breaks no safety
/// invariant in any reachable state and satisfies I6 (and I7's calls) under weak fairness. The one-message models are
/// explored exhaustively; the two-message one to <see cref="CiDepthTwoMessages"/>, the one with QoS 0 and UNSUBSCRIBE
/// to <see cref="CiDepthWithQos0"/>, and the QoS 2 ones to <see cref="CiDepthQos2"/> and <see cref="CiDepthQos1AndQos2"/>
/// (CI collects coverage, which slows the engine about thirteenfold).
/// Deeper: <c>SMQTT_CHECK_DEPTH=40</c> exhausts the two-message model; <c>SMQTT_CHECK_DEPTH_QOS0=18</c> takes the QoS 0 one
/// about 90 s; <c>SMQTT_CHECK_DEPTH_QOS2=200</c> exhausts the one-QoS-2-message model (at depth 110);
/// <c>SMQTT_CHECK_DEPTH_MIXED</c> deepens the QoS 1 + QoS 2 one; <c>SMQTT_CHECK_DEPTH_INBOUND=200</c> exhausts the inbound
/// QoS 2 one (at depth 124), <c>SMQTT_CHECK_DEPTH_INBOUND_MIXED</c> deepens the inbound QoS 2 + QoS 1 one
/// (<c>dotnet test property-tests --filter FullyQualifiedName~ModelChecking.ModelCheckerTests</c>).
/// </summary>
public sealed class ModelCheckerTests(ITestOutputHelper output)
{
    /// <summary>The depth CI explores the two-message configuration to (SMQTT_CHECK_DEPTH=40 exhausts it at 34).</summary>
    public const int CiDepthTwoMessages = 18;

    /// <summary>The depth CI explores the configuration with QoS 0 and UNSUBSCRIBE to (its state space grows fastest).</summary>
    public const int CiDepthWithQos0 = 14;

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

    /// <summary>The depth to explore a bounded configuration to: the environment variable <paramref name="variable"/>, or <paramref name="ci"/>.</summary>
    public static int Depth(int ci, string variable = "SMQTT_CHECK_DEPTH") =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out int depth) && depth > 0 ? depth : ci;

    [Fact]
    public void One_message_with_a_clean_session_keeps_every_invariant_in_every_reachable_state()
    {
        var report = Check(new ModelOptions(MaxMessages: 1, Window: 1, MaxRepublishes: 1, CleanSession: true, SlowLink: true, LossyBroker: true), int.MaxValue);
        Assert.True(report.Exhaustive, report.ToString());
    }

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
    /// Exhaustive without a depth bound (154,895 states at depth 34, 22 s alone), but thirteen times slower under the
    /// coverage the README's test command collects, so CI goes to <see cref="CiDepthTwoMessages"/>.
    /// </summary>
    [Fact]
    public void Two_messages_in_a_window_of_two_keep_every_invariant_to_the_stated_depth()
    {
        int depth = Depth(CiDepthTwoMessages);
        var report = Check(new ModelOptions(MaxMessages: 2, Window: 2, MaxRepublishes: 1, CleanSession: true, SlowLink: true, LossyBroker: true), depth);
        Assert.True(report.Depth >= depth || report.Exhaustive, report.ToString());
    }

    /// <summary>A QoS 0 message beside the QoS 1 one (I9: at most once, never DUP; I7: complete once written), and an UNSUBSCRIBE at any moment (I8).</summary>
    [Fact]
    public void A_QoS_0_message_and_an_unsubscribe_keep_every_invariant_to_the_stated_depth()
    {
        int depth = Depth(CiDepthWithQos0, "SMQTT_CHECK_DEPTH_QOS0"); // its own variable: at the other's depths it would not fit in memory
        var report = Check(new ModelOptions(MaxMessages: 1, Window: 1, MaxRepublishes: 1, CleanSession: true, SlowLink: true, LossyBroker: true) { Qos0Messages = 1, Unsubscribe = true }, depth);
        Assert.True(report.Depth >= depth || report.Exhaustive, report.ToString());
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

    /// <summary>The depth CI explores two inbound QoS 2 messages to (<c>SMQTT_CHECK_DEPTH_INBOUND_TWO</c> deepens it).</summary>
    public const int CiDepthInboundTwo = 18;

    /// <summary>The depth CI explores inbound QoS 2 and QoS 1 together to (<c>SMQTT_CHECK_DEPTH_INBOUND_MIXED</c> deepens it).</summary>
    public const int CiDepthInboundMixed = 16;

    private CheckReport Check(ModelOptions options, int depth)
    {
        var report = new ModelChecker(options: options).Run(depth);
        output.WriteLine($"{options}: {report.ToString().Split(Environment.NewLine)[0]}");
        Assert.True(report.Violation is null, report.ToString());
        Assert.True(report.StatesExplored > 1_000, report.ToString());
        Assert.True(report.FairComponents > 0, "the liveness check found no fair cycle at all, so it checked nothing: " + report);
        return report;
    }
}
