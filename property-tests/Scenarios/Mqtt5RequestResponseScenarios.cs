using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>MQTT 5 request/response through the real client on virtual time: answered, matched by Correlation Data, and timed out.</summary>
public class Mqtt5RequestResponseScenarios
{
    private static Scenario V5(int seed) => new(seed, o => o.ProtocolVersion = MqttProtocolVersion.V500);

    /// <summary>A responder on the same client: answers each request on "svc/echo" to its Response Topic, payload reversed.</summary>
    private static void Respond(Scenario s, bool withWrongCorrelationFirst = false)
    {
        MqttSubscription service = s.Await(s.Start(c => c.SubscribeStreamAsync("svc/echo", MqttQualityOfService.AtLeastOnce)));
        _ = s.World.Start(async () =>
        {
            await foreach (MqttMessage request in service)
            {
                MqttMessageProperties asked = request.Properties!;
                if (withWrongCorrelationFirst)
                {
                    await s.Client.PublishAsync(asked.ResponseTopic!, "stray"u8.ToArray(), MqttQualityOfService.AtLeastOnce, false, new MqttMessageProperties { CorrelationData = new byte[] { 0 } });
                }

                await s.Client.PublishAsync(asked.ResponseTopic!, request.Payload.ToArray().Reverse().ToArray(), MqttQualityOfService.AtLeastOnce, false, new MqttMessageProperties { CorrelationData = asked.CorrelationData });
            }
        });
    }

    [Fact]
    public void A_request_gets_the_response_with_its_correlation_data_and_unsubscribes_after()
    {
        var s = V5(800);
        s.Connect();
        Respond(s, withWrongCorrelationFirst: true);

        MqttMessage response = s.Await(s.Start(c => c.RequestAsync("svc/echo", "abc"u8.ToArray(), MqttQualityOfService.AtLeastOnce, TimeSpan.FromSeconds(5))));

        Assert.Equal("cba", response.PayloadText);
        Assert.StartsWith(MqttClient.ResponseTopicPrefix + "/", response.Topic, StringComparison.Ordinal);
        s.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.Contains(s.World.Broker.ReceivedFrom(Scenario.ClientId), r => r.Packet is StateMachineMqtt.Protocol.Packets.UnsubscribePacket u && u.TopicFilters.Contains(response.Topic));
        s.AssertConformant();
    }

    [Fact]
    public void A_request_nobody_answers_times_out_on_the_clients_clock_and_says_what_to_check()
    {
        var s = V5(801);
        s.Connect();
        Task<MqttMessage> request = s.Start(c => c.RequestAsync("svc/nobody", "x"u8.ToArray(), MqttQualityOfService.AtLeastOnce, TimeSpan.FromSeconds(3)));
        s.RunFor(TimeSpan.FromSeconds(2.9));
        Assert.False(request.IsCompleted);
        s.RunFor(TimeSpan.FromSeconds(0.2));
        TimeoutException e = Assert.IsType<TimeoutException>(Scenario.Failure(request));
        Assert.Contains("svc/nobody", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Under_3_1_1_a_request_is_refused()
    {
        var s = new Scenario(802);
        s.Connect();
        Task<MqttMessage> request = s.Start(c => c.RequestAsync("svc/echo", "x"u8.ToArray(), MqttQualityOfService.AtLeastOnce, TimeSpan.FromSeconds(3)));
        s.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.Contains("needs MQTT 5", Assert.IsType<ArgumentException>(Scenario.Failure(request)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Response_Information_asked_for_is_surfaced_and_becomes_the_root_of_made_up_response_topics()
    {
        var s = new Scenario(805, o =>
        {
            o.ProtocolVersion = MqttProtocolVersion.V500;
            o.RequestResponseInformation = true;
        });
        s.World.Broker.ResponseInformation = "replies/c/";
        s.Connect();
        var connect = s.World.Broker.ReceivedFrom(Scenario.ClientId).Select(r => r.Packet).OfType<ConnectPacket>().First();
        Assert.Equal((byte)1, connect.Properties!.RequestResponseInformation);
        Assert.Equal("replies/c/", s.Client.ResponseInformation);

        Respond(s);
        MqttMessage response = s.Await(s.Start(c => c.RequestAsync("svc/echo", "abc"u8.ToArray(), MqttQualityOfService.AtLeastOnce, TimeSpan.FromSeconds(5))));
        Assert.StartsWith("replies/c/", response.Topic, StringComparison.Ordinal);
        Assert.DoesNotContain("//", response.Topic, StringComparison.Ordinal);
        s.AssertConformant();
    }

    [Fact]
    public void Response_Information_is_not_given_unless_asked_for()
    {
        var s = V5(806);
        s.World.Broker.ResponseInformation = "replies/c";
        s.Connect();
        Assert.Null(s.World.Broker.ReceivedFrom(Scenario.ClientId).Select(r => r.Packet).OfType<ConnectPacket>().First().Properties?.RequestResponseInformation);
        Assert.Null(s.Client.ResponseInformation);
        Respond(s);
        MqttMessage response = s.Await(s.Start(c => c.RequestAsync("svc/echo", "abc"u8.ToArray(), MqttQualityOfService.AtLeastOnce, TimeSpan.FromSeconds(5))));
        Assert.StartsWith(MqttClient.ResponseTopicPrefix + "/", response.Topic, StringComparison.Ordinal);
    }
}
