using StateMachineMqtt.Nano.Client;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>A device client wired to the fake socket, fake broker and virtual clock, with a poll loop on virtual time.</summary>
internal sealed class NanoClientHarness : IDisposable
{
    /// <summary>Polls are this far apart in virtual time.</summary>
    public const int PollStep = 50;

    /// <summary>Creates the client with test-friendly settings (keepalive 60 s, response time 5 s, backoff 1-8 s, 2 re-publishes).</summary>
    public NanoClientHarness(bool cleanSession = true, int keepAliveSeconds = 60, int queueLength = 8, MqttProtocolVersion version = MqttProtocolVersion.V311, Action<NanoMqttOptions>? configure = null)
    {
        Clock = new VirtualClock();
        Broker = new FakeNanoBroker(version);
        Socket = new FakeNanoSocket(Broker);
        Events = new RecordingEvents(Clock);
        Options = new NanoMqttOptions
        {
            Host = "broker.test",
            Connect = new NanoConnectOptions { ClientId = "esp32", CleanSession = cleanSession, KeepAliveSeconds = keepAliveSeconds },
            ResponseTimeMilliseconds = 5000,
            MaxRepublishes = 2,
            BackoffInitialMilliseconds = 1000,
            BackoffMaxMilliseconds = 8000,
            QueueLength = queueLength,
            RandomSeed = 1, // the backoff jitter replays
            ProtocolVersion = version,
        };
        configure?.Invoke(Options);
        Client = new NanoMqttClient(Options, Socket, Clock, Events);
    }

    /// <summary>Virtual time.</summary>
    public VirtualClock Clock { get; }

    /// <summary>The broker end.</summary>
    public FakeNanoBroker Broker { get; }

    /// <summary>The socket.</summary>
    public FakeNanoSocket Socket { get; }

    /// <summary>Recorded callbacks.</summary>
    public RecordingEvents Events { get; }

    /// <summary>The client's options.</summary>
    public NanoMqttOptions Options { get; }

    /// <summary>The client under test.</summary>
    public NanoMqttClient Client { get; }

    /// <summary>Polls every <see cref="PollStep"/> ms for <paramref name="milliseconds"/> of virtual time.</summary>
    public void RunFor(long milliseconds)
    {
        for (long t = 0; t < milliseconds; t += PollStep)
        {
            Client.Poll();
            Clock.Advance(PollStep);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing after <paramref name="limitMilliseconds"/> of virtual time.</summary>
    public long RunUntil(Func<bool> condition, long limitMilliseconds = 120_000)
    {
        long start = Clock.NowMilliseconds;
        while (!condition())
        {
            Assert.True(Clock.NowMilliseconds - start <= limitMilliseconds, $"not reached within {limitMilliseconds} ms of virtual time; client is {Client.State}, last error: {Client.LastError}");
            Client.Poll();
            Clock.Advance(PollStep);
        }

        return Clock.NowMilliseconds - start;
    }

    /// <summary>Connects and polls until CONNACK has been handled.</summary>
    public void ConnectAndWait()
    {
        Client.Connect();
        RunUntil(() => Client.IsConnected);
    }

    /// <inheritdoc />
    public void Dispose() => Client.Dispose();
}
