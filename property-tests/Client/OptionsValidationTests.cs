namespace StateMachineMqtt.PropertyTests.Client;

/// <summary>Every setting a user can get wrong is refused with a message that names it and says what to do.</summary>
public class OptionsValidationTests
{
    public static TheoryData<string, Action<MqttClientOptions>, string> InvalidSettings() => new()
    {
        { "ClientId", o => { o.ClientId = ""; o.CleanSession = false; }, "CleanSession" },
        { "Server", o => o.Server = " ", "host" },
        { "Port", o => o.Port = 70000, "1883" },
        { "Password", o => o.Password = "secret", "UserName" },
        { "KeepAlive", o => o.KeepAlive = TimeSpan.FromMilliseconds(1500), "whole seconds" },
        { "KeepAlive", o => o.KeepAlive = TimeSpan.FromSeconds(70000), "65,535" },
        { "PingInterval", o => o.PingInterval = TimeSpan.FromSeconds(120), "at most KeepAlive" },
        { "ResponseTime", o => o.ResponseTime = TimeSpan.Zero, "positive" },
        { "MaxRepublishes", o => o.MaxRepublishes = -1, "0 or more" },
        { "MaxInflight", o => o.MaxInflight = 0, "between 1" },
        { "ReceiveQueueLength", o => o.ReceiveQueueLength = 0, "at least 1" },
        { "MaximumPacketSize", o => o.MaximumPacketSize = 3, "at least 16" },
        { "Will.Topic", o => o.Will = new MqttWillMessage("a/+", Array.Empty<byte>()), "wildcard" },
        {
            "Will", o =>
            {
                o.ProtocolVersion = StateMachineMqtt.Spec.MqttProtocolVersion.V500;
                o.Will = new MqttWillMessage("w", Array.Empty<byte>()) { Properties = new MqttMessageProperties { ResponseTopic = "replies/#" } };
            },
            "ResponseTopic is not a topic name"
        },
        { "ReceiveMaximum", o => { o.ProtocolVersion = StateMachineMqtt.Spec.MqttProtocolVersion.V500; o.ReceiveMaximum = 70000; }, "65,535" },
        { "ReceiveMaximum", o => o.ReceiveMaximum = 10, "MqttProtocolVersion.V500" },
        { "RequestResponseInformation", o => o.RequestResponseInformation = true, "MqttProtocolVersion.V500" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Invalid_setting_is_refused_with_its_name_and_a_remedy(string setting, Action<MqttClientOptions> spoil, string remedy)
    {
        var options = new MqttClientOptions { ClientId = "c" };
        spoil(options);
        var error = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Equal(setting, error.ParamName);
        Assert.Contains(remedy, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_valid_and_follow_the_resilient_client_conventions()
    {
        var options = new MqttClientOptions { ClientId = "c" };
        options.Validate();
        Assert.Equal(TimeSpan.FromSeconds(60), options.KeepAlive);
        Assert.Equal(TimeSpan.FromSeconds(15), options.EffectivePingInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ResponseTime);
        Assert.Equal(4, options.MaxRepublishes);
        Assert.Equal(1883, options.EffectivePort);
        options.Tls = new StateMachineMqtt.Transport.MqttTlsOptions();
        Assert.Equal(8883, options.EffectivePort);
    }

    [Theory]
    [InlineData("a/#/b", "'#' must be a whole level")]
    [InlineData("a/b#", "'#' must be a whole level")]
    [InlineData("a/b+/c", "'+' must fill a whole level")]
    [InlineData("", "must not be empty")]
    [InlineData("a\0b", "null character")]
    public void Invalid_topic_filters_are_refused(string filter, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => TopicValidation.EnsureTopicFilter(filter, "topicFilter"));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sensors/#")]
    [InlineData("+/temp")]
    [InlineData("#")]
    [InlineData("a/+/b")]
    public void Valid_topic_filters_are_accepted(string filter) => TopicValidation.EnsureTopicFilter(filter, "topicFilter");

    [Fact]
    public void Publishing_to_a_wildcard_topic_is_refused() =>
        Assert.Contains("wildcards are for subscriptions only", Assert.Throws<ArgumentException>(() => TopicValidation.EnsureTopicName("a/#", "topic")).Message, StringComparison.Ordinal);
}
