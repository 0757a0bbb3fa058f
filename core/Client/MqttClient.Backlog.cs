namespace StateMachineMqtt;

/// <summary>
/// How many outbound messages the engine holds, for health checks and dashboards: the engine counts them, the loop copies
/// the counts after each round (the engine itself is the loop's alone), and these properties read the copies.
/// </summary>
public sealed partial class MqttClient
{
    private volatile int _heldMessageCount;
    private volatile int _inFlightMessageCount;

    /// <summary>
    /// Outbound messages the client holds: queued, being written, or sent and awaiting PUBACK, PUBREC or PUBCOMP. At most
    /// <see cref="MqttClientOptions.MaxQueuedMessages"/>. A snapshot, current as of the client's last step.
    /// </summary>
    public int HeldMessageCount => _heldMessageCount;

    /// <summary>
    /// Of <see cref="HeldMessageCount"/>, the QoS 1 and 2 messages sent on the current link and awaiting their answer: the
    /// in-flight window's use, at most <see cref="MqttClientOptions.MaxInflight"/>. The rest wait their turn to be sent.
    /// </summary>
    public int InFlightMessageCount => _inFlightMessageCount;

    /// <summary>Copies the engine's counts; the loop calls it after each round.</summary>
    private void PublishBacklog()
    {
        _heldMessageCount = _engine.HeldCount;
        _inFlightMessageCount = _engine.InFlightCount;
    }
}
