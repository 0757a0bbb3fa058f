using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using StateMachineMqtt.TestKit.Proxy;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.PropertyTests.Chaos;

/// <summary>
/// Just enough of a broker for the proxy tests, on a loopback port: CONNECT gets CONNACK, QoS 1 PUBLISH gets PUBACK,
/// PINGREQ gets PINGRESP. Records every frame it receives and how each connection ended.
/// </summary>
internal sealed class FakeBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _sessions = [];
    private readonly Task _accept;

    private FakeBroker()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accept = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Every frame received, in order, across connections.</summary>
    public Channel<MqttFrame> Received { get; } = Channel.CreateUnbounded<MqttFrame>();

    /// <summary>How each connection ended: "eof" or "reset".</summary>
    public Channel<string> Ended { get; } = Channel.CreateUnbounded<string>();

    /// <summary>Server-side sockets, as accepted.</summary>
    public Channel<FrameSocket> Accepted { get; } = Channel.CreateUnbounded<FrameSocket>();

    public static FakeBroker Start() => new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll(sessions);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_sessions)
            {
                _sessions.Add(ServeAsync(new FrameSocket(socket)));
            }
        }
    }

    private async Task ServeAsync(FrameSocket connection)
    {
        using var _ = connection;
        Accepted.Writer.TryWrite(connection);
        try
        {
            while (await connection.ReadFrameAsync(_stop.Token) is { } frame)
            {
                Received.Writer.TryWrite(frame);
                byte[]? reply = frame.Type switch
                {
                    MqttPacketType.Connect => Packets.ConnAck,
                    MqttPacketType.PingReq => Packets.PingResp,
                    MqttPacketType.Publish when frame.PacketIdentifier is { } id => Packets.PubAck(id),
                    _ => null,
                };
                if (reply is not null)
                {
                    await connection.SendAsync(reply, _stop.Token);
                }
            }

            Ended.Writer.TryWrite("eof");
        }
        catch (OperationCanceledException)
        {
            // test over
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Ended.Writer.TryWrite("reset");
        }
    }
}
