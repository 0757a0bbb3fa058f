using System.IO.Pipelines;
using System.Net.Http;
using System.Net.WebSockets;

namespace StateMachineMqtt.Transport;

/// <summary>
/// An open WebSocket seen as a pair of pipes: each flush of the output goes as one binary message, and the input reads
/// the binary messages as one stream (MQTT packets may span messages, or share one). Disposing closes it at once, so a
/// pending read ends (end of stream or WebSocketException, which the classifier maps to LinkLost).
/// </summary>
internal sealed class WebSocketLink : IMqttLink
{
    private static readonly TimeSpan CloseBound = TimeSpan.FromSeconds(1);

    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker _invoker;
    private readonly Stream _stream;
    private int _disposed;

    public WebSocketLink(ClientWebSocket socket, HttpMessageInvoker invoker)
    {
        _socket = socket;
        _invoker = invoker;
        _stream = WebSocketStream.Create(socket, WebSocketMessageType.Binary, ownsWebSocket: false);
        // leaveOpen: the link, not the pipes, decides when the socket closes.
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    /// <inheritdoc />
    public PipeReader Input { get; }

    /// <inheritdoc />
    public PipeWriter Output { get; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // A close frame after what was written (a DISCONNECT, say), bounded: a dead peer must not hold the driver.
        using (var bound = new CancellationTokenSource(CloseBound))
        {
            try
            {
                if (_socket.State == WebSocketState.Open)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, bound.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // Already broken: nothing left to send.
            }
        }

        _socket.Abort(); // wakes a pending read
        _socket.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
        _invoker.Dispose();
    }
}
