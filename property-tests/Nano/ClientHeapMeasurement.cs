using StateMachineMqtt.Nano.Client;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Spec;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// The managed memory one device client holds, on the desktop build of the nano sources (64-bit references: the device's
/// objects are smaller), with default options, connected and subscribed to one filter on
/// <see cref="AllocationFreeBrokerSocket"/>, and with QoS 1 messages held awaiting PUBACK.
/// <para>
/// Two figures. The heap held, <c>GC.GetTotalMemory(true)</c> after minus before with the clients kept alive, is the whole
/// process's heap, kilobytes coarse (another thread allocating meanwhile, allocation contexts), so it is read over
/// <see cref="Clients"/> clients and divided: a measurement to read, not a budget to assert. Run it alone and read its
/// output:
/// <code>dotnet test property-tests --filter "FullyQualifiedName~ClientHeapMeasurement" --logger "console;verbosity=detailed"</code>
/// What this thread allocates to make, connect and subscribe a client is exact and deterministic once a first client has
/// paid the runtime's one-off work, and bounds from above what the client holds of its own (it keeps nothing it did not
/// allocate), so that figure has a budget.
/// </para>
/// </summary>
[Collection(HeapMeasurementCollection.Name)]
public sealed class ClientHeapMeasurement(ITestOutputHelper output)
{
    private const int Clients = 64;
    private const string Filter = "sensors/#";
    private const string Topic = "sensors/esp32/temperature";
    private static readonly byte[] Payload = [0x32, 0x31, 0x2E, 0x35]; // made by the caller, once

    /// <summary>
    /// The fixed part — the send and receive buffers aside — of what a client allocates: spec/'s tables as the interpreter
    /// and the engine hold them (139 rows), the rings of actions and events, the packet identifier map, the engine. It
    /// measured 15,040 bytes here (12,880 before the QoS 2 rows); 16 KB still catches a table, ring or buffer made twice.
    /// </summary>
    private const int FixedBudget = 16 * 1024;

    /// <summary>
    /// What an MQTT 5 client may allocate beyond the 3.1.1 budget: spec/'s property and reason code tables (built once per
    /// process, on first use, so a first client pays them, not the one measured), its CONNECT properties and Topic Alias
    /// bookkeeping, and what its v5 CONNACK, SUBSCRIBE and SUBACK allocate.
    /// </summary>
    private const int Mqtt5Extra = 1024;

    [Fact]
    public void Heap_held_by_connected_subscribed_clients_and_by_held_QoS_1_messages()
    {
        Fixture warm = Made();
        warm.ConnectAndSubscribe(); // the runtime's one-off work on these paths is paid here, not counted below
        Acknowledge(warm);

        var pieces = new Pieces[Clients];
        for (int i = 0; i < Clients; i++)
        {
            pieces[i] = new Pieces();
            pieces[i].Socket.AnswerPublishes = false;
        }

        var clients = new Fixture[Clients];
        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < Clients; i++)
        {
            clients[i] = pieces[i].Client();
            clients[i].ConnectAndSubscribe();
        }

        long connected = GC.GetTotalMemory(forceFullCollection: true);
        int queue = clients[0].Options.QueueLength;
        foreach (Fixture client in clients)
        {
            for (int m = 0; m < queue; m++)
            {
                Assert.True(client.Client.Publish(Topic, Payload, 1, false));
            }

            client.Poll();
            Assert.Equal(queue, client.Client.HeldCount);
            Assert.Equal(queue, client.Socket.Publishes); // every one sent, and awaiting its PUBACK
        }

