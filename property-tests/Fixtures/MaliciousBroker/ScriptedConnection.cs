using System.Buffers.Binary;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.PropertyTests.Chaos;
using StateMachineMqtt.TestKit.Proxy;

namespace StateMachineMqtt.PropertyTests.Fixtures.MaliciousBroker;

/// <summary>
/// One accepted connection of the <see cref="MaliciousBroker"/>: read whole frames, send any bytes (well-formed or not),
/// and tell how the connection ended. Records every frame the client sent on it.
/// </summary>
internal sealed class ScriptedConnection : IDisposable
{
    private readonly FrameSocket _socket;
    private readonly List<MqttFrame> _received = [];
    private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _closedByBroker;

    public ScriptedConnection(FrameSocket socket, int number)
    {
        _socket = socket;
        Number = number;
    }

    /// <summary>1 for the first connection the broker accepted.</summary>
    public int Number { get; }

    /// <summary>How the connection ended: "client closed", "client reset", "script finished", or an error.</summary>
    public Task<string> Ended => _ended.Task;

    /// <summary>Every frame the client sent on this connection, in order.</summary>
    public IReadOnlyList<MqttFrame> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Sends <paramref name="bytes"/> as they are.</summary>
    public Task SendAsync(byte[] bytes, CancellationToken cancellationToken) => _socket.SendAsync(bytes, cancellationToken);

    /// <summary>Reads frames until one of <paramref name="type"/> comes (answering PINGREQ meanwhile); throws at end of stream.</summary>
    public async Task<MqttFrame> ExpectAsync(MqttPacketType type, CancellationToken cancellationToken)
    {
        while (true)
        {
            MqttFrame frame = await ReadAsync(cancellationToken)
                ?? throw new InvalidOperationException($"connection {Number}: the client closed it while the script waited for {type}");
            if (frame.Type == type)
            {
                return frame;
            }

            if (frame.Type == MqttPacketType.PingReq)
            {
                await SendAsync(HostilePackets.PingResp, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Reads, answering nothing, until the client closes the connection: the end of a hostile script, which the client
    /// must answer by closing the link. Records "client closed" (FIN) or "client reset".
    /// </summary>
    public async Task AwaitClientCloseAsync(CancellationToken cancellationToken)
    {
        if (_closedByBroker)
        {
            End("broker closed");
            return;
        }

        try
        {
            while (await ReadAsync(cancellationToken) is not null)
            {
            }

            End("client closed");
        }
        catch (System.Net.Sockets.SocketException)
        {
            End("client reset");
        }
    }

    /// <summary>
    /// Behaves as a broker should until the client closes: CONNACK (session present from the second connection on, so
    /// held messages are re-sent as they would be to a real persistent session), PUBACK for QoS 1, PUBREC/PUBCOMP for
    /// QoS 2, a SUBACK granting each filter, UNSUBACK, PINGRESP.
    /// </summary>
    public async Task ServeWellAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await ReadAsync(cancellationToken) is { } frame)
            {
                await AnswerWellAsync(frame, cancellationToken);
                if (frame.Type == MqttPacketType.Disconnect)
                {
                    break;
                }
            }

            End("client closed");
        }
        catch (System.Net.Sockets.SocketException)
        {
            End("client reset");
        }
    }

    /// <summary>What a well-behaved broker sends for <paramref name="frame"/>; nothing for packets that need no answer.</summary>
    public Task AnswerWellAsync(MqttFrame frame, CancellationToken cancellationToken)
    {
        byte[]? reply = frame.Type switch
        {
            MqttPacketType.Connect => HostilePackets.ConnAck(sessionPresent: Number > 1),
            MqttPacketType.Publish when frame.PublishQos == 1 => HostilePackets.PubAck(frame.PacketIdentifier!.Value),
            MqttPacketType.Publish when frame.PublishQos == 2 => HostilePackets.IdOnly(0x50, frame.PacketIdentifier!.Value),
            MqttPacketType.PubRel => HostilePackets.IdOnly(0x70, frame.PacketIdentifier!.Value),
            MqttPacketType.Subscribe => HostilePackets.SubAck(frame.PacketIdentifier!.Value, FilterCount(frame)),
            MqttPacketType.Unsubscribe => HostilePackets.IdOnly(0xB0, frame.PacketIdentifier!.Value),
            MqttPacketType.PingReq => HostilePackets.PingResp,
            _ => null,
        };
        return reply is null ? Task.CompletedTask : SendAsync(reply, cancellationToken);
    }

    /// <summary>Closes the connection from the broker's side (FIN, or a reset when bytes are unread).</summary>
    public void Close()
    {
        _closedByBroker = true;
        _socket.Dispose();
    }

    public void Dispose() => _socket.Dispose();

    internal void ScriptFinished() => End("script finished");

    internal void End(string how) => _ended.TrySetResult(how);

    private async Task<MqttFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        MqttFrame? frame = await _socket.ReadFrameAsync(cancellationToken);
        if (frame is not null)
        {
            lock (_received)
            {
                _received.Add(frame);
            }
        }

        return frame;
    }

    // A 3.1.1 SUBSCRIBE body: packet identifier, then (length, filter, requested QoS) per filter.
    private static int FilterCount(MqttFrame frame)
    {
        ReadOnlySpan<byte> body = frame.Bytes.AsSpan(frame.HeaderLength + 2);
        int count = 0;
        while (body.Length >= 3)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(body);
            body = body[Math.Min(body.Length, 2 + length + 1)..];
            count++;
        }

        return count;
    }
}
