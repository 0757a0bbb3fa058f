using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace StateMachineMqtt;

/// <summary>
/// The instruments of one <see cref="Meter"/>, made once per meter and shared by every client that reports to it: the
/// shared static meter, or the one an <see cref="IMeterFactory"/> gives (a factory hands out one meter per name, so two
/// clients on one factory share it, and must share its instruments too rather than register each name twice).
/// </summary>
internal sealed class MqttClientInstruments
{
    private static readonly Meter SharedMeter = new(MqttClientTelemetry.MeterName);
    private static readonly ConditionalWeakTable<Meter, MqttClientInstruments> ByMeter = new();

    // Outages last from a blink to hours: buckets from 100 ms to an hour.
    private static readonly InstrumentAdvice<double> OutageBuckets = new()
    {
        HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    };

    private MqttClientInstruments(Meter meter)
    {
        Accepted = meter.CreateCounter<long>("mqtt.client.messages.accepted", "{message}", "Messages accepted by PublishAsync (published)");
        Acknowledged = meter.CreateCounter<long>("mqtt.client.messages.acknowledged", "{message}", "QoS 1 and QoS 2 messages acknowledged (by PUBACK or PUBCOMP)");
        Resent = meter.CreateCounter<long>("mqtt.client.messages.resent", "{packet}", "PUBLISH packets re-sent with DUP");
        ReleasesResent = meter.CreateCounter<long>("mqtt.client.releases.resent", "{packet}", "PUBREL packets re-sent (QoS 2)");
        Connects = meter.CreateCounter<long>("mqtt.client.connects", "{link}", "Links accepted by CONNACK: the first connect and every reconnect");
        LinksLost = meter.CreateCounter<long>("mqtt.client.links.lost", "{link}", "Accepted links lost");
        AttemptsFailed = meter.CreateCounter<long>("mqtt.client.connect_attempts.failed", "{attempt}", "Connect attempts that failed before a CONNACK accepted them");
        Received = meter.CreateCounter<long>("mqtt.client.messages.received", "{message}", "Messages queued for the application");
        Dropped = meter.CreateCounter<long>("mqtt.client.messages.dropped", "{message}", "QoS 0 messages dropped: the application did not read");
        DroppedOutbound = meter.CreateCounter<long>("mqtt.client.messages.dropped_outbound", "{message}", "Queued outbound QoS 0 messages dropped: the outbound queue was full (DropOldestQoS0)");
        Refused = meter.CreateCounter<long>("mqtt.client.messages.refused", "{message}", "MQTT 5 messages the broker refused in PUBACK or PUBREC (reason code 0x80 and up)");
        DroppedOversized = meter.CreateCounter<long>("mqtt.client.messages.dropped_oversized", "{message}", "Received messages over MaximumPacketSize: read past, acknowledged, not delivered");
        InFlight = meter.CreateUpDownCounter<long>("mqtt.client.messages.in_flight", "{message}", "Messages sent on the current link and awaiting PUBACK, PUBREC or PUBCOMP");
        Queued = meter.CreateUpDownCounter<long>("mqtt.client.messages.queued", "{message}", "Messages held but not in flight: waiting to be sent, or re-sent on the next link");
        OutageDuration = meter.CreateHistogram<double>("mqtt.client.outage.duration", "s", "From an accepted link's loss to the CONNACK that accepts the next one", tags: null, advice: OutageBuckets);
    }

    public Counter<long> Accepted { get; }

    public Counter<long> Acknowledged { get; }

    public Counter<long> Resent { get; }

    public Counter<long> ReleasesResent { get; }

    public Counter<long> Connects { get; }

    public Counter<long> LinksLost { get; }

    public Counter<long> AttemptsFailed { get; }

    public Counter<long> Received { get; }

    public Counter<long> Dropped { get; }

    public Counter<long> DroppedOutbound { get; }

    public Counter<long> Refused { get; }

    public Counter<long> DroppedOversized { get; }

    public UpDownCounter<long> InFlight { get; }

    public UpDownCounter<long> Queued { get; }

    public Histogram<double> OutageDuration { get; }

    /// <summary>The instruments of <paramref name="factory"/>'s meter named <see cref="MqttClientTelemetry.MeterName"/>, or of the shared meter when it is null.</summary>
    public static MqttClientInstruments For(IMeterFactory? factory)
    {
        Meter meter = factory is null ? SharedMeter : factory.Create(new MeterOptions(MqttClientTelemetry.MeterName));
        return ByMeter.GetValue(meter, static m => new MqttClientInstruments(m));
    }
}
