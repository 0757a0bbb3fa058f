using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace StateMachineMqtt;

/// <summary>
/// One bounded queue of received messages and its one reader: ReadMessagesAsync's queue, or a subscription stream's. The
/// loop alone adds, and only while <see cref="HasRoom"/>; one enumeration at a time takes. Once its owner is gone for good
/// (<see cref="CompleteAndDiscardUnread"/>), what no enumeration is left to take is dropped and counted, never silently lost.
/// </summary>
internal sealed class ReceiveQueue
{
    private readonly Channel<MqttMessage> _channel;
    private readonly int _capacity;
    private readonly Action<MqttMessage> _taken;
    private readonly Action<int> _dropped;
    private int _reading;
    private int _discardUnread;
    private long _droppedCount;

    /// <param name="capacity">The bound (ReceiveQueueLength).</param>
    /// <param name="taken">Called, on the reader's side, as a reader takes a message: room was made, so the loop may move more.</param>
    /// <param name="dropped">Called with how many unread messages were dropped once the queue's owner was gone.</param>
    public ReceiveQueue(int capacity, Action<MqttMessage> taken, Action<int> dropped)
    {
        _capacity = capacity;
        _taken = taken;
        _dropped = dropped;
        _channel = Channel.CreateBounded<MqttMessage>(new BoundedChannelOptions(capacity) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>True while one more message fits.</summary>
    public bool HasRoom => _channel.Reader.Count < _capacity;

    /// <summary>Messages dropped unread by <see cref="CompleteAndDiscardUnread"/>.</summary>
    public long DroppedCount => Interlocked.Read(ref _droppedCount);

    /// <summary>Adds a message; the loop calls it only after <see cref="HasRoom"/> said yes, and before <see cref="Complete"/>.</summary>
    public void Add(MqttMessage message)
    {
        if (!_channel.Writer.TryWrite(message))
        {
            throw new InvalidOperationException("A received message was offered to a full or completed queue: the loop must check HasRoom and never add after Complete.");
        }
    }

    /// <summary>No more messages come: an enumeration takes what is queued, then ends.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>
    /// No more messages come, and nobody will read what is left once the current enumeration (if any) ends: it is dropped
    /// then, or now when nothing is reading.
    /// </summary>
    public void CompleteAndDiscardUnread()
    {
        Complete();
        Interlocked.Exchange(ref _discardUnread, 1);
        DiscardIfUnread();
    }

    /// <summary>
    /// The queue's messages, in order, for one enumeration at a time; a second concurrent one throws InvalidOperationException
    /// with <paramref name="whenAlreadyRead"/>. Enumerating again after the first has ended is fine.
    /// </summary>
    public async IAsyncEnumerable<MqttMessage> ReadAllAsync(string whenAlreadyRead, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _reading, 1, 0) != 0)
        {
            throw new InvalidOperationException(whenAlreadyRead);
        }

        try
        {
            ChannelReader<MqttMessage> reader = _channel.Reader;
            // Resume on the caller's scheduler (not ConfigureAwait(false)): tests read messages on their deterministic scheduler.
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(true))
            {
                // The token is checked before each message, so none is taken once it has fired: it stays for the next reader.
                while (!cancellationToken.IsCancellationRequested && reader.TryRead(out MqttMessage? message))
                {
                    _taken(message);
                    yield return message;
                }
            }
        }
        finally
        {
            Interlocked.Exchange(ref _reading, 0);
            DiscardIfUnread();
        }
    }

    private void DiscardIfUnread()
    {
        // Both sides write their flag with a full fence before reading the other's, so at least one of them drains.
        if (Volatile.Read(ref _discardUnread) == 0 || Volatile.Read(ref _reading) != 0)
        {
            return;
        }

        int count = 0;
        while (_channel.Reader.TryRead(out _))
        {
            count++;
        }

        if (count > 0)
        {
            Interlocked.Add(ref _droppedCount, count);
            _dropped(count);
        }
    }
}
