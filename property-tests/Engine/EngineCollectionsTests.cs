using System.Text;
using StateMachineMqtt.Engine;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>
/// The engine's own collections (nano has no generics, so each ring is its own type): the three rings keep FIFO order and
/// their count while growing past their initial 16 slots with the head in the middle of the ring; InboundQueue and
/// MessageList also count their QoS 0 messages exactly, as the receive and outbound overflow policies read those counts.
/// </summary>
public sealed class EngineCollectionsTests
{
    /// <summary>One ring under test, holding numbers (each ring keeps a number in a field of its element).</summary>
    public interface IRing
    {
        int Count { get; }

        void Enqueue(int n);

        /// <summary>The oldest number, or null when the ring reported itself empty.</summary>
        int? Dequeue();
    }

    public static TheoryData<string> Rings() => new() { "ActionQueue", "EventQueue", "InboundQueue" };

    private static IRing Ring(string name) => name switch
    {
        "ActionQueue" => new ActionRing(),
        "EventQueue" => new EventRing(),
        "InboundQueue" => new InboundRing(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Rings))]
    public void A_ring_keeps_fifo_order_and_its_count_while_growing_twice_with_its_head_mid_ring(string name)
    {
        // Each growth (16 -> 32, 32 -> 64) happens while the ring is full and wrapped: its head is not slot 0, so the
        // copy must unroll the ring from the head.
        IRing ring = Ring(name);
        var model = new Queue<int>();
        int next = 0;
        void Put(int times)
        {
            for (int i = 0; i < times; i++)
            {
                ring.Enqueue(next);
                model.Enqueue(next);
                next++;
                Assert.Equal(model.Count, ring.Count);
            }
        }

        void Take(int times)
        {
            for (int i = 0; i < times; i++)
            {
                Assert.Equal(model.Dequeue(), ring.Dequeue());
                Assert.Equal(model.Count, ring.Count);
            }
        }

        Put(10);
        Take(5);   // head at slot 5
        Put(11);   // 16: full, wrapped round to slot 4
        Put(1);    // grows to 32 from head 5
        Take(10);  // head at slot 10
        Put(25);   // 32: full, wrapped
        Put(1);    // grows to 64 from head 10
        Assert.Equal(33, ring.Count);
        Put(40);   // past 64: a third growth, from head 0
        Take(model.Count);
        Assert.Equal(0, ring.Count);
        Assert.Null(ring.Dequeue());
        Assert.Equal(0, ring.Count);
        Put(3);    // still usable once drained
        Take(3);
        Assert.Null(ring.Dequeue());
    }

    [Theory]
    [MemberData(nameof(Rings))]
    public void A_new_ring_is_empty_and_dequeues_nothing(string name)
    {
        IRing ring = Ring(name);
        Assert.Equal(0, ring.Count);
        Assert.Null(ring.Dequeue());
        Assert.Equal(0, ring.Count);
    }

    [Fact]
    public void Dequeuing_an_empty_action_or_event_queue_gives_the_default_value()
    {
        var actions = new ActionQueue();
        actions.Enqueue(new EngineAction { Kind = ActionKind.Send, PacketId = 7 });
        Assert.True(actions.TryDequeue(out EngineAction action));
        Assert.Equal(7, action.PacketId);
        Assert.False(actions.TryDequeue(out action));
        Assert.Equal(default, action);

        var events = new EventQueue();
        events.Enqueue(new EngineEvent { Kind = EventKind.LinkUp, Attempt = 7 });
        Assert.True(events.TryDequeue(out EngineEvent e));
        Assert.Equal(7, e.Attempt);
        Assert.False(events.TryDequeue(out e));
        Assert.Equal(default, e);
    }

    [Fact]
    public void InboundQueue_Peek_gives_the_oldest_without_taking_it_and_null_when_empty()
    {
        var queue = new InboundQueue();
        Assert.Null(queue.Peek());
        InboundMessage first = Inbound(1, qos: 1);
        InboundMessage second = Inbound(2, qos: 0);
        queue.Enqueue(first);
        queue.Enqueue(second);
        Assert.Same(first, queue.Peek());
        Assert.Same(first, queue.Peek());
        Assert.Equal(2, queue.Count);
        Assert.Same(first, queue.Dequeue());
        Assert.Same(second, queue.Peek());
        Assert.Same(second, queue.Dequeue());
        Assert.Null(queue.Peek());
        Assert.Null(queue.Dequeue());
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void InboundQueue_At_indexes_from_the_oldest_across_the_wrap()
    {
        var queue = new InboundQueue();
        for (int i = 0; i < 12; i++)
        {
            queue.Enqueue(Inbound(i, qos: 1));
        }

        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(i, queue.Dequeue()!.PacketId); // head at slot 8
        }

        for (int i = 12; i < 22; i++)
        {
            queue.Enqueue(Inbound(i, qos: 1)); // slots 12..15, then 0..5: 14 queued, none grown
        }

        Assert.Equal(14, queue.Count);
        Assert.Equal(Enumerable.Range(8, 14), Enumerable.Range(0, queue.Count).Select(i => queue.At(i).PacketId));
        Assert.Equal(8, queue.Peek()!.PacketId);
    }

    [Fact]
    public void InboundQueue_counts_its_qos0_messages_up_and_down_exactly()
    {
        int[] qos = { 0, 1, 0, 0, 1, 1, 0 };
        var queue = new InboundQueue();
        int expected = 0;
        for (int i = 0; i < qos.Length; i++)
        {
            queue.Enqueue(Inbound(i, qos[i]));
            expected += qos[i] == 0 ? 1 : 0;
            Assert.Equal(expected, queue.Qos0Count);
        }

        Assert.Equal(4, queue.Qos0Count);
        for (int i = 0; i < qos.Length; i++)
        {
            Assert.Equal(qos[i], queue.Dequeue()!.Qos);
            expected -= qos[i] == 0 ? 1 : 0;
            Assert.Equal(expected, queue.Qos0Count);
        }

        Assert.Equal(0, queue.Qos0Count);
        Assert.Null(queue.Dequeue());
        Assert.Equal(0, queue.Qos0Count);
    }

    [Fact]
    public void InboundQueue_RemoveOldestQos0_removes_only_that_one_keeping_the_order_across_the_wrap()
    {
        var queue = new InboundQueue();
        for (int i = 0; i < 14; i++)
        {
            queue.Enqueue(Inbound(i, qos: 1));
        }

        for (int i = 0; i < 14; i++)
        {
            queue.Dequeue(); // head at slot 14
        }

        // Ids 100..105 in slots 14, 15, 0, 1, 2, 3; the QoS 0 ones are 103 (slot 1) and 105.
        int[] qos = { 1, 1, 1, 0, 1, 0 };
        for (int i = 0; i < qos.Length; i++)
        {
            queue.Enqueue(Inbound(100 + i, qos[i]));
        }

        Assert.Equal(2, queue.Qos0Count);
        queue.RemoveOldestQos0();
        Assert.Equal(5, queue.Count);
        Assert.Equal(1, queue.Qos0Count);
        Assert.Equal(new[] { 100, 101, 102, 104, 105 }, Drain(queue, keep: true));

        queue.RemoveOldestQos0();
        Assert.Equal(4, queue.Count);
        Assert.Equal(0, queue.Qos0Count);
        Assert.Equal(new[] { 100, 101, 102, 104 }, Drain(queue, keep: false));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void InboundQueue_RemoveOldestQos0_takes_the_head_when_it_is_qos0()
    {
        var queue = new InboundQueue();
        queue.Enqueue(Inbound(1, qos: 0));
        queue.Enqueue(Inbound(2, qos: 0));
        queue.Enqueue(Inbound(3, qos: 1));
        queue.RemoveOldestQos0();
        Assert.Equal(1, queue.Qos0Count);
        Assert.Equal(new[] { 2, 3 }, Drain(queue, keep: false));
    }

    [Fact]
    public void MessageList_counts_messages_bytes_and_qos0_exactly_as_they_are_added_and_removed()
    {
        var list = new MessageList();
        OutboundMessage a = Outbound("a", qos: 1, bytes: 3);
        OutboundMessage b = Outbound("b", qos: 0, bytes: 5);
        OutboundMessage c = Outbound("c", qos: 1, bytes: 7);
        OutboundMessage d = Outbound("d", qos: 0, bytes: 11);
        (OutboundMessage Message, int Count, long Bytes, int Qos0)[] adds =
        {
            (a, 1, 3, 0), (b, 2, 8, 1), (c, 3, 15, 1), (d, 4, 26, 2),
        };
        foreach (var (message, count, bytes, qos0) in adds)
        {
            list.AddLast(message);
            Assert.True(message.Held);
            Assert.Equal((count, bytes, qos0), (list.Count, list.Bytes, list.Qos0Count));
            Assert.Same(message, list.Last);
        }

        Assert.Equal("abcd", Topics(list));

        list.Remove(b); // a middle QoS 0 message
        Assert.Equal((3, 21L, 1), (list.Count, list.Bytes, list.Qos0Count));
        Assert.Equal("acd", Topics(list));
        Assert.False(b.Held);
        Assert.Null(b.Previous);
        Assert.Null(b.Next);

        list.Remove(c); // a middle QoS 1 message: the QoS 0 count stays
        Assert.Equal((2, 14L, 1), (list.Count, list.Bytes, list.Qos0Count));
        Assert.Equal("ad", Topics(list));

        list.Remove(d); // the last, QoS 0
        Assert.Equal((1, 3L, 0), (list.Count, list.Bytes, list.Qos0Count));
        Assert.Same(a, list.First);
        Assert.Same(a, list.Last);

        list.Remove(a); // the only one
        Assert.Equal((0, 0L, 0), (list.Count, list.Bytes, list.Qos0Count));
        Assert.Null(list.First);
        Assert.Null(list.Last);

        list.AddLast(c);
        list.AddLast(b);
        list.Remove(c); // the first
        Assert.Same(b, list.First);
        Assert.Null(b.Previous);
        Assert.Equal((1, 5L, 1), (list.Count, list.Bytes, list.Qos0Count));
    }

    [Fact]
    public void MessageList_OldestQos0_finds_the_first_qos0_message_past_qos1_ones_or_null()
    {
        var list = new MessageList();
        Assert.Null(list.OldestQos0());
        OutboundMessage q1a = Outbound("q1a", qos: 1, bytes: 1);
        OutboundMessage q0a = Outbound("q0a", qos: 0, bytes: 1);
        OutboundMessage q1b = Outbound("q1b", qos: 1, bytes: 1);
        OutboundMessage q0b = Outbound("q0b", qos: 0, bytes: 1);
        list.AddLast(q1a);
        Assert.Null(list.OldestQos0());
        list.AddLast(q0a);
        list.AddLast(q1b);
        list.AddLast(q0b);
        Assert.Same(q0a, list.OldestQos0());
        list.Remove(q0a);
        Assert.Same(q0b, list.OldestQos0());
        list.Remove(q0b);
        Assert.Null(list.OldestQos0());

        var headFirst = new MessageList();
        headFirst.AddLast(q0a);
        headFirst.AddLast(q1a);
        Assert.Same(q0a, headFirst.OldestQos0());
    }

    private static int[] Drain(InboundQueue queue, bool keep)
    {
        var ids = new List<int>();
        var taken = new List<InboundMessage>();
        while (queue.Dequeue() is { } message)
        {
            ids.Add(message.PacketId);
            taken.Add(message);
        }

        if (keep)
        {
            taken.ForEach(queue.Enqueue);
        }

        return ids.ToArray();
    }

    private static string Topics(MessageList list)
    {
        var forward = new StringBuilder();
        for (OutboundMessage? m = list.First; m is not null; m = m.Next)
        {
            forward.Append(m.Topic);
        }

        var backward = new StringBuilder();
        for (OutboundMessage? m = list.Last; m is not null; m = m.Previous)
        {
            backward.Insert(0, m.Topic);
        }

        Assert.Equal(forward.ToString(), backward.ToString());
        return forward.ToString();
    }

    private static InboundMessage Inbound(int id, int qos) => new("t/" + id, new byte[] { (byte)id }, qos, false, false, id);

    private static OutboundMessage Outbound(string topic, int qos, int bytes) => new(topic, new byte[bytes], qos, false, null!);

    private sealed class ActionRing : IRing
    {
        private readonly ActionQueue _queue = new();

        public int Count => _queue.Count;

        public void Enqueue(int n) => _queue.Enqueue(new EngineAction { Kind = ActionKind.Send, PacketId = n });

        public int? Dequeue() => _queue.TryDequeue(out EngineAction action) ? action.PacketId : null;
    }

    private sealed class EventRing : IRing
    {
        private readonly EventQueue _queue = new();

        public int Count => _queue.Count;

        public void Enqueue(int n) => _queue.Enqueue(new EngineEvent { Kind = EventKind.LinkUp, Attempt = n });

        public int? Dequeue() => _queue.TryDequeue(out EngineEvent e) ? e.Attempt : null;
    }

    private sealed class InboundRing : IRing
    {
        private readonly InboundQueue _queue = new();

        public int Count => _queue.Count;

        public void Enqueue(int n) => _queue.Enqueue(Inbound(n, n % 3 == 0 ? 0 : 1));

        public int? Dequeue() => _queue.Dequeue()?.PacketId;
    }
}
