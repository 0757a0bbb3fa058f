using StateMachineMqtt.Cli.Chaos;
using StateMachineMqtt.Cli.Commands;

namespace StateMachineMqtt.PropertyTests.Chaos;

/// <summary><c>smqtt chaos</c> flags: parsed into soak options, refused with a clear message where they make no sense.</summary>
public sealed class ChaosCommandLineTests
{
    [Fact]
    public void Minutes_and_seed_make_a_timed_soak_with_that_schedule()
    {
        var options = ChaosCommand.Options(ArgumentParser.Parse(["chaos", "--minutes", "3", "--seed", "17", "--rate", "250"]));
        Assert.Equal((17, TimeSpan.FromMinutes(3), int.MaxValue, 250), (options.Seed, options.Duration, options.Messages, options.MessagesPerSecond));
    }

    [Fact]
    public void Without_minutes_a_soak_publishes_a_fixed_number_of_messages()
    {
        var arguments = ArgumentParser.Parse(["chaos", "--compare", "--out", "reports"]);
        var options = ChaosCommand.Options(arguments);
        Assert.True(arguments.Compare);
        Assert.Equal("reports", arguments.OutDirectory);
        Assert.Equal((ChaosCommand.DefaultMessages, (TimeSpan?)null), (options.Messages, options.Duration));
        Assert.Equal(500, ChaosCommand.Options(ArgumentParser.Parse(["chaos", "--messages", "500"])).Messages);
    }

    [Theory]
    [InlineData("--minutes", "0", "--minutes wants a whole number")]
    [InlineData("--seed", "x", "--seed wants a whole number")]
    [InlineData("-t", "a", "-t is not an option of 'chaos'")]
    public void Bad_flags_are_usage_errors_naming_the_flag(string flag, string value, string message)
    {
        var error = Assert.Throws<UsageException>(() => ArgumentParser.Parse(["chaos", flag, value]));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_belongs_to_chaos_only()
    {
        Assert.Throws<UsageException>(() => ArgumentParser.Parse(["demo", "--compare"]));
    }
}
