using System.IO.Pipelines;
using System.Net.Sockets;

namespace StateMachineMqtt.Transport;

/// <summary>
/// An open socket seen as a pair of pipes over its stream (plain NetworkStream or SslStream).
/// Disposing shuts the socket down first, so a read or flush pending on another thread ends at once
/// (end of stream, or ObjectDisposedException / IOException, which the classifier maps to LinkLost).
/// </summary>
internal sealed class StreamLink : IMqttLink
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private int _disposed;

    /// <summary>Wraps an open socket and the stream over it; the link owns both.</summary>
    public StreamLink(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
        // leaveOpen: the link, not the pipes, decides when the stream closes.
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    /// <summary>
    /// TLS: the server asked for a client certificate and none was presented. A TLS 1.3 server refuses that only after the
    /// handshake, and the reset its refusal causes can overtake the alert, so the driver learns it here.
    /// </summary>
    public bool CertificateRequestUnanswered { get; init; }

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

        // Shutdown first: it sends what is still buffered (a DISCONNECT, say) followed by FIN, and wakes a
        // pending read with end of stream. Disposing with a read pending would reset the connection instead.
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset or never connected: nothing left to send.
        }

        _socket.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
        // The pipes are not completed here: completing a PipeReader while its owner's ReadAsync is in
        // flight is unsafe. Their pooled buffers go back when the owner completes them (or to the GC).
    }
}
