using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using StateMachineMqtt.PropertyTests.Scenarios;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Observability;

/// <summary>
/// The client's spans, exported through OpenTelemetry's in-memory exporter: a Producer span per publish from acceptance to
/// acknowledgement on the client's clock, with OpenTelemetry's messaging attributes and an error status on failure; over
/// MQTT 5 its traceparent (and tracestate) in the PUBLISH's user properties, unless the application set one; and a Consumer
/// span per message the application takes, in the publisher's trace. On the simulated network and virtual time.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed class TraceTests : IDisposable
{
    private readonly List<Activity> _exported = [];
    private readonly TracerProvider _provider;

    public TraceTests()
    {
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(MqttClientTelemetry.ActivitySourceName)
            .AddInMemoryExporter(_exported)
            .Build();
    }

    public void Dispose() => _provider.Dispose();

    private List<Activity> Spans(string clientId, ActivityKind kind)
    {
        lock (_exported)
        {
            return [.. _exported.Where(a => a.Kind == kind && Equals(a.GetTagItem("messaging.client.id"), clientId))];
        }
    }

    private static Scenario V5(int seed, string clientId) => new(seed, o => o.ProtocolVersion = MqttProtocolVersion.V500, clientId);

    private static List<MqttUserProperty> UserPropertiesOf(Scenario s, string clientId, string topic) =>
        [.. s.World.Broker.WrittenBy(clientId).OfType<PublishPacket>().Single(p => p.Topic == topic).Properties?.UserProperties ?? []];

    private static Task<MqttMessage> NextMessage(Scenario s) => s.World.Start(async () =>
    {
        await foreach (MqttMessage m in s.Client.ReadMessagesAsync())
        {
            return m;
        }

        throw new InvalidOperationException("the stream ended");
    });

    [Fact]
    public void A_QoS_1_publish_is_one_Producer_span_from_acceptance_to_PUBACK_on_the_client_clock_with_the_messaging_attributes()
    {
        const string Id = "trace-qos1";
        var s = new Scenario(1300, clientId: Id);
        s.Connect();
        s.World.Broker.Faults.DelayOutgoing(MqttPacketType.PubAck, TimeSpan.FromSeconds(1));
        DateTime acceptedAt = s.World.Time.GetUtcNow().UtcDateTime;
        s.Await(s.Start(c => c.PublishAsync("obs/t", new byte[] { 1, 2, 3 }, MqttQualityOfService.AtLeastOnce)));

        Activity span = Assert.Single(Spans(Id, ActivityKind.Producer));
        PublishPacket sent = s.World.Broker.WrittenBy(Id).OfType<PublishPacket>().Single();
        Assert.Equal("publish obs/t", span.DisplayName);
        Assert.Equal((acceptedAt, TimeSpan.FromSeconds(1)), (span.StartTimeUtc, span.Duration));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal("mqtt", span.GetTagItem("messaging.system"));
        Assert.Equal("send", span.GetTagItem("messaging.operation.type"));
        Assert.Equal("publish", span.GetTagItem("messaging.operation.name"));
        Assert.Equal("obs/t", span.GetTagItem("messaging.destination.name"));
        Assert.Equal(sent.PacketId.ToString(System.Globalization.CultureInfo.InvariantCulture), span.GetTagItem("messaging.message.id"));
        Assert.Equal(1, span.GetTagItem("messaging.mqtt.qos"));
        Assert.Equal(3, span.GetTagItem("messaging.message.body.size"));
        Assert.Empty(span.Events); // sent once, no re-send
        Assert.Null(sent.Properties); // MQTT 3.1.1 has no user properties to carry a context in
    }

    [Fact]
    public void A_re_send_is_an_event_on_the_publish_span_which_ends_at_the_acknowledgement_of_the_re_send()
    {
        const string Id = "trace-resend";
        var s = new Scenario(1301, clientId: Id);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubAck, 1);
        s.Await(s.Start(c => c.PublishAsync("obs/t", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce)));

        Activity span = Assert.Single(Spans(Id, ActivityKind.Producer));
        Assert.Equal("mqtt.publish.resent", Assert.Single(span.Events).Name);
        Assert.Equal(s.Options.ResponseTime, span.Duration);
    }

    [Fact]
    public void A_failed_publish_ends_its_span_with_an_error_status_and_the_error_type()
    {
        const string Id = "trace-failed";
        var s = new Scenario(1302, o => o.MaximumPacketSize = 1_024, Id);
        s.Connect();
        Task publish = s.Start(c => c.PublishAsync("obs/big", new byte[2_000], MqttQualityOfService.AtLeastOnce));
        s.RunUntil(() => publish.IsCompleted, TimeSpan.FromSeconds(5));
        Assert.IsType<ArgumentException>(Scenario.Failure(publish));

        Activity span = Assert.Single(Spans(Id, ActivityKind.Producer));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Contains("MaximumPacketSize", span.StatusDescription, StringComparison.Ordinal);
        Assert.Equal(typeof(ArgumentException).FullName, span.GetTagItem("error.type"));
    }

    [Fact]
    public void A_publish_whose_caller_stops_waiting_ends_its_span_as_cancelled_though_the_message_is_still_delivered()
    {
        const string Id = "trace-cancelled";
        var s = new Scenario(1307, clientId: Id);
        s.Connect();
        s.World.Broker.Faults.DropOutgoing(MqttPacketType.PubAck, 1);
        using var cts = new CancellationTokenSource();
        Task publish = s.Start(c => c.PublishAsync("obs/c", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce, cancellationToken: cts.Token));
        s.RunFor(TimeSpan.FromMilliseconds(100));
        cts.Cancel();
        s.RunUntil(() => publish.IsCompleted, TimeSpan.FromSeconds(1));
        Assert.True(publish.IsCanceled);

        Activity span = Assert.Single(Spans(Id, ActivityKind.Producer));
        Assert.Equal((ActivityStatusCode.Error, "cancelled"), (span.Status, span.GetTagItem("error.type")));
        Assert.True(s.RunUntil(() => s.World.Broker.AcceptedOn("obs/c").Count == 2 && s.Client.SnapshotHeldMessages().Count == 0, TimeSpan.FromSeconds(10)), s.Describe());
    }

    [Fact]
    public void Over_MQTT_5_the_PUBLISH_carries_the_spans_traceparent_and_tracestate_and_the_callers_activity_stays_current()
    {
        const string Id = "trace-inject";
        var s = V5(1303, Id);
        s.Connect();
        using var caller = new Activity("the application's operation");
        caller.SetIdFormat(ActivityIdFormat.W3C);
        caller.TraceStateString = "vendor=42";
        caller.ActivityTraceFlags = ActivityTraceFlags.Recorded; // sampled, so the SDK's parent-based sampler records its children
        caller.Start();
        Activity? currentAfterCall = null;
        Task publish = s.World.Start(() =>
        {
            Task call = s.Client.PublishAsync("obs/5", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce);
            currentAfterCall = Activity.Current;
            return call;
        });
        s.Await(publish);
        caller.Stop();

        Activity span = Assert.Single(Spans(Id, ActivityKind.Producer));
        Assert.Same(caller, currentAfterCall); // the publish span outlives the call, so it never became the caller's current one
        Assert.Equal((caller.TraceId, caller.SpanId), (span.TraceId, span.ParentSpanId));
        Assert.Equal([new MqttUserProperty("traceparent", span.Id!), new MqttUserProperty("tracestate", "vendor=42")], UserPropertiesOf(s, Id, "obs/5"));
    }

    [Fact]
    public void A_traceparent_the_application_set_is_sent_as_it_is_and_not_joined_by_another()
    {
        const string Id = "trace-own";
        var s = V5(1304, Id);
        s.Connect();
        const string Own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var properties = new MqttMessageProperties { UserProperties = [new("traceparent", Own), new("unit", "°C")] };
        s.Await(s.Start(c => c.PublishAsync("obs/own", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce, false, properties)));

        Assert.Single(Spans(Id, ActivityKind.Producer));
        Assert.Equal([new MqttUserProperty("traceparent", Own), new MqttUserProperty("unit", "°C")], UserPropertiesOf(s, Id, "obs/own"));
    }

    [Fact]
    public void A_received_message_is_a_Consumer_span_in_the_publishers_trace_parented_and_linked_to_the_publish_span()
    {
        const string Id = "trace-receive";
        var s = V5(1305, Id);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("obs/loop", MqttQualityOfService.AtLeastOnce)));
        Task<MqttMessage> next = NextMessage(s);
        s.Await(s.Start(c => c.PublishAsync("obs/loop", "hi"u8.ToArray(), MqttQualityOfService.AtLeastOnce)));
        MqttMessage message = s.Await(next);

        Activity publish = Assert.Single(Spans(Id, ActivityKind.Producer));
        Activity receive = Assert.Single(Spans(Id, ActivityKind.Consumer));
        Assert.Contains(message.Properties!.UserProperties, p => p == new MqttUserProperty("traceparent", publish.Id!));
        Assert.Equal("receive obs/loop", receive.DisplayName);
        Assert.Equal((publish.TraceId, publish.SpanId), (receive.TraceId, receive.ParentSpanId));
        Assert.Equal(publish.Context.SpanId, Assert.Single(receive.Links).Context.SpanId);
        Assert.Equal("receive", receive.GetTagItem("messaging.operation.type"));
        Assert.Equal("obs/loop", receive.GetTagItem("messaging.destination.name"));
        Assert.Equal(1, receive.GetTagItem("messaging.mqtt.qos"));
    }

    [Fact]
    public void A_received_message_without_a_traceparent_is_a_root_Consumer_span_without_links()
    {
        const string Id = "trace-plain";
        var s = new Scenario(1306, clientId: Id);
        s.Connect();
        s.Await(s.Start(c => c.SubscribeAsync("obs/in", MqttQualityOfService.AtLeastOnce)));
        Task<MqttMessage> next = NextMessage(s);
        s.World.Broker.Publish("obs/in", "x"u8.ToArray());
        s.Await(next);

        Activity receive = Assert.Single(Spans(Id, ActivityKind.Consumer));
        Assert.Equal(default, receive.ParentSpanId);
        Assert.Empty(receive.Links);
    }
}
