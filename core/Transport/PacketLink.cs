using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Transport;

/// <summary>
/// Packets over one open link: a reader task that decodes packets as they arrive and a writer task that encodes
/// queued packets and flushes. Neither ever runs on the caller's thread, so a slow or dead socket blocks nobody:
/// the connection loop only queues packets and hears back through <see cref="ILinkEvents"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The token source is disposed by Close, which the owner always calls.")]
internal sealed class PacketLink
{
    private readonly IMqttLink _link;
    private readonly ILinkEvents _events;
    private readonly int _maximumPacketSize;
    private readonly MqttProtocolVersion _version;
    private readonly InboundTopicAliases? _aliases; // MQTT 5: the broker's Topic Aliases on this link (reader task only)
    private readonly OutboundTopicAliases? _outboundAliases; // MQTT 5, when asked: ours on this link (writer task, after CONNACK)
    private readonly Channel<(MqttPacket Packet, object? Token)> _outbox = Channel.CreateUnbounded<(MqttPacket, object?)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private TaskCompletionSource? _paused; // set while the owner says not to read
    private int _closed;
    private OversizedPublishPacket? _skipping; // an oversized PUBLISH whose body is being discarded (reader task only)
    private int _skipRemaining; // how much of that body is still to come

    public PacketLink(IMqttLink link, int generation, int maximumPacketSize, ILinkEvents events, MqttProtocolVersion version = MqttProtocolVersion.V311, int topicAliasMaximum = 0, bool automaticTopicAliases = false)
    {
        _version = version;
        _aliases = version == MqttProtocolVersion.V500 ? new InboundTopicAliases(topicAliasMaximum) : null;
        _outboundAliases = version == MqttProtocolVersion.V500 && automaticTopicAliases ? new OutboundTopicAliases() : null;
        _link = link;
        Generation = generation;
        _maximumPacketSize = maximumPacketSize;
        _events = events;
    }

    public int Generation { get; }

    /// <summary>Starts the reader and writer on <paramref name="scheduler"/>.</summary>
    public void Start(TaskScheduler scheduler)
    {
        Run(scheduler, ReadLoopAsync);
        Run(scheduler, WriteLoopAsync);
    }

    /// <summary>Queues a packet; never blocks. With a <paramref name="token"/>, <see cref="ILinkEvents.Flushed"/> hands it back once written.</summary>
    public void Send(MqttPacket packet, object? token = null) => _outbox.Writer.TryWrite((packet, token));

