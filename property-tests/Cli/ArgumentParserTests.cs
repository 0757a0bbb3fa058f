using StateMachineMqtt.Spec;
using StateMachineMqtt.Cli.Commands;
using StateMachineMqtt.Protocol;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Cli;

public sealed class ArgumentParserTests
{
    private static CliArguments Parse(string line) => ArgumentParser.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string Error(string line) => Assert.Throws<UsageException>(() => Parse(line)).Message;

    [Fact]
    public void Pub_takes_mosquitto_pub_flags()
    {
        var a = Parse("pub -h broker.local -p 1884 -t a/b -m hello -q 1 -r -i dev1 -k 30 -u ann -P secret -c");
        Assert.Equal(CliCommand.Pub, a.Command);
        Assert.Equal("broker.local", a.Host);
        Assert.Equal(1884, a.Port);
        Assert.Equal(["a/b"], a.Topics);
        Assert.Equal("hello", a.Message);
        Assert.Equal(MqttQualityOfService.AtLeastOnce, a.QualityOfService);
        Assert.True(a.Retain);
        Assert.Equal("dev1", a.ClientId);
        Assert.Equal(30, a.KeepAliveSeconds);
        Assert.Equal("ann", a.UserName);
        Assert.Equal("secret", a.Password);
        Assert.True(a.PersistentSession);
        Assert.False(a.StdinLines);
    }

    [Fact]
    public void Defaults_match_mosquitto()
    {
        var a = Parse("sub -t x");
        Assert.Equal("localhost", a.Host);
        Assert.Null(a.Port);
        Assert.Equal(60, a.KeepAliveSeconds);
        Assert.Equal(MqttQualityOfService.AtMostOnce, a.QualityOfService);
        Assert.False(a.PersistentSession);
        Assert.Null(a.Count);
        Assert.False(a.UsesTls);
    }

    [Fact]
    public void Sub_repeats_topics_and_takes_count_and_verbose()
    {
        var a = Parse("sub -t a/# -t b/+ -C 5 -v -q 2");
        Assert.Equal(CliCommand.Sub, a.Command);
        Assert.Equal(["a/#", "b/+"], a.Topics);
        Assert.Equal(5, a.Count);
        Assert.True(a.Verbose);
        Assert.Equal(MqttQualityOfService.ExactlyOnce, a.QualityOfService);
    }

    [Fact]
    public void Pub_takes_QoS_2()
    {
        Assert.Equal(MqttQualityOfService.ExactlyOnce, Parse("pub -t t -m x -q 2").QualityOfService);
    }

    [Fact]
    public void Pub_l_reads_stdin()
    {
        Assert.True(Parse("pub -t t -l -q 1").StdinLines);
    }

    [Fact]
    public void Tls_flags_are_kept()
    {
        var a = Parse("pub -t t -m x --cafile ca.pem --cert c.pem --key k.pem");
        Assert.Equal(("ca.pem", "c.pem", "k.pem"), (a.CaFile, a.CertFile, a.KeyFile));
        Assert.True(a.UsesTls);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("help")]
    [InlineData("pub --help")]
    [InlineData("sub -t x --help")]
    public void Help_is_recognised(string line) => Assert.Equal(CliCommand.Help, Parse(line).Command);

    [Fact]
    public void Diagrams_and_demo_take_their_own_options()
    {
        Assert.Equal("out/dir", Parse("diagrams --out out/dir").OutDirectory);
        Assert.Null(Parse("diagrams").OutDirectory);
        Assert.Equal("localhost:1883", Parse("demo --broker localhost:1883").Broker);
        Assert.Null(Parse("demo").Broker);
    }

    [Theory]
    [InlineData("", "No command")]
    [InlineData("publish -t x", "Unknown command 'publish'")]
    [InlineData("pub -m x", "pub needs a topic")]
    [InlineData("pub -t a -t b -m x", "exactly one -t")]
    [InlineData("pub -t a", "exactly one message source")]
    [InlineData("pub -t a -m x -l", "exactly one message source")]
    [InlineData("pub -t a/# -m x", "wildcard")]
    [InlineData("sub -v", "at least one topic")]
    [InlineData("sub -t a -m x", "-m is not an option of 'sub'")]
    [InlineData("pub -t a -m x -C 3", "-C is not an option of 'pub'")]
    [InlineData("diagrams -t a", "-t is not an option of 'diagrams'")]
    [InlineData("pub -t a -m x --frobnicate", "Unknown option '--frobnicate'")]
    [InlineData("pub -t a -m", "-m needs a value")]
    [InlineData("pub -t a -m x -q 3", "-q wants a whole number from 0 to 2, not '3'")]
    [InlineData("pub -t a -m x -p 0", "-p wants a whole number from 1 to 65535")]
    [InlineData("pub -t a -m x -p http", "not 'http'")]
    [InlineData("sub -t a -C 0", "-C wants a whole number from 1")]
    [InlineData("sub -t a -c", "-c (keep the session) needs a fixed client id")]
    [InlineData("sub -t a -P pw", "-P (password) needs -u")]
    [InlineData("sub -t a --cert c.pem", "--cert and --key go together")]
    [InlineData("demo --broker localhost", "HOST:PORT")]
    public void Bad_command_lines_say_what_is_wrong(string line, string expected) =>
        Assert.Contains(expected, Error(line), StringComparison.Ordinal);

    /// <summary>#13: what the client would refuse after connecting is refused before it, without .NET's parameter suffix.</summary>
    [Theory]
    [InlineData("sub -t a/#/b", "'#' must be a whole level and the last one")]
    [InlineData("sub -t ok -t a+/b", "'+' must fill a whole level")]
    public void What_the_client_would_refuse_is_refused_before_connecting(string line, string expected)
    {
        string error = Error(line);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mqttv5", MqttProtocolVersion.V500)]
    [InlineData("5", MqttProtocolVersion.V500)]
    [InlineData("mqttv311", MqttProtocolVersion.V311)]
    [InlineData("311", MqttProtocolVersion.V311)]
    public void V_chooses_the_protocol_version_as_mosquitto_pub_spells_it(string value, MqttProtocolVersion version) =>
        Assert.Equal(version, Parse($"pub -t a -m x -V {value}").ProtocolVersion);

    [Fact]
    public void The_default_version_is_3_1_1_and_x_needs_MQTT_5()
    {
        Assert.Equal(MqttProtocolVersion.V311, Parse("pub -t a -m x").ProtocolVersion);
        Assert.Equal(300, Parse("sub -t a -V mqttv5 -c -i me -x 300").SessionExpirySeconds);
        Assert.Contains("-V mqttv5", Error("pub -t a -m x -x 300"), StringComparison.Ordinal);
        Assert.Contains("MQTT 3.1 is not supported", Error("pub -t a -m x -V mqttv31"), StringComparison.Ordinal);
        Assert.Contains("mqttv311 or mqttv5", Error("pub -t a -m x -V 6"), StringComparison.Ordinal);
    }
}
