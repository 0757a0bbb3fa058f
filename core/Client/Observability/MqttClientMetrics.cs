using StateMachineMqtt.Engine;

namespace StateMachineMqtt;

/// <summary>
/// One client's figures, reported through its meter's instruments (<see cref="MqttClientInstruments"/>) and kept for
/// <see cref="MqttClient.Statistics"/>. The engine counts; this only reports what changed since the last
/// <see cref="Sync"/>, so the driver decides nothing. Every measurement carries the client identifier ("mqtt.client.id").
/// Sync, <see cref="ClientId"/> and <see cref="Retire"/> run on the loop; <see cref="Snapshot"/> from any thread.
/// </summary>
internal sealed class MqttClientMetrics
{
    private readonly MqttClientInstruments _instruments;
    private KeyValuePair<string, object?> _client;
    private long _accepted;
    private long _acknowledged;
    private long _resent;
    private long _releasesResent;
    private long _connects;
    private long _linksLost;
    private long _attemptsFailed;
    private long _received;
    private long _dropped;
    private long _droppedOutbound;
    private long _droppedOversized;
    private long _refused;
    private long _inFlight;
    private long _queued;

    public MqttClientMetrics(string clientId, System.Diagnostics.Metrics.IMeterFactory? meterFactory)
    {
        _instruments = MqttClientInstruments.For(meterFactory);
        _client = new("mqtt.client.id", clientId);
    }

    /// <summary>
    /// The identifier measurements are tagged with: set when a broker assigns one (MQTT 5, empty ClientId). The gauges move
    /// to the new tag, so a sum per identifier stays right.
    /// </summary>
    public string ClientId
    {
        get => (string)_client.Value!;
        set
        {
            if (value == ClientId)
            {
                return;
            }

            _instruments.InFlight.Add(-_inFlight, _client);
            _instruments.Queued.Add(-_queued, _client);
            _client = new("mqtt.client.id", value);
            _instruments.InFlight.Add(_inFlight, _client);
            _instruments.Queued.Add(_queued, _client);
        }
    }

    /// <summary>Publishes what the engine counted since the last call, and where its in-flight window and queue stand.</summary>
    public void Sync(SessionEngine engine)
    {
        EngineStatistics counted = engine.Statistics;
        Publish(ref _accepted, counted.Accepted, _instruments.Accepted);
        Publish(ref _acknowledged, counted.Acknowledged, _instruments.Acknowledged);
        Publish(ref _resent, counted.Resent, _instruments.Resent);
        Publish(ref _releasesResent, counted.ReleasesResent, _instruments.ReleasesResent);
        Publish(ref _connects, counted.Connects, _instruments.Connects);
        Publish(ref _linksLost, counted.LinksLost, _instruments.LinksLost);
        Publish(ref _attemptsFailed, counted.ConnectAttemptsFailed, _instruments.AttemptsFailed);
        Publish(ref _received, counted.Received, _instruments.Received);
        Publish(ref _dropped, counted.DroppedReceived, _instruments.Dropped);
        Publish(ref _droppedOutbound, counted.DroppedOutbound, _instruments.DroppedOutbound);
        Publish(ref _droppedOversized, counted.DroppedOversized, _instruments.DroppedOversized);
        Publish(ref _refused, counted.Refused, _instruments.Refused);
        Level(ref _inFlight, engine.InFlightCount, _instruments.InFlight);
        Level(ref _queued, engine.QueuedCount, _instruments.Queued);
    }

    /// <summary>An outage ended: <paramref name="seconds"/> from the link's loss to the CONNACK that accepted the next.</summary>
    public void RecordOutage(double seconds) => _instruments.OutageDuration.Record(seconds, _client);

    /// <summary>The client is gone: its gauges go back to zero, so a sum over clients counts only live ones.</summary>
    public void Retire()
    {
        Level(ref _inFlight, 0, _instruments.InFlight);
        Level(ref _queued, 0, _instruments.Queued);
    }

    public MqttClientStatistics Snapshot() => new(
        Interlocked.Read(ref _accepted), Interlocked.Read(ref _acknowledged), Interlocked.Read(ref _resent),
        Interlocked.Read(ref _connects), Interlocked.Read(ref _linksLost), Interlocked.Read(ref _received), Interlocked.Read(ref _dropped),
        Interlocked.Read(ref _attemptsFailed))
    {
        DroppedOversized = Interlocked.Read(ref _droppedOversized),
        Refused = Interlocked.Read(ref _refused),
    };

    private void Publish(ref long field, long total, System.Diagnostics.Metrics.Counter<long> counter)
    {
        long delta = total - Interlocked.Read(ref field);
        if (delta > 0)
        {
            Interlocked.Exchange(ref field, total);
            counter.Add(delta, _client);
        }
    }

    private void Level(ref long field, long now, System.Diagnostics.Metrics.UpDownCounter<long> gauge)
    {
        long delta = now - field;
        if (delta != 0)
        {
            field = now;
            gauge.Add(delta, _client);
        }
    }
}
