using StateMachineMqtt.Spec;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// The Promela model generated from the spec tables passes spin: the safety assertions in an exhaustive -DSAFETY run, and the
/// LTL claim <c>live</c> (eventually always connected with every message acknowledged) with weak fairness (pan -a -f).
/// </summary>
public sealed class SpinTests(ITestOutputHelper output)
{
    // -O1: pan.c is ~20,000 lines; -O2 takes twice as long to compile for little gain. NFAIR: the weak-fairness run's process count.
    private const string Safety = "-O1 -DSAFETY -DVECTORSZ=2048";
    private const string Liveness = "-O1 -DVECTORSZ=2048 -DNFAIR=8";

    [Fact]
    public void The_generated_model_holds_every_row_of_the_three_tables()
    {
        var tables = new ModelTables();
        string model = PromelaExport.Generate(tables);
        if (Environment.GetEnvironmentVariable("SMQTT_PROMELA_OUT") is { Length: > 0 } path)
        {
            File.WriteAllText(path, model); // for running spin by hand: see docs/verification.md
        }

        Assert.Equal(tables.Connection.Count + tables.KeepAlive.Count + tables.Publish.Count, model.Split("/* row ").Length - 1);
        Assert.Contains("ltl live", model, StringComparison.Ordinal);
    }

    [RequiresToolsFact(Tool.Spin)]
    public async Task Spin_finds_no_assertion_violation_in_the_generated_model()
    {
        var result = await SpinRunner.VerifyAsync(PromelaExport.Generate(new ModelTables(), withLiveness: false), Safety, "-m1000000", CancellationToken.None);
        output.WriteLine(result.Output);
        Assert.True(result.Errors == 0, result.Output);
    }

    [RequiresToolsFact(Tool.Spin)]
    public async Task Spin_proves_the_liveness_claim_under_weak_fairness()
    {
        var result = await SpinRunner.VerifyAsync(PromelaExport.Generate(new ModelTables()), Liveness, "-a -f -m1000000 -N live", CancellationToken.None);
        output.WriteLine(result.Output);
        Assert.True(result.Errors == 0, result.Output);
    }

    [RequiresToolsFact(Tool.Spin)]
    public async Task Spin_finds_the_seeded_resend_without_DUP()
    {
        var tables = new ModelTables(publish: RowMutation.Publish(PublishState.Resend, PublishTrigger.Transmit, PublishState.AwaitingPubAck, PublishEffect.SendPublish));
        var result = await SpinRunner.VerifyAsync(PromelaExport.Generate(tables, withLiveness: false), Safety, "-m1000000", CancellationToken.None);
        output.WriteLine(result.Output);
        Assert.True(result.Errors > 0, "spin did not catch the mutation:\n" + result.Output);
        Assert.Contains("assertion violated", result.Output, StringComparison.Ordinal);
    }

    [RequiresToolsFact(Tool.Spin)]
    public async Task Spin_finds_the_seeded_backoff_that_never_retries()
    {
        var tables = new ModelTables(RowMutation.Connection(ConnectionState.Backoff, ConnectionTrigger.BackoffElapsed, ConnectionState.Backoff, ConnectionEffect.None));
        var result = await SpinRunner.VerifyAsync(PromelaExport.Generate(tables), Liveness, "-a -f -m1000000 -N live", CancellationToken.None);
        output.WriteLine(result.Output);
        Assert.True(result.Errors > 0, "spin did not catch the mutation:\n" + result.Output);
    }
}
