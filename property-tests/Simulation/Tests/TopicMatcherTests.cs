using StateMachineMqtt.PropertyTests.Simulation.Broker;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Simulation.Tests;

public sealed class TopicMatcherTests
{
    [Theory]
    [InlineData("a/b/c", "a/b/c", true)]
    [InlineData("a/b/c", "a/b", false)]
    [InlineData("a/+/c", "a/x/c", true)]
    [InlineData("a/+/c", "a/x/y/c", false)]
    [InlineData("a/+", "a/", true)]
    [InlineData("+", "a", true)]
    [InlineData("+", "a/b", false)]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/b/c", true)]
    [InlineData("a/#", "b/a", false)]
    [InlineData("#", "a/b", true)]
    [InlineData("#", "$SYS/uptime", false)]
    [InlineData("+/uptime", "$SYS/uptime", false)]
    [InlineData("$SYS/#", "$SYS/uptime", true)]
    [InlineData("/+", "/a", true)]
    [InlineData("A", "a", false)]
    public void Matches_follows_MQTT_4_7(string filter, string topic, bool expected) =>
        Assert.Equal(expected, TopicMatcher.Matches(filter, topic));
}
