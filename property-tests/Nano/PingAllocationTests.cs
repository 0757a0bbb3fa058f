using StateMachineMqtt.Nano.Client;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// "No allocation per ping": once connected, polling an idle link — EWOULDBLOCK on every read, the engine's keepalive
/// deadline reached, PINGREQ out, PINGRESP in — allocates nothing, in the driver or in the shared engine (its actions and
/// events are structs in rings). The socket here is allocation-free itself (static byte arrays), so any byte counted is
/// the client's.
/// </summary>
public sealed class PingAllocationTests
{
    [Fact]
    public void Keepalive_traffic_on_an_idle_link_allocates_nothing()
    {
        var clock = new VirtualClock();
        var socket = new PingOnlySocket();
        var options = new NanoMqttOptions { Host = "broker.test", Connect = new NanoConnectOptions { ClientId = "esp32", KeepAliveSeconds = 4 } };
        var client = new NanoMqttClient(options, socket, clock, new RecordingEvents(clock));
        client.Connect();
        PollFor(client, clock, 5_000); // connect, and a first ping cycle to warm every path up
        Assert.True(client.IsConnected);
        int pingsBefore = socket.Pings;

        // Three windows of a minute each: an allocation in the steady state shows in every one of them, while the runtime's
        // own one-off work on this thread (tiered JIT catching up on a loaded machine) shows in one at most.
        var windows = new List<(long Bytes, int Polls)>();
        for (int window = 0; window < 3; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            int polls = PollFor(client, clock, 60_000);
            windows.Add((GC.GetAllocatedBytesForCurrentThread() - before, polls));
        }

        Assert.True(socket.Pings - pingsBefore >= 150, $"expected a ping every second, saw {socket.Pings - pingsBefore}");
        Assert.True(client.IsConnected);
        Assert.True(windows.Min(w => w.Bytes) == 0, "every window allocated: " + string.Join("; ", windows.Select(w => $"{w.Bytes} bytes over {w.Polls} polls ({(double)w.Bytes / w.Polls:0.##} per poll)")));
    }

    private static int PollFor(NanoMqttClient client, VirtualClock clock, long milliseconds)
    {
        int polls = 0;
        for (long t = 0; t < milliseconds; t += 20)
        {
            client.Poll();
            clock.Advance(20);
            polls++;
        }

        return polls;
    }

    /// <summary>Answers CONNECT with CONNACK and PINGREQ with PINGRESP from static arrays; otherwise EWOULDBLOCK.</summary>
    private sealed class PingOnlySocket : INanoSocket
    {
        private static readonly byte[] ConnAck = [0x20, 0x02, 0x00, 0x00];
        private byte[]? _reply;

        public int Pings { get; private set; }

        public int Connect(string host, int port) => 0;

        public int Poll() => 0;

        public int Send(byte[] buffer, int offset, int count, out int sent)
        {
            sent = count;
            if (buffer[offset] == 0x10)
            {
                _reply = ConnAck;
            }
            else if (buffer[offset] == 0xC0)
            {
                Pings++;
                _reply = NanoPacketWriter.PingResp;
            }

            return 0;
        }

        public int Receive(byte[] buffer, int offset, int count, out int received)
        {
            received = 0;
            if (_reply is null)
            {
                return (int)SocketErrorCode.WouldBlock;
            }

            Array.Copy(_reply, 0, buffer, offset, _reply.Length);
            received = _reply.Length;
            _reply = null;
            return 0;
        }

        public void Close()
        {
        }
    }
}
