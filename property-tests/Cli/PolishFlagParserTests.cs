using StateMachineMqtt.Cli.Commands;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Cli;

/// <summary>#11 item 5: the mosquitto_pub / mosquitto_sub flags added for scripts, as parsed.</summary>
public sealed class PolishFlagParserTests
{
    private static CliArguments Parse(params string[] args) => ArgumentParser.Parse(args);

    private static string Error(params string[] args) => Assert.Throws<UsageException>(() => Parse(args)).Message;

    [Fact]
    public void Pub_takes_each_message_source()
    {
        Assert.Equal("/tmp/f", Parse("pub", "-t", "a", "-f", "/tmp/f").MessageFile);
        Assert.True(Parse("pub", "-t", "a", "-s").StdinWhole);
        Assert.True(Parse("pub", "-t", "a", "-n").NullMessage);
    }

    [Theory]
    [InlineData("none was given", "pub", "-t", "a")]
    [InlineData("2 were given", "pub", "-t", "a", "-m", "x", "-n")]
    [InlineData("2 were given", "pub", "-t", "a", "-f", "x", "-s")]
    [InlineData("3 were given", "pub", "-t", "a", "-l", "-s", "-n")]
    [InlineData("--repeat wants a whole number from 1", "pub", "-t", "a", "-m", "x", "--repeat", "0")]
    [InlineData("with -l each stdin line", "pub", "-t", "a", "-l", "--repeat", "2")]
    [InlineData("add --repeat N", "pub", "-t", "a", "-m", "x", "--repeat-delay", "1")]
    [InlineData("--repeat-delay wants seconds", "pub", "-t", "a", "-m", "x", "--repeat", "2", "--repeat-delay", "-1")]
    [InlineData("-W wants a whole number from 1", "sub", "-t", "a", "-W", "0")]
    [InlineData("-T: Topic filter \"a/#/b\"", "sub", "-t", "a", "-T", "a/#/b")]
    [InlineData("-U: Topic filter \"a/#/b\"", "sub", "-U", "a/#/b")]
    [InlineData("or -U FILTER to unsubscribe", "sub", "-E")]
    [InlineData("leave out -F and -v", "sub", "-t", "a", "--json", "-v")]
    [InlineData("-N is not an option of 'pub'", "pub", "-t", "a", "-m", "x", "-N")]
    [InlineData("-s is not an option of 'sub'", "sub", "-t", "a", "-s")]
    public void Bad_combinations_say_what_is_wrong(string expected, params string[] args) =>
        Assert.Contains(expected, Error(args), StringComparison.Ordinal);

    [Fact]
    public void Pub_repeat_and_delay()
    {
        var a = Parse("pub", "-t", "a", "-m", "x", "--repeat", "3", "--repeat-delay", "0.5");
        Assert.Equal(3, a.Repeat);
        Assert.Equal(TimeSpan.FromMilliseconds(500), a.RepeatDelay);
        Assert.Equal(1, Parse("pub", "-t", "a", "-m", "x").Repeat);
    }

    [Fact]
    public void Sub_takes_the_script_flags()
    {
        var a = Parse("sub", "-t", "a/#", "-N", "-R", "-T", "a/x", "-T", "a/+/y", "-E", "-W", "30", "-U", "old/#", "--json", "-d");
        Assert.True(a.NoNewline);
        Assert.True(a.NoStaleRetained);
        Assert.Equal(["a/x", "a/+/y"], a.FilterOuts);
        Assert.True(a.ExitWhenSubscribed);
        Assert.Equal(30, a.TimeoutSeconds);
        Assert.Equal(["old/#"], a.Unsubscribes);
        Assert.True(a.Json);
        Assert.True(a.Debug);
    }

    [Fact]
    public void Sub_U_alone_needs_no_t() => Assert.Equal(["x"], Parse("sub", "-U", "x").Unsubscribes);
}
