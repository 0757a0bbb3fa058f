using System.Diagnostics.Metrics;

namespace StateMachineMqtt;

/// <summary>Counters published through System.Diagnostics.Metrics (meter "StateMachineMqtt") and kept for <see cref="MqttClient.Statistics"/>.</summary>
internal sealed class MqttClientMetrics
{
    private static readonly Meter Meter = new("StateMachineMqtt");
    private static readonly Counter<long> AcceptedCounter = Meter.CreateCounter<long>("mqtt.client.messages.accepted", description: "Messages accepted by PublishAsync");
    private static readonly Counter<long> AcknowledgedCounter = Meter.CreateCounter<long>("mqtt.client.messages.acknowledged", description: "QoS 1 and QoS 2 messages acknowledged (by PUBACK or PUBCOMP)");
    private static readonly Counter<long> ResentCounter = Meter.CreateCounter<long>("mqtt.client.messages.resent", description: "PUBLISH packets re-sent with DUP");
    private static readonly Counter<long> ConnectsCounter = Meter.CreateCounter<long>("mqtt.client.connects", description: "Links accepted by CONNACK");
    private static readonly Counter<long> LinksLostCounter = Meter.CreateCounter<long>("mqtt.client.links.lost", description: "Accepted links lost");
    private static readonly Counter<long> AttemptsFailedCounter = Meter.CreateCounter<long>("mqtt.client.connect_attempts.failed", description: "Connect attempts that failed before a CONNACK accepted them");
    private static readonly Counter<long> ReceivedCounter = Meter.CreateCounter<long>("mqtt.client.messages.received", description: "Messages queued for the application");
    private static readonly Counter<long> DroppedCounter = Meter.CreateCounter<long>("mqtt.client.messages.dropped", description: "QoS 0 messages dropped: the application did not read");
    private static readonly Counter<long> RefusedCounter = Meter.CreateCounter<long>("mqtt.client.messages.refused", description: "MQTT 5 messages the broker refused in PUBACK or PUBREC (reason code 0x80 and up)");
    private static readonly Counter<long> DroppedOversizedCounter = Meter.CreateCounter<long>("mqtt.client.messages.dropped_oversized", description: "Received messages over MaximumPacketSize: read past, acknowledged, not delivered");

    private readonly KeyValuePair<string, object?> _client;
    private long _accepted;
    private long _acknowledged;
    private long _resent;
    private long _connects;
    private long _linksLost;
    private long _attemptsFailed;
    private long _received;
    private long _dropped;
    private long _droppedOversized;
    private long _refused;

    public MqttClientMetrics(string clientId) => _client = new("mqtt.client.id", clientId);

    /// <summary>Publishes what the engine counted since the last call (the engine counts; the driver only reports).</summary>
    public void Sync(Engine.EngineStatistics engine)
    {
        Publish(ref _accepted, engine.Accepted, AcceptedCounter);
        Publish(ref _acknowledged, engine.Acknowledged, AcknowledgedCounter);
        Publish(ref _resent, engine.Resent, ResentCounter);
        Publish(ref _connects, engine.Connects, ConnectsCounter);
        Publish(ref _linksLost, engine.LinksLost, LinksLostCounter);
        Publish(ref _attemptsFailed, engine.ConnectAttemptsFailed, AttemptsFailedCounter);
        Publish(ref _received, engine.Received, ReceivedCounter);
        Publish(ref _dropped, engine.DroppedReceived, DroppedCounter);
        Publish(ref _droppedOversized, engine.DroppedOversized, DroppedOversizedCounter);
        Publish(ref _refused, engine.Refused, RefusedCounter);
    }

    public MqttClientStatistics Snapshot() => new(
        Interlocked.Read(ref _accepted), Interlocked.Read(ref _acknowledged), Interlocked.Read(ref _resent),
        Interlocked.Read(ref _connects), Interlocked.Read(ref _linksLost), Interlocked.Read(ref _received), Interlocked.Read(ref _dropped),
        Interlocked.Read(ref _attemptsFailed))
    {
        DroppedOversized = Interlocked.Read(ref _droppedOversized),
        Refused = Interlocked.Read(ref _refused),
    };

    private void Publish(ref long field, long total, Counter<long> counter)
    {
        long delta = total - Interlocked.Read(ref field);
        if (delta > 0)
        {
            Interlocked.Exchange(ref field, total);
            counter.Add(delta, _client);
        }
    }
}
