#region mqttnet-before-usings
using MQTTnet;
using MQTTnet.Protocol;
#endregion

namespace DocSnippets.Mqttnet;

/// <summary>docs/migrating-from-mqttnet.md's "before": MQTTnet 5 code, compiled against MQTTnet 5.2.</summary>
internal static class MqttnetSnippets
{
    public static async Task BeforeAsync(CancellationToken cancellationToken)
    {
        #region mqttnet-before
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithTcpServer("broker.local", 1883)
            .WithClientId("sensor-42")
            .WithCleanSession(false)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(20))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();

        client.ApplicationMessageReceivedAsync += e =>
        {
            Console.WriteLine($"{e.ApplicationMessage.Topic}: {e.ApplicationMessage.ConvertPayloadToString()}");
            return Task.CompletedTask;
        };

        await client.ConnectAsync(options, cancellationToken); // one attempt: throws if the broker is not there
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("home/+/temperature", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), cancellationToken);
        await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic("home/kitchen/temperature")
            .WithPayload("21.5")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), cancellationToken);         // throws if the link drops before PUBACK: the application re-sends
        #endregion
    }
}
