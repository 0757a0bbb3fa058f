using StateMachineMqtt.Cli.Commands.Format;
using System.Globalization;
using StateMachineMqtt.Cli;
using StateMachineMqtt.Cli.Commands;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Cli;

/// <summary>
/// #10's CLI, spelled as mosquitto_pub / mosquitto_sub spell it: <c>-D</c> for MQTT 5 properties, the <c>--will-*</c>
/// flags, and <c>sub -F</c> to print properties.
/// </summary>
public sealed class Mqtt5FlagTests
{
    private static CliArguments Parse(params string[] args) => ArgumentParser.Parse(args);

    private static string Error(params string[] args) => Assert.Throws<UsageException>(() => Parse(args)).Message;

    [Fact]
    public void D_publish_sets_the_message_properties_in_order()
    {
        CliArguments a = Parse("pub", "-t", "a", "-m", "x", "-V", "mqttv5",
            "-D", "publish", "user-property", "k", "v1", "-D", "publish", "user-property", "k", "v2",
            "-D", "publish", "content-type", "text/plain", "-D", "publish", "correlation-data", "id-1",
            "-D", "publish", "message-expiry-interval", "60", "-D", "publish", "payload-format-indicator", "1",
            "-D", "publish", "response-topic", "r/1");
        MqttMessageProperties p = a.PublishProperties!;
        Assert.Equal([new MqttUserProperty("k", "v1"), new MqttUserProperty("k", "v2")], p.UserProperties);
        Assert.Equal("text/plain", p.ContentType);
        Assert.Equal("id-1"u8.ToArray(), p.CorrelationData?.ToArray());
        Assert.Equal(TimeSpan.FromSeconds(60), p.MessageExpiryInterval);
        Assert.Equal(MqttPayloadFormat.Utf8, p.PayloadFormat);
        Assert.Equal("r/1", p.ResponseTopic);
        Assert.Null(Parse("pub", "-t", "a", "-m", "x").PublishProperties);
    }

    [Fact]
    public void D_connect_session_expiry_is_x_and_D_will_shapes_the_will()
    {
        CliArguments a = Parse("sub", "-t", "a", "-V", "5", "-D", "connect", "session-expiry-interval", "120",
            "--will-topic", "status/me", "--will-payload", "gone", "--will-qos", "1", "--will-retain",
            "-D", "will", "content-type", "text/plain", "-D", "will", "will-delay-interval", "30");
        Assert.Equal(120, a.SessionExpirySeconds);
        MqttWillMessage will = a.Will!;
        Assert.Equal(("status/me", "gone", MqttQualityOfService.AtLeastOnce, true), (will.Topic, System.Text.Encoding.UTF8.GetString(will.Payload.Span), will.QualityOfService, will.Retain));
        Assert.Equal("text/plain", will.Properties?.ContentType);
        Assert.Equal(TimeSpan.FromSeconds(30), will.DelayInterval);

        MqttWillMessage plain = Parse("pub", "-t", "a", "-m", "x", "--will-topic", "w").Will!;
        Assert.Equal((MqttQualityOfService.AtMostOnce, false, 0), (plain.QualityOfService, plain.Retain, plain.Payload.Length));
        Assert.Null(plain.Properties);
    }

