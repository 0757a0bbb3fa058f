using StateMachineMqtt.Nano.Client;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Nano.Simulated;
using StateMachineMqtt.PropertyTests.Protocol.V5;
using StateMachineMqtt.PropertyTests.Scenarios;
using StateMachineMqtt.PropertyTests.Simulation;
using StateMachineMqtt.PropertyTests.Simulation.Broker;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Nano.Mqtt5;

/// <summary>
/// The device client and the desktop client (core's MqttClient) given the same MQTT 5 CONNECT settings — a will with its
/// properties and delay, CONNECT User Properties, Request Problem and Response Information, a Receive Maximum — each on
/// the shared simulated broker: the same CONNECT on the wire, the same Response Information taken from CONNACK, and the
/// same bound on what the broker has in flight to them.
/// </summary>
public sealed class Mqtt5ConnectConformanceTests
{
    private const string ClientId = Scenario.ClientId;

    /// <summary>The desktop settings; <see cref="DeviceSettings"/> are the same on the device.</summary>
    private static void CoreSettings(MqttClientOptions o)
    {
        o.ProtocolVersion = MqttProtocolVersion.V500;
        o.MaximumPacketSize = 1024; // the device announces its receive buffer
        o.Will = new MqttWillMessage("will/c", "gone"u8.ToArray(), MqttQualityOfService.AtLeastOnce, Retain: true)
        {
            Properties = new MqttMessageProperties
            {
                PayloadFormat = MqttPayloadFormat.Utf8,
                MessageExpiryInterval = TimeSpan.FromMinutes(10),
                ContentType = "text/plain",
                ResponseTopic = "will/replies",
                CorrelationData = new byte[] { 7, 8 },
                UserProperties = [new("reason", "lost"), new("reason", "again")],
            },
            DelayInterval = TimeSpan.FromSeconds(30),
        };
        o.ConnectUserProperties = [new("model", "esp32-s3"), new("fw", "1.2")];
        o.RequestProblemInformation = false;
        o.RequestResponseInformation = true;
        o.ReceiveMaximum = 3;
    }

    private static void DeviceSettings(NanoMqttOptions o)
    {
        o.ProtocolVersion = MqttProtocolVersion.V500;
        o.ReceiveBufferSize = 1024;
        var will = new NanoProperties
        {
            WillDelayInterval = 30,
            PayloadFormatIndicator = 1,
            MessageExpiryInterval = 600,
            ContentType = "text/plain",
            ResponseTopic = "will/replies",
            CorrelationData = [7, 8],
        };
        will.AddUserProperty("reason", "lost");
        will.AddUserProperty("reason", "again");
        o.Connect.WillTopic = "will/c";
        o.Connect.WillPayload = "gone"u8.ToArray();
        o.Connect.WillQos = 1;
        o.Connect.WillRetain = true;
        o.Connect.WillProperties = will;
        o.ConnectUserProperties = [new NanoUserProperty("model", "esp32-s3"), new NanoUserProperty("fw", "1.2")];
        o.RequestProblemInformation = false;
        o.RequestResponseInformation = true;
        o.ReceiveMaximum = 3;
    }