    /// <summary>
    /// Pauses or resumes reading: while paused the reader decodes nothing more and reads no more bytes, so TCP holds the
    /// broker back. Packets already decoded when the pause is set still arrive.
    /// </summary>
    public void SetReading(bool reading)
    {
        lock (_gate)
        {
            if (reading)
            {
                _paused?.TrySetResult();
                _paused = null;
            }
            else
            {
                _paused ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private Task WhenReading()
    {
        lock (_gate)
        {
            return _paused?.Task ?? Task.CompletedTask;
        }
    }

    /// <summary>Stops both tasks and closes the socket, in the background.</summary>
    public void Close(TaskScheduler scheduler)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _outbox.Writer.TryComplete();
        _stop.Cancel();
        SetReading(true); // a read loop paused for the application wakes, and finds the link closed
        Run(scheduler, async () =>
        {
            try
            {
                await _link.DisposeAsync();
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                // Closing a broken socket may complain; it is closed either way.
            }
            finally
            {
                _stop.Dispose();
            }
        });
    }

    private static void Run(TaskScheduler scheduler, Func<Task> body) =>
        _ = Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler).Unwrap();

    private bool IsClosed => Volatile.Read(ref _closed) != 0;

    private async Task ReadLoopAsync()
    {
        PipeReader input = _link.Input;
        try
        {
            while (true)
            {
                // Awaited as it is, not through WaitAsync: WaitAsync's continuation runs on the thread pool, outside the loop's
                // scheduler, so a resumed read would come at a time the deterministic simulation cannot place. Close ends the wait.
                await WhenReading();
                ReadResult result;
                try
                {
                    result = await input.ReadAsync(_stop.Token);
                }
                catch (SocketException e) when (SocketErrorTable.Classify((int)e.SocketErrorCode) == ConnectionTrigger.SocketPending)
                {
                    _events.Pending(Generation);
                    continue;
                }

                ReadOnlySequence<byte> buffer = result.Buffer;
                bool paused = false;
                bool completed = false;
                while (!IsClosed)
                {
                    MqttPacket? packet;
                    if (_skipping is { } oversized)
                    {
                        // The body of a PUBLISH too large to take is dropped as it comes (consumed below, so the pipe
                        // frees it); the packet is reported once its last byte is in, as every packet is.
                        MqttPacketReader.Skip(ref buffer, ref _skipRemaining);
                        if (_skipRemaining > 0)
                        {
                            break;
                        }

                        _skipping = null;
                        packet = oversized;
                    }
                    else
                    {
                        if (!WhenReading().IsCompleted)
                        {
                            paused = true;
                            break;
                        }

                        if (!MqttPacketReader.TryRead(ref buffer, _maximumPacketSize, _version, out packet))
                        {
                            break;
                        }

                        if (packet is PublishPacket publish && _aliases is not null)
                        {
                            packet = _aliases.Resolve(publish);
                        }
                        else if (packet is ConnAckPacket connAck)
                        {
                            _outboundAliases?.OnConnAck(connAck);
                        }

                        if (packet is OversizedPublishPacket { BodyToSkip: > 0 } started)
                        {
                            _skipping = started;
                            _skipRemaining = started.BodyToSkip;
                            continue;
                        }
                    }

                    completed = true;
                    ValueTask taken = _events.PacketArrivedAsync(Generation, packet!, _stop.Token);
                    if (!taken.IsCompletedSuccessfully)
                    {
                        await taken;
                    }
                }

                // Paused with bytes left: mark nothing examined, so the next read returns them at once.
                if (paused)
                {
                    input.AdvanceTo(buffer.Start);
                }
                else
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (IsClosed)
                {
                    return;
                }

                if (!completed && !paused && !result.Buffer.IsEmpty)
                {
                    // Only part of a packet so far (a large one on a slow link): tell keepalive the link is not silent.
                    _events.PartReceived(Generation);
                }

                if ((result.IsCompleted || result.IsCanceled) && !paused)
                {
                    _events.Failed(Generation, new EndOfStreamException(_skipping is { } cut
                        ? $"The broker closed the connection in the middle of an oversized PUBLISH to \"{cut.Topic}\" ({_skipRemaining} of its {cut.PacketSize} bytes never came)."
                        : buffer.IsEmpty
                        ? "The broker closed the connection."
                        : $"The broker closed the connection in the middle of a packet ({buffer.Length} bytes unread)."));
                    return;
                }
            }
        }
        catch (Exception e) when (!IsClosed)
        {
            _events.Failed(Generation, e);
        }
        catch (Exception)
        {
            // Closed by us: whatever the socket said on the way down does not matter.
        }
        finally
        {
            // Only the reader's owner may complete it, once no read is pending: that returns its buffers.
            await CompleteQuietlyAsync(() => input.CompleteAsync());
        }
    }

    private static async Task CompleteQuietlyAsync(Func<ValueTask> complete)
    {
        try
        {
            await complete();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The stream is gone already.
        }
    }

    private async Task WriteLoopAsync()
    {
        PipeWriter output = _link.Output;
        var flushed = new List<object>();
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(_stop.Token))
            {
                while (_outbox.Reader.TryRead(out var item))
                {
                    MqttPacket outgoing = item.Packet is PublishPacket publish && _outboundAliases is not null ? _outboundAliases.Apply(publish) : item.Packet;
                    MqttPacketWriter.Write(outgoing, output, _version);
                    if (item.Token is { } token)
                    {
                        flushed.Add(token);
                    }
                }

                while (true)
                {
                    try
                    {
                        FlushResult result = await output.FlushAsync(_stop.Token);
                        if (result.IsCompleted && !IsClosed)
                        {
                            _events.Failed(Generation, new EndOfStreamException("The broker stopped reading: the connection is closed."));
                            return;
                        }

                        break;
                    }
                    catch (SocketException e) when (SocketErrorTable.Classify((int)e.SocketErrorCode) == ConnectionTrigger.SocketPending)
                    {
                        _events.Pending(Generation);
                    }
                }

                foreach (object token in flushed)
                {
                    _events.Flushed(Generation, token);
                }

                flushed.Clear();
            }
        }
        catch (Exception e) when (!IsClosed)
        {
            _events.Failed(Generation, e);
        }
        catch (Exception)
        {
            // Closed by us.
        }
        finally
        {
            await CompleteQuietlyAsync(() => output.CompleteAsync());
        }
    }
}
