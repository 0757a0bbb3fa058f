using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using StateMachineMqtt.PropertyTests.Scenarios;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Observability;

/// <summary>
/// The client's metrics, read through a MeterListener: the meter comes from MqttClientOptions.MeterFactory (a DI container's
/// AddMetrics factory here) or is the shared one; counters follow the engine's statistics; the in-flight and queued gauges
/// follow the engine's window and queue; the outage histogram measures, on the client's clock, from a link's loss to the
/// CONNACK of the next. Every measurement names the client.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed class MetricTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly IMeterFactory _factory;
    private readonly MetricCapture _capture;

    public MetricTests()
    {
        _factory = _services.GetRequiredService<IMeterFactory>();
        _capture = new MetricCapture(i => i.Meter.Name == MqttClientTelemetry.MeterName && ReferenceEquals(i.Meter.Scope, _factory));
    }

    public void Dispose()
    {
        _capture.Dispose();
        _services.Dispose();
    }

    private Scenario WithFactory(int seed, string clientId, Action<MqttClientOptions>? configure = null) =>
        new(seed, o => { o.MeterFactory = _factory; configure?.Invoke(o); }, clientId);

    private static Task Publish(Scenario s, string topic, MqttQualityOfService qos, byte payload = 1) =>
        s.Start(c => c.PublishAsync(topic, new[] { payload }, qos));

    [Fact]
    public void The_meter_comes_from_the_options_MeterFactory_and_every_measurement_names_the_client()
    {
        const string Id = "metrics-factory";
        var s = WithFactory(1200, Id);
        s.Connect();
        s.Await(Publish(s, "obs/m", MqttQualityOfService.AtLeastOnce));
        s.Await(Publish(s, "obs/m", MqttQualityOfService.ExactlyOnce));

        Assert.Equal(2, _capture.Sum("mqtt.client.messages.accepted", Id));
        Assert.Equal(2, _capture.Sum("mqtt.client.messages.acknowledged", Id));
        Assert.Equal(1, _capture.Sum("mqtt.client.connects", Id));
        Assert.Equal(s.Client.Statistics.Accepted, _capture.Sum("mqtt.client.messages.accepted", Id));
        Assert.NotEmpty(_capture.AllTags());
        Assert.All(_capture.AllTags(), tags => Assert.Equal(Id, tags["mqtt.client.id"]));
        string[] expected =
        [
            "mqtt.client.messages.accepted", "mqtt.client.messages.acknowledged", "mqtt.client.messages.resent", "mqtt.client.releases.resent",
            "mqtt.client.connects", "mqtt.client.links.lost", "mqtt.client.connect_attempts.failed", "mqtt.client.messages.received",
            "mqtt.client.messages.dropped", "mqtt.client.messages.dropped_outbound", "mqtt.client.messages.refused", "mqtt.client.messages.dropped_oversized",
            "mqtt.client.messages.in_flight", "mqtt.client.messages.queued", "mqtt.client.outage.duration",
        ];
        Assert.Equal(expected.Order(), _capture.Published.Select(i => i.Name).Order());
    }

    [Fact]
    public void Two_clients_on_one_factory_share_its_meter_and_its_instruments_and_are_told_apart_by_their_tag()
    {
        var first = WithFactory(1201, "metrics-one");
        var second = WithFactory(1202, "metrics-two");
        first.Connect();
        second.Connect();
        first.Await(Publish(first, "obs/m", MqttQualityOfService.AtLeastOnce));

        IReadOnlyList<Instrument> published = _capture.Published;
        Assert.Equal(published.Count, published.Select(i => i.Name).Distinct().Count());
        Assert.Single(published.Select(i => i.Meter).Distinct());
        Assert.Equal((1, 0), (_capture.Sum("mqtt.client.messages.accepted", "metrics-one"), _capture.Sum("mqtt.client.messages.accepted", "metrics-two")));
        Assert.Equal((1, 1), (_capture.Sum("mqtt.client.connects", "metrics-one"), _capture.Sum("mqtt.client.connects", "metrics-two")));
    }

    [Fact]
    public void Without_a_MeterFactory_the_client_reports_to_the_shared_meter_of_the_same_name()
    {
        const string Id = "metrics-shared";
        using var shared = new MetricCapture(i => i.Meter.Name == MqttClientTelemetry.MeterName && i.Meter.Scope is null);
        var s = new Scenario(1203, clientId: Id);
        s.Connect();
        s.Await(Publish(s, "obs/m", MqttQualityOfService.AtLeastOnce));

        Assert.Equal(1, shared.Sum("mqtt.client.messages.accepted", Id));
        Assert.Equal(0, _capture.Sum("mqtt.client.messages.accepted", Id));
    }

    [Fact]
    public void The_outage_histogram_records_the_time_from_the_link_loss_to_the_next_CONNACK_on_the_client_clock()
    {
        const string Id = "metrics-outage";
        var s = WithFactory(1204, Id);
        s.Connect();
        s.RunFor(TimeSpan.FromSeconds(3));
        Assert.Empty(_capture.Values("mqtt.client.outage.duration", Id)); // the first connect is no outage
        s.World.Network.LastLink!.Reset();
        Assert.True(s.RunUntil(() => s.World.Network.LinksOpened == 2 && s.Client.IsConnected, TimeSpan.FromSeconds(30)), s.Describe());

        TimeSpan lostAt = s.Events.Single(e => e.Event.Change == MqttConnectionChange.LinkLost).At;
        TimeSpan backAt = s.Events.Last(e => e.Event.Change == MqttConnectionChange.Connected).At;
        double recorded = Assert.Single(_capture.Values("mqtt.client.outage.duration", Id));
        Assert.True(backAt > lostAt, s.Describe());
        Assert.Equal((backAt - lostAt).TotalSeconds, recorded, 9);
        Assert.Equal((1, 2), (_capture.Sum("mqtt.client.links.lost", Id), _capture.Sum("mqtt.client.connects", Id)));

        // DisconnectAsync is the application's choice, not an outage: the next connect records nothing.
        s.Await(s.Start(c => c.DisconnectAsync()));
        s.RunFor(TimeSpan.FromSeconds(5));
        s.Connect();
        Assert.Single(_capture.Values("mqtt.client.outage.duration", Id));
    }

    [Fact]
    public void The_in_flight_and_queued_gauges_follow_the_engines_window_and_queue()
    {
        const string Id = "metrics-gauges";
        var s = WithFactory(1205, Id, o => o.MaxInflight = 2);
        s.Connect();
        s.World.Broker.Faults.DelayOutgoing(MqttPacketType.PubAck, TimeSpan.FromSeconds(1), count: 5);
        Task[] publishes = [.. Enumerable.Range(0, 5).Select(i => Publish(s, "obs/g", MqttQualityOfService.AtLeastOnce, (byte)i))];
        s.RunFor(TimeSpan.FromMilliseconds(100));

        Assert.Equal((2, 3), (s.Client.Engine.InFlightCount, s.Client.Engine.QueuedCount));
        Assert.Equal((2, 3), (_capture.Sum("mqtt.client.messages.in_flight", Id), _capture.Sum("mqtt.client.messages.queued", Id)));

        s.Await(Task.WhenAll(publishes), TimeSpan.FromSeconds(30));
        Assert.Equal((0, 0), (_capture.Sum("mqtt.client.messages.in_flight", Id), _capture.Sum("mqtt.client.messages.queued", Id)));
    }

    [Fact]
    public void A_disposed_client_takes_its_gauges_back_to_zero()
    {
        const string Id = "metrics-retire";
        var s = WithFactory(1206, Id, o => o.CleanSession = false);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubAck, int.MaxValue);
        Task unacknowledged = Publish(s, "obs/r", MqttQualityOfService.AtLeastOnce);
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, _capture.Sum("mqtt.client.messages.in_flight", Id));

        s.Await(s.World.Start(() => s.Client.DisposeAsync().AsTask()));
        Assert.Equal((0, 0), (_capture.Sum("mqtt.client.messages.in_flight", Id), _capture.Sum("mqtt.client.messages.queued", Id)));
        Assert.True(unacknowledged.IsFaulted);
    }

    [Fact]
    public void Re_sends_of_PUBLISH_and_PUBREL_are_counted_as_the_engine_counts_them()
    {
        const string Id = "metrics-resend";
        var s = WithFactory(1207, Id);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubAck, 1);
        s.Await(Publish(s, "obs/q1", MqttQualityOfService.AtLeastOnce));
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubComp, 1);
        s.Await(Publish(s, "obs/q2", MqttQualityOfService.ExactlyOnce));

        Assert.Equal((1, 1), (s.Client.Engine.Statistics.Resent, s.Client.Engine.Statistics.ReleasesResent));
        Assert.Equal((1, 1), (_capture.Sum("mqtt.client.messages.resent", Id), _capture.Sum("mqtt.client.releases.resent", Id)));
        Assert.Equal(s.Client.Statistics.Resent, _capture.Sum("mqtt.client.messages.resent", Id));
    }
}