    [Theory]
    [InlineData("-D (MQTT 5 properties) needs -V mqttv5", "pub", "-t", "a", "-m", "x", "-D", "publish", "content-type", "t")]
    [InlineData("not a message property", "pub", "-t", "a", "-m", "x", "-V", "5", "-D", "publish", "colour", "red")]
    [InlineData("wants a packet first", "pub", "-t", "a", "-m", "x", "-V", "5", "-D", "publsh", "content-type", "t")]
    [InlineData("does not set that property", "pub", "-t", "a", "-m", "x", "-V", "5", "-D", "connect", "receive-maximum", "5")]
    [InlineData("-D needs a value", "pub", "-t", "a", "-m", "x", "-V", "5", "-D", "publish", "user-property", "k")]
    [InlineData("whole seconds from 1", "pub", "-t", "a", "-m", "x", "-V", "5", "-D", "publish", "message-expiry-interval", "0")]
    [InlineData("0 (bytes) or 1 (UTF-8)", "pub", "-t", "a", "-m", "x", "-V", "5", "-D", "publish", "payload-format-indicator", "2")]
    [InlineData("sub publishes nothing", "sub", "-t", "a", "-V", "5", "-D", "publish", "content-type", "t")]
    [InlineData("need --will-topic too", "pub", "-t", "a", "-m", "x", "--will-payload", "bye")]
    [InlineData("wildcard", "pub", "-t", "a", "-m", "x", "--will-topic", "w/#")]
    [InlineData("'%Z' is not a format parameter", "sub", "-t", "a", "-F", "%t %Z")]
    [InlineData("'@Q' is not a supported time code", "sub", "-t", "a", "-F", "%t @Q")]
    [InlineData("'\\q' is not an escape", "sub", "-t", "a", "-F", "%t \\q")]
    [InlineData("-F ends with a lone '%'", "sub", "-t", "a", "-F", "%t %")]
    [InlineData("-F is not an option of 'pub'", "pub", "-t", "a", "-m", "x", "-F", "%t")]
    public void Bad_MQTT_5_flags_say_what_is_wrong(string expected, params string[] args) =>
        Assert.Contains(expected, Error(args), StringComparison.Ordinal);

    [Fact]
    public void F_prints_mosquitto_subs_codes_and_nothing_for_an_absent_property()
    {
        var message = new MqttMessage("a/b", "hi"u8.ToArray(), MqttQualityOfService.AtLeastOnce, Retain: true, Dup: false)
        {
            Properties = new MqttMessageProperties
            {
                ContentType = "text/plain",
                CorrelationData = "c-1"u8.ToArray(),
                MessageExpiryInterval = TimeSpan.FromSeconds(9),
                PayloadFormat = MqttPayloadFormat.Utf8,
                UserProperties = [new("k", "v"), new("k", "w")],
                ResponseTopic = "r",
                SubscriptionIdentifiers = [3, 7],
            },
        };
        Assert.Equal("a/b|hi|6869|6869|2|1|1|text/plain|c-1|9|1|k:v k:w|r|3,7|%\tend\n",
            MessageFormatter.Format(MessageFormatter.Validate(@"%t|%p|%x|%X|%l|%q|%r|%C|%D|%E|%F|%P|%R|%S|%%\tend\n"), message, DateTimeOffset.UnixEpoch, out _));
        var bare = new MqttMessage("t", "x"u8.ToArray(), MqttQualityOfService.AtMostOnce, false, false);
        Assert.Equal("t|0|||||||", MessageFormatter.Format("%t|%r|%C|%D|%E|%F|%P|%R|%S", bare, DateTimeOffset.UnixEpoch, out _));
    }

    [Fact]
    public async Task Pub_D_properties_and_sub_F_print_them_end_to_end()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        string port = broker.Port.ToString(CultureInfo.InvariantCulture);
        using var subOut = new StringWriter();
        Task subscribed = broker.WhenSubscribed("cli/props");
        Task<int> sub = CliApp.RunAsync(["sub", "-h", "127.0.0.1", "-p", port, "-V", "mqttv5", "-t", "cli/props", "-q", "1", "-C", "1", "-F", "%t %C %D %P %p"], TextReader.Null, subOut, TextWriter.Null);
        await subscribed.WaitAsync(limit.Token);

        int pub = await CliApp.RunAsync(["pub", "-h", "127.0.0.1", "-p", port, "-V", "mqttv5", "-t", "cli/props", "-m", "body", "-q", "1",
            "-D", "publish", "content-type", "text/plain", "-D", "publish", "correlation-data", "req-7", "-D", "publish", "user-property", "who", "cli"], TextReader.Null, TextWriter.Null, TextWriter.Null);

        Assert.Equal(0, pub);
        Assert.Equal(0, await sub.WaitAsync(limit.Token));
        Assert.Equal("cli/props text/plain req-7 who:cli body", subOut.ToString().TrimEnd('\n', '\r'));
    }
}
