using StateMachineMqtt.Nano.Client;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>Records the device client's callbacks, with the virtual time of each up/down.</summary>
public sealed class RecordingEvents(VirtualClock clock) : INanoMqttEvents
{
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
