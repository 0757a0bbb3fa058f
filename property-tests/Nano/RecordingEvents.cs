using StateMachineMqtt.Nano.Client;
using StateMachineMqtt.Nano.Codec;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>Records the device client's callbacks (MQTT 5's too), with the virtual time of each up/down.</summary>
public sealed class RecordingEvents(VirtualClock clock) : INanoMqttEvents, INanoMqtt5Events
{
    /// <summary>MQTT 5: each delivered message's properties (null when it had none), in the order of <see cref="Messages"/>.</summary>
    public List<NanoProperties?> Properties { get; } = [];

    /// <summary>MQTT 5: each failed publish's topic, reason code and reason.</summary>
    public List<(string? Topic, int ReasonCode, string Reason)> PublishFailures { get; } = [];

    /// <inheritdoc />
    public void MessageReceived(string topic, byte[] payload, int qos, bool retain, bool dup, NanoProperties properties)
    {
        MessageReceived(topic, payload, qos, retain, dup);
        Properties.Add(properties);
    }

    /// <summary>MQTT 5: each refused SUBSCRIBE (true) or UNSUBSCRIBE (false) filter, with its reason code and reason.</summary>
    public List<(bool Subscribe, string Filter, int ReasonCode, string Reason)> RequestFailures { get; } = [];

    /// <inheritdoc />
    public void PublishFailed(string topic, int reasonCode, string reason) => PublishFailures.Add((topic, reasonCode, reason));

    /// <inheritdoc />
    public void SubscribeFailed(string filter, int reasonCode, string reason) => RequestFailures.Add((true, filter, reasonCode, reason));

    /// <inheritdoc />
    public void UnsubscribeFailed(string filter, int reasonCode, string reason) => RequestFailures.Add((false, filter, reasonCode, reason));

    /// <summary>Messages delivered to the application: topic and payload text.</summary>
    public List<(string Topic, string Payload, int Qos, bool Dup)> Messages { get; } = [];

    /// <summary>Each up (true) or down (false), with its time.</summary>
    public List<(bool Up, long At)> Changes { get; } = [];

    /// <summary>Reasons given by ConnectFailed.</summary>
    public List<string> Failures { get; } = [];

    /// <inheritdoc />
    public void MessageReceived(string topic, byte[] payload, int qos, bool retain, bool dup) =>
        Messages.Add((topic, System.Text.Encoding.UTF8.GetString(payload), qos, dup));

    /// <inheritdoc />
    public void ConnectionChanged(bool up) => Changes.Add((up, clock.NowMilliseconds));

    /// <inheritdoc />
    public void ConnectFailed(string reason) => Failures.Add(reason);
}
