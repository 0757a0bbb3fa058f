using StateMachineMqtt.Verification.ModelChecking;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// The session engine — the code users run — composed with the environment model (<see cref="World"/>) breaks no safety
/// invariant in any reachable state and satisfies I6 (and I7's calls) under weak fairness; here with clean sessions, and
/// in <see cref="KeptSessionModelCheckerTests"/> with kept ones. The one-message model is explored exhaustively; the
/// two-message one to <see cref="CiDepthTwoMessages"/> and the one with QoS 0 and UNSUBSCRIBE to <see cref="CiDepthWithQos0"/>.
/// Each check runs in a child process (<see cref="ModelCheckerProcess"/>), outside the coverage CI collects, which would
/// slow the engine about twofold. Deeper: <c>SMQTT_CHECK_DEPTH=40</c> exhausts the two-message model;
/// <c>SMQTT_CHECK_DEPTH_QOS0=18</c> takes the QoS 0 one about 90 s
/// (<c>dotnet test property-tests --filter FullyQualifiedName~ModelCheckerTests</c> runs both classes).
/// </summary>
public sealed class ModelCheckerTests(ITestOutputHelper output)
{
    /// <summary>The depth CI explores the two-message configuration to (SMQTT_CHECK_DEPTH=40 exhausts it at 34).</summary>
    public const int CiDepthTwoMessages = 18;

    /// <summary>The depth CI explores the configuration with QoS 0 and UNSUBSCRIBE to (its state space grows fastest).</summary>
    public const int CiDepthWithQos0 = 14;

    /// <summary>The depth to explore a bounded configuration to: the environment variable <paramref name="variable"/>, or <paramref name="ci"/>.</summary>
    public static int Depth(int ci, string variable = "SMQTT_CHECK_DEPTH") => ModelCheckerProcess.Depth(ci, variable);

    [Fact]
    public void One_message_with_a_clean_session_keeps_every_invariant_in_every_reachable_state()
    {
        var report = Check(new ModelOptions(MaxMessages: 1, Window: 1, MaxRepublishes: 1, CleanSession: true, SlowLink: true, LossyBroker: true), int.MaxValue);
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

    private CheckReport Check(ModelOptions options, int depth) => ModelCheckerProcess.Check(output, options, depth);
}
