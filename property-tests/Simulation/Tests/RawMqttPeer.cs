using System.Buffers;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Spec;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Simulation.Network;
using StateMachineMqtt.Transport;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Simulation.Tests;

/// <summary>A hand-driven MQTT client for fixture tests: sends exactly the packets a test writes and collects what arrives.</summary>
internal sealed class RawMqttPeer
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);
    private readonly SimulationWorld _world;
    private readonly IMqttLink _link;
    private int _taken;

    private RawMqttPeer(SimulationWorld world, IMqttLink link, SimulatedLink simulatedLink)
    {
        _world = world;
        _link = link;
        Link = simulatedLink;
    }

    public SimulatedLink Link { get; }

    public List<MqttPacket> Received { get; } = [];

    public bool EndOfStream { get; private set; }

    public Exception? ReadError { get; private set; }

    /// <summary>The version it writes and reads in (set before its CONNECT).</summary>
    public MqttProtocolVersion Version { get; set; } = MqttProtocolVersion.V311;

    public static RawMqttPeer Open(SimulationWorld world, string name = "raw")
    {
        SimulatedTransport transport = world.Network.CreateTransport(name);
        IMqttLink link = world.Await(world.Start(() => transport.ConnectAsync(CancellationToken.None).AsTask()), ConnectTimeout);
        var peer = new RawMqttPeer(world, link, world.Network.LastLink!);
        _ = world.Start(peer.ReadLoopAsync);
        world.RunUntilIdle();
        return peer;
    }

    /// <summary>Opens a link and completes the CONNECT/CONNACK exchange, returning the CONNACK.</summary>
    public static (RawMqttPeer Peer, ConnAckPacket ConnAck) Connect(SimulationWorld world, string clientId, bool cleanSession = true, MqttProtocolVersion version = MqttProtocolVersion.V311)
    {
        RawMqttPeer peer = Open(world, clientId);
        peer.Version = version;
        peer.Send(new ConnectPacket(clientId, cleanSession, KeepAliveSeconds: 60));
        return (peer, peer.Expect<ConnAckPacket>());
    }

    /// <summary>Writes and flushes <paramref name="packet"/> as a scheduler step, then lets the world settle.</summary>
    /// <summary>Writes several packets in one flush, before the broker can answer any of them.</summary>
    public void SendTogether(params MqttPacket[] packets)
    {
        _world.Scheduler.RunOnScheduler(() =>
        {
            foreach (MqttPacket packet in packets)
            {
                MqttPacketWriter.Write(packet, _link.Output, Version);
            }

            _link.Output.FlushAsync().AsTask().GetAwaiter().GetResult();
        });
        _world.RunUntilIdle();
    }

    public void Send(MqttPacket packet)
    {
        _world.Scheduler.RunOnScheduler(() =>
        {
            MqttPacketWriter.Write(packet, _link.Output, Version);
            _link.Output.FlushAsync().AsTask().GetAwaiter().GetResult();
        });
        _world.RunUntilIdle();
    }

    /// <summary>Writes raw bytes (e.g. a malformed packet) as a scheduler step, then lets the world settle.</summary>
    public void SendBytes(byte[] bytes)
    {
        _world.Scheduler.RunOnScheduler(() => _link.Output.WriteAsync(bytes).AsTask().GetAwaiter().GetResult());
        _world.RunUntilIdle();
    }

    /// <summary>The next packet not yet taken, which must be a <typeparamref name="T"/>.</summary>
    public T Expect<T>()
        where T : MqttPacket
    {
        _world.RunUntilIdle();
        Assert.True(_taken < Received.Count, $"expected a {typeof(T).Name} but nothing more arrived.{Environment.NewLine}{_world.Describe()}");
        MqttPacket next = Received[_taken++];
        return Assert.IsType<T>(next);
    }

    /// <summary>Asserts nothing more arrived.</summary>
    public void ExpectNothing()
    {
        _world.RunUntilIdle();
        Assert.True(_taken == Received.Count, $"expected nothing more, got {string.Join(", ", Received.Skip(_taken))}");
    }

    public ValueTask DisposeAsync() => _link.DisposeAsync();

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var result = await _link.Input.ReadAsync();
                ReadOnlySequence<byte> buffer = result.Buffer;
                while (MqttPacketReader.TryRead(ref buffer, int.MaxValue, Version, out MqttPacket? packet))
                {
                    Received.Add(packet);
                }

                _link.Input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    EndOfStream = true;
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or MqttProtocolException)
        {
            ReadError = ex;
        }
    }
}
