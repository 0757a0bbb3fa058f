using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>
/// #12 item 8, caller input, and item 3's malformed shared subscriptions: each input the client must refuse is refused with
/// an ArgumentException saying what was wrong, before anything is sent: after the call the broker has received nothing
/// beyond the CONNECT, the client accepted no message, and the link is still up.
/// </summary>
public class CallerInputScenarios
{
    private const MqttQualityOfService Qos1 = MqttQualityOfService.AtLeastOnce;

    /// <summary>A refused call: the protocol version, the call, and words its message must hold.</summary>
    private sealed record Refusal(MqttProtocolVersion Version, Func<MqttClient, Task> Call, string Says);

    private static readonly Dictionary<string, Refusal> Cases = new(StringComparer.Ordinal)
    {
        ["publish: '+' in the topic"] = new(MqttProtocolVersion.V311, c => c.PublishAsync("a/+/b", "x", Qos1), "contains a wildcard ('+' or '#')"),
        ["publish: '#' in the topic"] = new(MqttProtocolVersion.V311, c => c.PublishAsync("a/#", "x", Qos1), "wildcards are for subscriptions only"),
        ["publish: empty topic"] = new(MqttProtocolVersion.V311, c => c.PublishAsync("", "x", Qos1), "The topic must not be empty"),
        ["publish: U+0000 in the topic"] = new(MqttProtocolVersion.V311, c => c.PublishAsync("a\0b", "x", Qos1), "null character U+0000"),
        ["publish: lone high surrogate in the topic"] = new(MqttProtocolVersion.V311, c => c.PublishAsync("a/\uD800b", "x", Qos1), "topic contains an unpaired UTF-16 surrogate"),
        ["publish: lone low surrogate in the topic"] = new(MqttProtocolVersion.V500, c => c.PublishAsync("\uDC00", "x", Qos1), "topic contains an unpaired UTF-16 surrogate"),
        ["publish: topic of 65,536 UTF-8 bytes (32,768 chars)"] = new(MqttProtocolVersion.V311, c => c.PublishAsync(new string('\u00E9', 32_768), "x", Qos1), "longer than 65,535 UTF-8 bytes"),
        ["publish: payload over MaximumPacketSize"] = new(MqttProtocolVersion.V311, c => c.PublishAsync("big", new byte[2_000], Qos1), "more than MaximumPacketSize (1,024 bytes)"),
        ["publish: payload marked UTF-8 that is not"] = new(MqttProtocolVersion.V500,
            c => c.PublishAsync("t", new byte[] { 0x68, 0xC3, 0x28 }, Qos1, false, new MqttMessageProperties { PayloadFormat = MqttPayloadFormat.Utf8 }), "not well-formed UTF-8"),
        ["publish: lone surrogate in the content type"] = new(MqttProtocolVersion.V500,
            c => c.PublishAsync("t", new byte[1], Qos1, false, new MqttMessageProperties { ContentType = "text/\uD83D" }), "unpaired UTF-16 surrogate"),
        ["publish: U+0000 in a user property"] = new(MqttProtocolVersion.V500,
            c => c.PublishAsync("t", new byte[1], Qos1, false, new MqttMessageProperties { UserProperties = [new MqttUserProperty("k", "v\0")] }), "U+0000"),
        ["subscribe: empty filter"] = new(MqttProtocolVersion.V311, c => c.SubscribeAsync(""), "must not be empty"),
        ["subscribe: U+0000 in the filter"] = new(MqttProtocolVersion.V311, c => c.SubscribeAsync("a/\0"), "null character U+0000"),
        ["subscribe: lone surrogate in the filter"] = new(MqttProtocolVersion.V311, c => c.SubscribeAsync("a/\uDBFF/#"), "topic filter contains an unpaired UTF-16 surrogate"),
        ["subscribe: filter of 65,536 bytes"] = new(MqttProtocolVersion.V311, c => c.SubscribeAsync(new string('a', 65_536)), "longer than 65,535 UTF-8 bytes"),
        ["subscribe: '#' not last"] = new(MqttProtocolVersion.V311, c => c.SubscribeAsync("a/#/b"), "'#' must be a whole level and the last one"),
        ["unsubscribe: lone surrogate in the filter"] = new(MqttProtocolVersion.V311, c => c.UnsubscribeAsync("\uD800"), "unpaired UTF-16 surrogate"),
    };

