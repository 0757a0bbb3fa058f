using StateMachineMqtt.Engine;
using StateMachineMqtt.Nano.Client;
using StateMachineMqtt.Nano.Codec;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// "No allocation per poll", on the desktop build of the nano sources: once connected, a steady-state <c>Poll</c> allocates
/// nothing, in the driver or in the shared engine (its actions and events are structs in rings) — on a link with no traffic
/// at all, across keepalive pings, and across QoS 1 publish-to-PUBACK and QoS 2 publish-to-PUBCOMP cycles, where a publish
/// allocates its message and nothing more. The socket (<see cref="AllocationFreeBrokerSocket"/>) allocates nothing itself, so any byte counted is the
/// client's.
/// <para>
/// Each case measures three windows: an allocation in the steady state shows in every one of them, while the runtime's own
/// one-off work on this thread (tiered JIT catching up on a loaded machine) shows in one at most.
/// </para>
/// </summary>
public sealed class PollAllocationTests
{
    private const int PollStep = 20;
    private const int Windows = 3;
    private const string Topic = "sensors/esp32/temperature";
    private static readonly byte[] Payload = [0x32, 0x31, 0x2E, 0x35]; // "21.5"

    [Fact]
    public void Polling_a_link_with_no_traffic_allocates_nothing()
    {
        var (client, socket, clock) = Connected(keepAliveSeconds: 0); // keepalive off: no packet in or out, ever
        int packetsBefore = socket.PacketsSent;

        List<(long Bytes, int Polls)> windows = PollWindows(client, clock);

        Assert.Equal(packetsBefore, socket.PacketsSent);
        Assert.True(client.IsConnected);
        Assert.True(windows.Min(w => w.Bytes) == 0, "every window allocated: " + Describe(windows));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Keepalive_traffic_on_an_idle_link_allocates_nothing(bool mqtt5)
    {
        var (client, socket, clock) = Connected(keepAliveSeconds: 4, mqtt5);
        int pingsBefore = socket.Pings;

        List<(long Bytes, int Polls)> windows = PollWindows(client, clock);

        Assert.True(socket.Pings - pingsBefore >= 150, $"expected a ping every second, saw {socket.Pings - pingsBefore}");
        Assert.True(client.IsConnected);
        Assert.True(windows.Min(w => w.Bytes) == 0, "every window allocated: " + Describe(windows));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    public void A_publish_to_PUBACK_or_PUBCOMP_cycle_allocates_only_its_message(int qos, bool mqtt5)
    {
        var (client, socket, clock) = Connected(keepAliveSeconds: 4, mqtt5);
        for (int cycle = 0; cycle < 100; cycle++)
        {
            PublishAndPollUntilAcknowledged(client, clock, qos); // every path warm, identifiers taken and freed many times over
        }

        // What the message itself costs: the OutboundMessage the client makes of the caller's topic and payload (which the
        // caller made once, here before the windows).
        long message = MessageAllocation();
        Assert.True(message > 0);

        const int CyclesPerWindow = 200;
        long acknowledgedBefore = client.Statistics.Acknowledged;
        int pubAcksBefore = socket.PubAcks;
        int pubCompsBefore = socket.PubComps;
        var windows = new List<(long PublishBytes, long PollBytes, int Polls)>();
        for (int window = 0; window < Windows; window++)
        {
            long publishBytes = 0;
            long pollBytes = 0;
            int polls = 0;
            for (int cycle = 0; cycle < CyclesPerWindow; cycle++)
            {
                var (publish, poll, n) = PublishAndPollUntilAcknowledged(client, clock, qos);
                publishBytes += publish;
                pollBytes += poll;
                polls += n;
            }

            windows.Add((publishBytes - (CyclesPerWindow * message), pollBytes, polls));
        }

        Assert.Equal(Windows * CyclesPerWindow, client.Statistics.Acknowledged - acknowledgedBefore);
        // A QoS 1 cycle ends in PUBACK; a QoS 2 cycle in PUBCOMP, the answer to its PUBREL.
        Assert.Equal((qos == 1 ? Windows * CyclesPerWindow : 0, qos == 2 ? Windows * CyclesPerWindow : 0), (socket.PubAcks - pubAcksBefore, socket.PubComps - pubCompsBefore));
        Assert.True(client.IsConnected);
        Assert.True(
            windows.Any(w => w.PublishBytes == 0 && w.PollBytes == 0),
            $"every window allocated beyond its {CyclesPerWindow} messages ({message} bytes each): "
                + string.Join("; ", windows.Select(w => $"Publish {w.PublishBytes} bytes more, Poll {w.PollBytes} bytes over {w.Polls} polls")));
    }

    /// <summary>A client on <see cref="AllocationFreeBrokerSocket"/>, connected, with a few seconds polled to warm every path up.</summary>
    private static (NanoMqttClient Client, AllocationFreeBrokerSocket Socket, VirtualClock Clock) Connected(int keepAliveSeconds, bool mqtt5 = false)
    {
        var clock = new VirtualClock();
        var socket = new AllocationFreeBrokerSocket { Mqtt5 = mqtt5 };
        var options = new NanoMqttOptions
        {
            Host = "broker.test",
            Connect = new NanoConnectOptions { ClientId = "esp32", KeepAliveSeconds = keepAliveSeconds },
            ProtocolVersion = mqtt5 ? StateMachineMqtt.Spec.MqttProtocolVersion.V500 : StateMachineMqtt.Spec.MqttProtocolVersion.V311,
        };
        var client = new NanoMqttClient(options, socket, clock, new RecordingEvents(clock));
        client.Connect();
        PollFor(client, clock, 5_000); // connect, and a first ping cycle when keepalive is on
        Assert.True(client.IsConnected);
        return (client, socket, clock);
    }

    /// <summary>One cycle: Publish (which sends the PUBLISH at once), then polls until its PUBACK, or PUBREC and PUBCOMP, are taken; the bytes each allocated.</summary>
    private static (long PublishBytes, long PollBytes, int Polls) PublishAndPollUntilAcknowledged(NanoMqttClient client, VirtualClock clock, int qos)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool accepted = client.Publish(Topic, Payload, qos, false);
        long publishBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(accepted);
        Assert.Equal(1, client.HeldCount);

        long pollBytes = 0;
        int polls = 0;
        while (client.HeldCount > 0)
        {
            Assert.True(polls < 10, "not acknowledged within 10 polls");
            before = GC.GetAllocatedBytesForCurrentThread();
            client.Poll();
            pollBytes += GC.GetAllocatedBytesForCurrentThread() - before;
            clock.Advance(PollStep);
            polls++;
        }

        return (publishBytes, pollBytes, polls);
    }

    /// <summary>The bytes one OutboundMessage of <see cref="Topic"/> and <see cref="Payload"/> allocates (the least of a few tries).</summary>
    private static long MessageAllocation()
    {
        long least = long.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var message = new OutboundMessage(Topic, Payload, 1, false, null);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            GC.KeepAlive(message);
        }

        return least;
    }

    /// <summary>Polls for a minute of virtual time, <see cref="Windows"/> times: the bytes allocated and the polls made in each.</summary>
    private static List<(long Bytes, int Polls)> PollWindows(NanoMqttClient client, VirtualClock clock)
    {
        var windows = new List<(long Bytes, int Polls)>();
        for (int window = 0; window < Windows; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            int polls = PollFor(client, clock, 60_000);
            windows.Add((GC.GetAllocatedBytesForCurrentThread() - before, polls));
        }

        return windows;
    }

    private static int PollFor(NanoMqttClient client, VirtualClock clock, long milliseconds)
    {
        int polls = 0;
        for (long t = 0; t < milliseconds; t += PollStep)
        {
            client.Poll();
            clock.Advance(PollStep);
            polls++;
        }

        return polls;
    }

    private static string Describe(List<(long Bytes, int Polls)> windows) =>
        string.Join("; ", windows.Select(w => $"{w.Bytes} bytes over {w.Polls} polls ({(double)w.Bytes / w.Polls:0.##} per poll)"));
}
