using System.Diagnostics;
using StateMachineMqtt.PropertyTests.Scenarios;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Observability;

/// <summary>
/// With nobody listening to the client's ActivitySource and no current activity, tracing does nothing: no span, and an
/// MQTT 5 PUBLISH goes out without any user property (the hot path adds nothing).
/// </summary>
[Collection(ObservabilityCollection.Name)]
public class NoListenerTests
{
    [Fact]
    public void Without_a_listener_or_a_current_activity_an_MQTT_5_PUBLISH_carries_no_trace_context()
    {
        Assert.False(MqttClientTracing.Source.HasListeners());
        Assert.Null(Activity.Current);
        var s = new Scenario(1310, o => o.ProtocolVersion = MqttProtocolVersion.V500, "trace-none");
        s.Connect();
        s.Await(s.Start(c => c.PublishAsync("obs/quiet", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce)));

        Assert.Null(s.World.Broker.WrittenBy("trace-none").OfType<PublishPacket>().Single().Properties);
    }
}
