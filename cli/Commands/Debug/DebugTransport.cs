using System.Buffers;
using System.IO.Pipelines;
using StateMachineMqtt.TestKit.Proxy;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt.Cli.Commands.Debug;

/// <summary>
/// <c>-d</c>: wraps every transport the client dials (each listed server, or a followed Server Reference) so that every
/// whole packet crossing its links is printed, as mosquitto's -d does ("smqtt: Client ID sending CONNECT ..."). Core has
/// no packet observer on its public surface, so the CLI watches the byte stream instead, framing it with <see cref="MqttFrame"/>.
/// </summary>
/// <param name="clientId">The client identifier to name in each line.</param>
/// <param name="stderr">Where the lines go (written under a lock: both directions print).</param>
internal sealed class DebugTransport(string clientId, TextWriter stderr)
{
    private static readonly TimeSpan DrainBound = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private readonly List<DebugLink> _links = [];

    /// <summary>The transport <paramref name="inner"/>, with its links watched.</summary>
    public IMqttTransport Wrap(IMqttTransport inner) => new WatchedTransport(this, inner);

    /// <summary>
    /// Waits, within a bound, until what the client wrote on each link has been printed and carried on. The client's
    /// DisposeAsync returns once it has let go of its link, which may be before the copy printed the last packet (its
    /// DISCONNECT); the process must not exit before that line.
    /// </summary>
    public async Task DrainAsync()
    {
        Task[] copies;
        lock (_gate)
        {
            copies = [.. _links.Select(l => l.OutputCopied)];
        }

        // The copies never fault (PumpAsync hands failures on instead); a stalled socket only costs the bound.
        await Task.WhenAny(Task.WhenAll(copies), Task.Delay(DrainBound)).ConfigureAwait(false);
    }

    private async ValueTask<IMqttLink> ConnectAsync(IMqttTransport inner, CancellationToken cancellationToken)
    {
        IMqttLink link = await inner.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var watched = new DebugLink(link, frame => Print("received", frame), frame => Print("sending", frame));
        lock (_gate)
        {
            _links.RemoveAll(l => l.OutputCopied.IsCompleted);
            _links.Add(watched);
        }

        return watched;
    }

    private sealed class WatchedTransport(DebugTransport owner, IMqttTransport inner) : IMqttTransport
    {
        public ValueTask<IMqttLink> ConnectAsync(CancellationToken cancellationToken) => owner.ConnectAsync(inner, cancellationToken);
    }

    private void Print(string direction, MqttFrame frame)
    {
        string line = $"smqtt: Client {clientId} {direction} {PacketDescriber.Describe(frame)}";
        lock (_gate)
        {
            stderr.WriteLine(line);
            stderr.Flush();
        }
    }

    /// <summary>Copies both directions through pipes of its own, watching the bytes on the way.</summary>
    private sealed class DebugLink : IMqttLink
    {
        private readonly IMqttLink _inner;
        private readonly Pipe _input = new();
        private readonly Pipe _output = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _inputPump;
        private readonly Task _outputPump;

        public DebugLink(IMqttLink inner, Action<MqttFrame> received, Action<MqttFrame> sent)
        {
            _inner = inner;
            _inputPump = PumpAsync(inner.Input, _input.Writer, new FrameWatcher(received), _stop.Token);
            _outputPump = PumpAsync(_output.Reader, inner.Output, new FrameWatcher(sent), _stop.Token);
        }

        /// <summary>Completes once the client's side of the output has ended and all of it was printed and carried on.</summary>
        public Task OutputCopied => _outputPump;

        public PipeReader Input => _input.Reader;

        public PipeWriter Output => _output.Writer;

        public async ValueTask DisposeAsync()
        {
            // What the client wrote last (its DISCONNECT) may still be in our pipe: let the output pump carry it to the real
            // link and print it before that link closes, within a bound, so a stalled socket cannot hold the exit up.
            try
            {
                await _output.Writer.CompleteAsync().ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // The client's writer is still on it: nothing more is coming that could be carried.
            }

            _stop.CancelAfter(DrainBound);
            await Task.WhenAny(_outputPump).ConfigureAwait(false);
            await _stop.CancelAsync().ConfigureAwait(false);
            await _inner.DisposeAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(_inputPump, _outputPump).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                // The link is closed either way.
            }

            _stop.Dispose();
        }

        private static async Task PumpAsync(PipeReader from, PipeWriter to, FrameWatcher watcher, CancellationToken cancellationToken)
        {
            await Task.Yield(); // start the copy off the caller's stack
            try
            {
                while (true)
                {
                    ReadResult read = await from.ReadAsync(cancellationToken).ConfigureAwait(false);
                    foreach (ReadOnlyMemory<byte> segment in read.Buffer)
                    {
                        watcher.Feed(segment.Span);
                        to.Write(segment.Span);
                    }

                    from.AdvanceTo(read.Buffer.End);
                    FlushResult flushed = await to.FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (read.IsCompleted || flushed.IsCompleted)
                    {
                        break;
                    }
                }

                await to.CompleteAsync().ConfigureAwait(false);
                await from.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Hand the failure on as it is (a SocketException stays one), so the client classifies it as without -d.
                await to.CompleteAsync(e).ConfigureAwait(false);
                await from.CompleteAsync(e).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Collects bytes until a whole packet is in, then reports it; stops watching (not copying) at malformed bytes.</summary>
    private sealed class FrameWatcher(Action<MqttFrame> seen)
    {
        /// <summary>MQTT's largest packet: 256 MB body plus a five-byte fixed header.</summary>
        private const int MaximumPacket = 268_435_455 + 5;

        private readonly ArrayBufferWriter<byte> _pending = new();
        private bool _lost;

        public void Feed(ReadOnlySpan<byte> bytes)
        {
            if (_lost)
            {
                return;
            }

            _pending.Write(bytes);
            var buffer = new ReadOnlySequence<byte>(_pending.WrittenMemory);
            while (true)
            {
                var status = MqttFrame.TryRead(ref buffer, MaximumPacket, out MqttFrame? frame);
                if (status == MqttFrame.ReadStatus.Complete)
                {
                    seen(frame!);
                    continue;
                }

                _lost = status == MqttFrame.ReadStatus.Malformed;
                break;
            }

            byte[] rest = buffer.ToArray();
            _pending.Clear();
            _pending.Write(rest);
        }
    }
}
