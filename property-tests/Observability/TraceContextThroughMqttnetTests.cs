using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Spec;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Observability;

/// <summary>
/// Over MQTT 5, the traceparent goes end to end through a real broker (MQTTnet, in process): the subscriber's receive span
/// is in the publisher's trace, the child of its publish span, and the publish span the child of the application's.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public class TraceContextThroughMqttnetTests
{
    private static MqttClientOptions Options(int port, string clientId) => new()
    {
        ProtocolVersion = MqttProtocolVersion.V500,
        ClientId = clientId,
        Server = "127.0.0.1",
        Port = port,
        KeepAlive = TimeSpan.FromSeconds(5),
        ResponseTime = TimeSpan.FromSeconds(2),
        ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500), seed: 1),
    };

    [Fact]
    public async Task The_subscribers_receive_span_has_the_publishers_trace_id_and_the_publish_span_as_parent()
    {
        var exported = new List<Activity>();
        using var application = new ActivitySource("StateMachineMqtt.PropertyTests.Observability");
        using TracerProvider provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(MqttClientTelemetry.ActivitySourceName, application.Name)
            .AddInMemoryExporter(exported)
            .Build();
        await using var broker = await InProcessMqttnetBroker.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var subscriber = new MqttClient(Options(broker.Port, "otel-sub"));
        await using var publisher = new MqttClient(Options(broker.Port, "otel-pub"));
        await subscriber.ConnectAsync(timeout.Token);
        await publisher.ConnectAsync(timeout.Token);
        await subscriber.SubscribeAsync("otel/e2e", MqttQualityOfService.AtLeastOnce, timeout.Token);

        ActivityTraceId traceId;
        using (Activity operation = application.StartActivity("the application's operation")!)
        {
            traceId = operation.TraceId;
            await publisher.PublishAsync("otel/e2e", "hello"u8.ToArray(), MqttQualityOfService.AtLeastOnce, cancellationToken: timeout.Token);
        }

        await foreach (MqttMessage message in subscriber.ReadMessagesAsync(timeout.Token))
        {
            Assert.Equal("hello", message.PayloadText);
            break;
        }

        List<Activity> spans;
        lock (exported)
        {
            spans = [.. exported];
        }

        Activity publish = Assert.Single(spans, a => a.Kind == ActivityKind.Producer && Equals(a.GetTagItem("messaging.client.id"), "otel-pub"));
        Activity receive = Assert.Single(spans, a => a.Kind == ActivityKind.Consumer && Equals(a.GetTagItem("messaging.client.id"), "otel-sub"));
        Assert.Equal(traceId, publish.TraceId);
        Assert.Equal((traceId, publish.SpanId), (receive.TraceId, receive.ParentSpanId));
        Assert.True(receive.HasRemoteParent);
    }
}