    [Fact]
    public void Both_clients_put_the_same_MQTT_5_CONNECT_on_the_wire_for_the_same_settings()
    {
        var core = new Scenario(900, CoreSettings);
        core.Connect();
        using var device = new DeviceOnSimulation(900, DeviceSettings);
        device.Connect();

        ConnectPacket coreConnect = Assert.Single(core.World.Broker.ReceivedFrom(ClientId).Select(r => r.Packet).OfType<ConnectPacket>());
        ConnectPacket deviceConnect = Assert.Single(device.World.Broker.ReceivedFrom(ClientId).Select(r => r.Packet).OfType<ConnectPacket>());
        Assert.Equal(Mqtt5Packets.Describe(coreConnect), Mqtt5Packets.Describe(deviceConnect));
        Assert.Equal(30u, deviceConnect.Will?.Properties?.WillDelayInterval); // what is compared is there
        Assert.Equal((ushort)3, deviceConnect.Properties?.ReceiveMaximum);
        core.AssertConformant();
        Assert.Empty(device.World.Broker.Violations);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Both_clients_take_Response_Information_from_CONNACK_only_when_they_asked_for_it(bool ask)
    {
        var core = new Scenario(901, o => { o.ProtocolVersion = MqttProtocolVersion.V500; o.RequestResponseInformation = ask; });
        core.World.Broker.ResponseInformation = "replies/c/";
        core.Connect();
        using var device = new DeviceOnSimulation(901, o => { o.ProtocolVersion = MqttProtocolVersion.V500; o.RequestResponseInformation = ask; });
        device.World.Broker.ResponseInformation = "replies/c/";
        device.Connect();

        Assert.Equal(ask ? "replies/c/" : null, core.Client.ResponseInformation);
        Assert.Equal(core.Client.ResponseInformation, device.Client.ResponseInformation);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0)] // none sent: the broker sends all five at once, to both
    public void The_client_s_Receive_Maximum_bounds_what_the_broker_has_in_flight_to_either_client(int receiveMaximum)
    {
        const int Messages = 5;
        var core = new Scenario(902, o => { o.ProtocolVersion = MqttProtocolVersion.V500; o.ReceiveMaximum = receiveMaximum; });
        core.World.Network.LinkLatency = TimeSpan.FromMilliseconds(40); // acknowledgements take a while to come back
        core.Connect();
        core.Await(core.Start(c => c.SubscribeAsync("in/#", MqttQualityOfService.AtLeastOnce)));
        Task<int> read = core.World.Start(async () =>
        {
            int count = 0;
            await foreach (MqttMessage _ in core.Client.ReadMessagesAsync())
            {
                if (++count == Messages)
                {
                    break;
                }
            }

            return count;
        });
        PublishToClient(core.World);
        Assert.Equal(Messages, core.Await(read));
        core.RunFor(TimeSpan.FromSeconds(1));

        using var device = new DeviceOnSimulation(902, o => { o.ProtocolVersion = MqttProtocolVersion.V500; o.ReceiveMaximum = receiveMaximum; });
        device.World.Network.LinkLatency = TimeSpan.FromMilliseconds(40);
        device.Connect();
        device.OnScheduler(() => device.Client.Subscribe("in/#", 1));
        device.World.RunUntil(() => device.Client.IsSubscribed("in/#"), TimeSpan.FromSeconds(5));
        PublishToClient(device.World);
        device.World.RunUntil(() => device.Events.Messages.Count == Messages, TimeSpan.FromSeconds(10));
        device.World.RunFor(TimeSpan.FromSeconds(1));

        int expected = receiveMaximum == 0 ? Messages : receiveMaximum;
        Assert.Equal(expected, MostInFlight(core.World.Broker));
        Assert.Equal(expected, MostInFlight(device.World.Broker));
        Assert.Equal(0, device.World.Broker.HeldMessageCount(ClientId));
        core.AssertConformant();
        Assert.Empty(device.World.Broker.Violations);
    }

