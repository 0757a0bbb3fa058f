using System.Buffers;
using System.Net.Sockets;
using StateMachineMqtt.TestKit.Proxy;

namespace StateMachineMqtt.PropertyTests.Chaos;

/// <summary>A socket read and written in whole MQTT frames: both the fake broker's and the raw test client's end.</summary>
internal sealed class FrameSocket : IDisposable
{
    private readonly byte[] _chunk = new byte[4096];
    private readonly List<byte> _pending = [];

    public FrameSocket(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    public static async Task<FrameSocket> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", port, cancellationToken);
        return new FrameSocket(socket);
    }

    public Task SendAsync(byte[] bytes, CancellationToken cancellationToken) => Socket.SendAsync(bytes, SocketFlags.None, cancellationToken).AsTask();

    /// <summary>The next frame; null at end of stream. A reset throws SocketException.</summary>
    public async Task<MqttFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var buffer = new ReadOnlySequence<byte>(_pending.ToArray());
            if (MqttFrame.TryRead(ref buffer, 1 << 20, out var frame) == MqttFrame.ReadStatus.Complete)
            {
                _pending.RemoveRange(0, frame!.Bytes.Length);
                return frame;
            }

            int n = await Socket.ReceiveAsync(_chunk, SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                return null;
            }

            _pending.AddRange(_chunk.AsSpan(0, n));
        }
    }

    public void Dispose() => Socket.Dispose();
}