        long held = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"{Clients} clients connected and subscribed: {connected - before:N0} bytes, {(connected - before) / Clients:N0} per client");
        output.WriteLine(
            $"{Clients * queue} QoS 1 messages held awaiting PUBACK ({Topic.Length}-character topic and {Payload.Length}-byte payload the caller made): "
                + $"{held - connected:N0} bytes, {(held - connected) / (Clients * queue):N0} per message");
        GC.KeepAlive(warm);
        GC.KeepAlive(clients);
    }

    [Fact]
    public void Making_connecting_and_subscribing_a_client_allocates_its_buffers_and_a_fixed_part_within_budget()
    {
        Fixture warm = Made();
        warm.ConnectAndSubscribe(); // the runtime's one-off work on these paths is paid here
        Acknowledge(warm);

        var pieces = new Pieces();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Fixture client = pieces.Client();
        long made = GC.GetAllocatedBytesForCurrentThread() - before - Fixture.Size;
        before = GC.GetAllocatedBytesForCurrentThread();
        client.ConnectAndSubscribe();
        long connected = GC.GetAllocatedBytesForCurrentThread() - before;
        long total = made + connected;

        int buffers = client.Options.SendBufferSize + client.Options.ReceiveBufferSize;
        output.WriteLine($"made: {made:N0} bytes; connected and subscribed: {connected:N0} more; {total - buffers:N0} beyond the buffers' {buffers:N0} bytes");
        Assert.True(total - buffers <= FixedBudget, $"a client allocated {total:N0} bytes, {total - buffers:N0} beyond its {buffers:N0} bytes of buffers (budget {FixedBudget:N0})");
        GC.KeepAlive(warm);
        GC.KeepAlive(client);
    }

    [Fact]
    public void An_MQTT_5_client_allocates_within_the_3_1_1_budget_and_its_own_extra()
    {
        Fixture warm = new Pieces(MqttProtocolVersion.V500).Client();
        warm.ConnectAndSubscribe(); // the runtime's one-off work, and spec/'s MQTT 5 tables, are paid here
        Acknowledge(warm);

        var pieces = new Pieces(MqttProtocolVersion.V500);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Fixture client = pieces.Client();
        long made = GC.GetAllocatedBytesForCurrentThread() - before - Fixture.Size;
        before = GC.GetAllocatedBytesForCurrentThread();
        client.ConnectAndSubscribe();
        long connected = GC.GetAllocatedBytesForCurrentThread() - before;
        long total = made + connected;

        int buffers = client.Options.SendBufferSize + client.Options.ReceiveBufferSize;
        output.WriteLine($"MQTT 5: made: {made:N0} bytes; connected and subscribed: {connected:N0} more; {total - buffers:N0} beyond the buffers' {buffers:N0} bytes");
        Assert.True(total - buffers <= FixedBudget + Mqtt5Extra, $"an MQTT 5 client allocated {total:N0} bytes, {total - buffers:N0} beyond its {buffers:N0} bytes of buffers (budget {FixedBudget + Mqtt5Extra:N0})");
        GC.KeepAlive(warm);
        GC.KeepAlive(client);
    }

    private static Fixture Made() => new Pieces().Client();

    /// <summary>One QoS 1 publish to its PUBACK.</summary>
    private static void Acknowledge(Fixture fixture)
    {
        Assert.True(fixture.Client.Publish(Topic, Payload, 1, false));
        fixture.Poll();
        Assert.Equal(0, fixture.Client.HeldCount);
    }

    /// <summary>What a client is made with, made before anything is measured: default options (a host and a client identifier only), its socket and clock.</summary>
    private sealed class Pieces
    {
        public VirtualClock Clock { get; } = new();

        public AllocationFreeBrokerSocket Socket { get; }

        public NanoMqttOptions Options { get; }

        public RecordingEvents Events { get; }

        public Pieces(MqttProtocolVersion version = MqttProtocolVersion.V311)
        {
            Events = new RecordingEvents(Clock);
            Socket = new AllocationFreeBrokerSocket { Mqtt5 = version == MqttProtocolVersion.V500 };
            Options = new() { Host = "broker.test", Connect = new NanoConnectOptions { ClientId = "esp32" }, ProtocolVersion = version };
        }

        /// <summary>The client (and, <see cref="Fixture.Size"/> bytes, the record that holds it with its pieces).</summary>
        public Fixture Client() => new(new NanoMqttClient(Options, Socket, Clock, Events), Options, Socket, Clock, Events);
    }

    private sealed record Fixture(NanoMqttClient Client, NanoMqttOptions Options, AllocationFreeBrokerSocket Socket, VirtualClock Clock, RecordingEvents Events)
    {
        /// <summary>This record's own size on the 64-bit runtime: header and method table (16) and five references (40).</summary>
        public const int Size = 56;

        public void ConnectAndSubscribe()
        {
            Client.Connect();
            Poll();
            Assert.True(Client.IsConnected);
            Client.Subscribe(Filter, 1);
            Poll();
            Assert.True(Client.IsSubscribed(Filter));
            Assert.Empty(Events.Failures);
        }

        /// <summary>A few polls, 20 ms apart: enough for any one exchange with this socket.</summary>
        public void Poll()
        {
            for (int i = 0; i < 5; i++)
            {
                Client.Poll();
                Clock.Advance(20);
            }
        }
    }
}
