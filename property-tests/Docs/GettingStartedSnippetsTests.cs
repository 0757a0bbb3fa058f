using DocSnippets;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>The getting-started guide's first program does what the guide says, against a real (in-process) broker.</summary>
public sealed class GettingStartedSnippetsTests
{
    [Fact]
    public async Task First_steps_publish_and_read_back_a_message()
    {
        await using var broker = await InProcessMqttnetBroker.StartAsync();
        MqttClientOptions options = GettingStartedSnippets.FirstOptions();
        options.Server = "127.0.0.1";
        options.Port = broker.Port;

        // A failure, not a hang: the token bounds the sample's ConnectAsync and ReadMessagesAsync.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await GettingStartedSnippets.FirstStepsAsync(options, timeout.Token);

        BrokerMessage published = Assert.Single(broker.ReceivedSoFar);
        Assert.Equal(("sensor-42", "home/kitchen/temperature", "21.5", 1), (published.ClientId, published.Topic, published.PayloadText, published.QualityOfService));
    }

    [Fact]
    public void The_documented_option_sets_are_valid()
    {
        // Each sample's options pass the client's own check, so a reader copying one meets no ArgumentException.
        GettingStartedSnippets.FirstOptions().Validate();
        GettingStartedSnippets.PersistentSession().Validate();
    }
}
