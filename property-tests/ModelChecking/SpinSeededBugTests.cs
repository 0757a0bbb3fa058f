using StateMachineMqtt.Machines;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using StateMachineMqtt.Spec;
using StateMachineMqtt.Verification.ModelChecking;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// Spin catches a seeded bug in the tables (a mutated row) in the generated Promela model: the proof that
/// <see cref="SpinTests"/>' passing runs checked something. A class of its own so that it runs beside SpinTests.
/// </summary>
public sealed class SpinSeededBugTests(ITestOutputHelper output)
{
    [RequiresToolsFact(Tool.Spin)]
    public async Task Spin_finds_the_seeded_MQTT_5_resend_on_the_same_link()
    {
        // [MQTT-4.4.0-1]: the V5 row made to re-send as 3.1.1 does.
        var tables = RowMutation.Publish(PublishState.AwaitingPubAck, PublishTrigger.ResponseTimeout, PublishState.AwaitingPubAck, PublishEffect.SendPublishDup, PublishGuard.V5WaitsLeft);
        var result = await SpinRunner.VerifyAsync(PromelaExport.Generate(tables, withLiveness: false, v5: true), SpinTests.Safety, "-m1000000", CancellationToken.None);
        output.WriteLine(result.Output);
        Assert.True(result.Errors > 0, "spin did not catch the mutation:\n" + result.Output);
        Assert.Contains("assertion violated", result.Output, StringComparison.Ordinal);
    }

    [RequiresToolsFact(Tool.Spin)]
    public async Task Spin_finds_the_seeded_resend_without_DUP()
    {
        var tables = RowMutation.Publish(PublishState.Resend, PublishTrigger.Transmit, PublishState.AwaitingPubAck, PublishEffect.SendPublish);
        var result = await SpinRunner.VerifyAsync(PromelaExport.Generate(tables, withLiveness: false), SpinTests.Safety, "-m1000000", CancellationToken.None);
        output.WriteLine(result.Output);
        Assert.True(result.Errors > 0, "spin did not catch the mutation:\n" + result.Output);
        Assert.Contains("assertion violated", result.Output, StringComparison.Ordinal);
    }

    [RequiresToolsFact(Tool.Spin)]
    public async Task Spin_finds_the_seeded_backoff_that_never_retries()
    {
        var tables = RowMutation.Connection(ConnectionState.Backoff, ConnectionTrigger.BackoffElapsed, ConnectionState.Backoff, ConnectionEffect.None, ConnectionGuard.RetryAllowed);
        var result = await SpinRunner.VerifyAsync(PromelaExport.Generate(tables), SpinTests.LivenessCounterExample, "-a -f -m1000000 -N live", CancellationToken.None);
        output.WriteLine(result.Output);
        Assert.True(result.Errors > 0, "spin did not catch the mutation:\n" + result.Output);
    }
}
