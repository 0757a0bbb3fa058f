using System.Buffers;
using System.IO.Pipelines;

namespace StateMachineMqtt.Benchmarks.InMemory;

/// <summary>
/// The far end of an in-memory link: answers CONNECT with CONNACK (accepted), QoS 1 PUBLISH with PUBACK, SUBSCRIBE with
/// SUBACK (granting what was asked), PINGREQ with PINGRESP, and ignores the rest. It reads only the fixed header and the
/// packet identifier and writes fixed bytes, so it allocates nothing per packet: MemoryDiagnoser counts every thread's
/// allocations, and the client's must be all it sees.
/// </summary>
public sealed class ScriptedBroker : IAsyncDisposable
{
    private readonly PipeReader _fromClient;
    private readonly PipeWriter _toClient;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Task _loop;

    internal ScriptedBroker(PipeReader fromClient, PipeWriter toClient)
    {
        _fromClient = fromClient;
        _toClient = toClient;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>PUBLISH packets received from the client.</summary>
    public long PublishesReceived { get; private set; }

    /// <summary>Writes bytes to the client as if the broker sent them (e.g. an encoded PUBLISH, for the receive path).</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _toClient.WriteAsync(bytes).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _toClient.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The client completed its side first; nothing is left to answer.
        }

        _writeLock.Dispose();
    }

    private async Task RunAsync()
    {
        byte[] reply = new byte[5];
        while (true)
        {
            ReadResult result = await _fromClient.ReadAsync().ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            while (TryTakePacket(ref buffer, reply, out int replyLength))
            {
                if (replyLength > 0)
                {
                    await SendAsync(reply.AsMemory(0, replyLength)).ConfigureAwait(false);
                }
            }

            _fromClient.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                await _fromClient.CompleteAsync().ConfigureAwait(false);
                return;
            }
        }
    }

    /// <summary>Takes one whole packet off <paramref name="buffer"/> and writes the answer, if any, into <paramref name="reply"/>.</summary>
    private bool TryTakePacket(ref ReadOnlySequence<byte> buffer, byte[] reply, out int replyLength)
    {
        replyLength = 0;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out byte first) || !TryReadRemainingLength(ref reader, out int remaining) || reader.Remaining < remaining)
        {
            return false;
        }

        int type = first >> 4;
        SequenceReader<byte> body = reader;
        reader.Advance(remaining);
        buffer = buffer.Slice(reader.Position);
        switch (type)
        {
            case 1: // CONNECT -> CONNACK, session not present, accepted
                reply[0] = 0x20; reply[1] = 0x02; reply[2] = 0x00; reply[3] = 0x00;
                replyLength = 4;
                break;
            case 3: // PUBLISH -> PUBACK for QoS 1
                PublishesReceived++;
                if (((first >> 1) & 0x03) == 1)
                {
                    body.TryReadBigEndian(out short topicLength);
                    body.Advance(topicLength);
                    body.TryRead(out reply[2]);
                    body.TryRead(out reply[3]);
                    reply[0] = 0x40; reply[1] = 0x02;
                    replyLength = 4;
                }

                break;
            case 8: // SUBSCRIBE -> SUBACK granting QoS 1 to the first (only) filter
                body.TryRead(out reply[2]);
                body.TryRead(out reply[3]);
                reply[0] = 0x90; reply[1] = 0x03; reply[4] = 0x01;
                replyLength = 5;
                break;
            case 12: // PINGREQ -> PINGRESP
                reply[0] = 0xD0; reply[1] = 0x00;
                replyLength = 2;
                break;
        }

        return true;
    }

    private static bool TryReadRemainingLength(ref SequenceReader<byte> reader, out int value)
    {
        value = 0;
        for (int shift = 0; shift < 28; shift += 7)
        {
            if (!reader.TryRead(out byte b))
            {
                return false;
            }

            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
