using System.Text;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.Cli.Commands;

/// <summary>mosquitto's --will-topic, --will-payload, --will-qos and --will-retain, gathered into one will.</summary>
internal sealed class WillFlags
{
    /// <summary>--will-topic: where the broker publishes the will.</summary>
    public string? Topic { get; set; }

    /// <summary>--will-payload: its text (empty when left out, as mosquitto's).</summary>
    public string? Payload { get; set; }

    /// <summary>--will-qos.</summary>
    public MqttQualityOfService? QualityOfService { get; set; }

    /// <summary>--will-retain.</summary>
    public bool Retain { get; set; }

    /// <summary>The will, with MQTT 5's -D will properties and delay; null when no will flag was given.</summary>
    public MqttWillMessage? Build(MqttMessageProperties? properties, int? delaySeconds)
    {
        if (Topic is null)
        {
            return Payload is null && QualityOfService is null && !Retain && properties is null && delaySeconds is null
                ? null
                : throw new UsageException("--will-payload, --will-qos, --will-retain and -D will ... need --will-topic too.");
        }

        return new MqttWillMessage(Topic, Encoding.UTF8.GetBytes(Payload ?? ""), QualityOfService ?? MqttQualityOfService.AtMostOnce, Retain)
        {
            Properties = properties,
            DelayInterval = delaySeconds is { } d ? TimeSpan.FromSeconds(d) : null,
        };
    }
}
