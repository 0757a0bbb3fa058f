namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>docs/resilience-model.md's numbers and socket-error table come from spec/ and the default options.</summary>
public sealed class ResilienceModelTests
{
    private const string Doc = "docs/resilience-model.md";

    [Fact]
    public void Resilience_model_matches_the_rules_and_defaults()
    {
        var blocks = ResilienceModel.Blocks();
        MarkedBlocks.AssertCurrent(Doc, text => MarkedBlocks.Apply(Doc, text, blocks), "its numbers or socket-error table differ from spec/ and MqttClientOptions' defaults");
    }

    [Fact]
    public void The_numbers_follow_the_options()
    {
        // Not a copy of constants: other options give other numbers.
        var options = new MqttClientOptions
        {
            KeepAlive = TimeSpan.FromSeconds(20),
            ResponseTime = TimeSpan.FromSeconds(2),
            MaxRepublishes = 1,
            ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)),
        };

        string block = ResilienceModel.Defaults(options);

        Assert.Contains("every 5 s of quiet", block, StringComparison.Ordinal);
        Assert.Contains("20 s after the last packet received", block, StringComparison.Ordinal);
        Assert.Contains("1 re-sends; link dead after 4 s", block, StringComparison.Ordinal);
        Assert.Contains("attempts 1 to 7: 100 ms–200 ms, 200 ms–400 ms, 400 ms–800 ms, 500 ms–1 s, 500 ms–1 s", block, StringComparison.Ordinal);
    }
}