    [Theory]
    [InlineData("ConnectUserProperties")]
    [InlineData("RequestProblemInformation")]
    [InlineData("RequestResponseInformation")]
    [InlineData("ReceiveMaximum")]
    [InlineData("WillProperties")]
    public void Both_clients_refuse_an_MQTT_5_CONNECT_setting_under_3_1_1_naming_it_and_the_fix(string setting)
    {
        var core = new MqttClientOptions { ClientId = ClientId };
        switch (setting)
        {
            case "ConnectUserProperties": core.ConnectUserProperties = [new("a", "b")]; break;
            case "RequestProblemInformation": core.RequestProblemInformation = false; break;
            case "RequestResponseInformation": core.RequestResponseInformation = true; break;
            case "ReceiveMaximum": core.ReceiveMaximum = 10; break;
            default: core.Will = new MqttWillMessage("w", new byte[] { 1 }) { Properties = new MqttMessageProperties { ContentType = "text/plain" } }; break;
        }

        string coreMessage = Assert.ThrowsAny<ArgumentException>(core.Validate).Message;
        string deviceMessage = Assert.Throws<ArgumentException>(() => new NanoClientHarness(configure: o => NanoClientMqtt5ConnectTests.Set311(o, setting))).Message;
        string named = setting == "WillProperties" ? "Will" : setting;
        foreach (string message in new[] { coreMessage, deviceMessage })
        {
            Assert.Contains(named, message, StringComparison.Ordinal);
            Assert.Contains("ProtocolVersion = MqttProtocolVersion.V500", message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public void Both_clients_refuse_a_Receive_Maximum_out_of_range_alike(int value)
    {
        string coreMessage = Assert.ThrowsAny<ArgumentException>(new MqttClientOptions { ClientId = ClientId, ProtocolVersion = MqttProtocolVersion.V500, ReceiveMaximum = value }.Validate).Message;
        string deviceMessage = Assert.Throws<ArgumentException>(() => new NanoClientHarness(version: MqttProtocolVersion.V500, configure: o => o.ReceiveMaximum = value)).Message;
        foreach (string message in new[] { coreMessage, deviceMessage })
        {
            Assert.Contains("ReceiveMaximum must be from 1 to 65,535, or 0 to send none (the broker may then send 65,535)", message, StringComparison.Ordinal);
        }
    }

    private static void PublishToClient(SimulationWorld world)
    {
        for (byte i = 0; i < 5; i++)
        {
            world.Broker.Publish("in/x", new[] { i });
        }
    }

    /// <summary>The most QoS 1 PUBLISHes the broker had sent to the client without its PUBACK, at any one time.</summary>
    private static int MostInFlight(SimulatedBroker broker)
    {
        // At one instant an answer is counted before a send: the broker sends the next only once it has the answer.
        var steps = broker.SentTo(ClientId).Where(r => r.Packet is PublishPacket { QualityOfService: MqttQualityOfService.AtLeastOnce }).Select(r => (r.At, Order: 1, Delta: 1))
            .Concat(broker.ReceivedFrom(ClientId).Where(r => r.Packet is PubAckPacket).Select(r => (r.At, Order: 0, Delta: -1)))
            .OrderBy(s => s.At).ThenBy(s => s.Order);
        int inFlight = 0;
        int most = 0;
        foreach (var step in steps)
        {
            inFlight += step.Delta;
            most = Math.Max(most, inFlight);
        }

        return most;
    }

    /// <summary>The device client on the shared simulated network and broker, polled every 10 virtual ms, as the fault schedules run it.</summary>
    private sealed class DeviceOnSimulation : IDisposable
    {
        private readonly NanoPollDriver _driver;

        public DeviceOnSimulation(int seed, Action<NanoMqttOptions> configure)
        {
            World = new SimulationWorld(seed);
            Events = new RecordingEvents(new VirtualClock());
            var options = new NanoMqttOptions
            {
                Host = "broker.sim",
                Connect = new NanoConnectOptions { ClientId = ClientId, KeepAliveSeconds = 20 }, // as core's Scenario
                ResponseTimeMilliseconds = 2000,
                RandomSeed = 1,
            };
            configure(options);
            Client = new NanoMqttClient(options, new SimulatedNanoSocket(World, World.Network.CreateTransport(ClientId)), new SimulatedNanoClock(World.Time), Events);
            _driver = new NanoPollDriver(World, Client);
        }

        public SimulationWorld World { get; }

        public NanoMqttClient Client { get; }

        public RecordingEvents Events { get; }

        public void Connect()
        {
            OnScheduler(Client.Connect);
            Assert.True(World.RunUntil(() => Client.IsConnected, TimeSpan.FromSeconds(10)), World.Describe());
            Assert.Null(_driver.Failure);
        }

        /// <summary>An API call on the world's scheduler, as the device's one thread makes it (never inside a Poll).</summary>
        public void OnScheduler(Action action) => World.Await(World.Start(() => { action(); return Task.CompletedTask; }), TimeSpan.FromSeconds(1));

        public void Dispose()
        {
            Assert.Null(_driver.Failure);
            _driver.Dispose();
        }
    }
}