    /// <summary>Malformed shared subscriptions, each checked under both versions.</summary>
    private static readonly Dictionary<string, string> SharedCases = new(StringComparer.Ordinal)
    {
        ["$share//jobs/#"] = "share name between \"$share/\" and the next '/' is empty [MQTT-4.8.2-1]",
        ["$share/"] = "share name between \"$share/\" and the next '/' is empty",
        ["$share/g+/jobs"] = "the share name must not contain '+' or '#' [MQTT-4.8.2-2]",
        ["$share/#"] = "the share name must not contain '+' or '#'",
        ["$share/+/jobs"] = "the share name must not contain '+' or '#'",
        ["$share/workers"] = "no topic filter follows the share name [MQTT-4.8.2-1]",
        ["$share/workers/"] = "no topic filter follows the share name",
        ["$share/workers/jobs/#/x"] = "'#' must be a whole level and the last one",
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    public static TheoryData<string, MqttProtocolVersion> SharedCaseNames()
    {
        var data = new TheoryData<string, MqttProtocolVersion>();
        foreach (string filter in SharedCases.Keys)
        {
            data.Add(filter, MqttProtocolVersion.V311);
            data.Add(filter, MqttProtocolVersion.V500);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Refused_with_a_clear_error_and_nothing_sent(string name)
    {
        Refusal refusal = Cases[name];
        AssertRefusedBeforeSending(refusal.Version, refusal.Call, refusal.Says);
    }

    [Theory]
    [MemberData(nameof(SharedCaseNames))]
    public void A_malformed_shared_subscription_is_refused_with_a_clear_error_and_nothing_sent(string filter, MqttProtocolVersion version)
    {
        string says = SharedCases[filter];
        AssertRefusedBeforeSending(version, c => c.SubscribeAsync(filter), says);
        AssertRefusedBeforeSending(version, c => c.UnsubscribeAsync(filter), says);
    }

    [Theory]
    [InlineData("$share/workers/jobs/#", SharedSubscriptionProblem.None)]
    [InlineData("$share/w/+", SharedSubscriptionProblem.None)]
    [InlineData("$share/w//", SharedSubscriptionProblem.None)] // the filter "/" is a valid filter of two empty levels
    [InlineData("$shared/x", SharedSubscriptionProblem.None)] // not a shared subscription at all
    [InlineData("$share", SharedSubscriptionProblem.None)]
    [InlineData("$share//a", SharedSubscriptionProblem.EmptyShareName)]
    [InlineData("$share/", SharedSubscriptionProblem.EmptyShareName)]
    [InlineData("$share/a+b/c", SharedSubscriptionProblem.WildcardInShareName)]
    [InlineData("$share/a#/c", SharedSubscriptionProblem.WildcardInShareName)]
    [InlineData("$share/a", SharedSubscriptionProblem.NoTopicFilter)]
    [InlineData("$share/a/", SharedSubscriptionProblem.NoTopicFilter)]
    public void The_spec_rule_names_what_is_wrong_with_a_shared_subscription(string filter, SharedSubscriptionProblem expected)
    {
        Assert.Equal(expected, SharedSubscriptionRules.FindProblem(filter));
        // Matching agrees: a malformed shared subscription matches nothing, a well-formed one matches by its filter part.
        if (expected != SharedSubscriptionProblem.None)
        {
            Assert.Equal(-1, TopicMatchRules.SharedFilterStart(filter));
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public void A_well_formed_shared_subscription_is_sent_as_written(MqttProtocolVersion version)
    {
        var s = new Scenario(141, o => o.ProtocolVersion = version);
        s.Connect();

        s.Await(s.Start(c => c.SubscribeAsync("$share/workers/jobs/#")));

        var subscribe = Assert.Single(s.World.Broker.ReceivedFrom(Scenario.ClientId), r => r.Packet is SubscribePacket);
        Assert.Equal("$share/workers/jobs/#", Assert.Single(((SubscribePacket)subscribe.Packet).Subscriptions).TopicFilter);
    }

    [Theory]
    [InlineData("$share//jobs")]
    [InlineData("$share/g#/jobs")]
    [InlineData("$share/g")]
    public void Smqtt_sub_refuses_a_malformed_shared_subscription_as_a_usage_error_before_connecting(string filter)
    {
        var error = Assert.Throws<global::StateMachineMqtt.Cli.Commands.UsageException>(() => global::StateMachineMqtt.Cli.Commands.ArgumentParser.Parse(["sub", "-t", filter, "-V", "mqttv311"]));
        Assert.Contains("is a malformed shared subscription", error.Message, StringComparison.Ordinal);
        Assert.Equal(["$share/g/jobs/#"], global::StateMachineMqtt.Cli.Commands.ArgumentParser.Parse(["sub", "-t", "$share/g/jobs/#"]).Topics);
    }

    [Fact]
    public void A_will_payload_marked_UTF_8_that_is_not_is_refused_when_the_client_is_made_before_any_connect()
    {
        var options = new MqttClientOptions
        {
            ProtocolVersion = MqttProtocolVersion.V500,
            Will = new MqttWillMessage("w", new byte[] { 0xFF }) { Properties = new MqttMessageProperties { PayloadFormat = MqttPayloadFormat.Utf8 } },
        };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("Will.Payload is marked PayloadFormat.Utf8 (UTF-8 text) but is not well-formed UTF-8", error.Message, StringComparison.Ordinal);
        options.Will = options.Will with { Payload = "ok"u8.ToArray() };
        options.Validate();
    }

    private static void AssertRefusedBeforeSending(MqttProtocolVersion version, Func<MqttClient, Task> call, string says)
    {
        var s = new Scenario(140, o => { o.ProtocolVersion = version; o.MaximumPacketSize = 1_024; });
        s.Connect();
        int sentBefore = s.World.Broker.ReceivedFrom(Scenario.ClientId).Count;

        Task refused = s.Start(call);
        s.RunFor(TimeSpan.FromMilliseconds(10));

        var error = Assert.IsAssignableFrom<ArgumentException>(Scenario.Failure(refused));
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        Assert.Equal(sentBefore, s.World.Broker.ReceivedFrom(Scenario.ClientId).Count); // only the CONNECT, nothing after it
        Assert.Equal(1, sentBefore);
        Assert.Equal(0, s.Client.Statistics.Accepted);
        Assert.True(s.Client.IsConnected);
        Assert.Equal(1, s.World.Network.LinksOpened);
    }
}
