using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.TestKit.Proxy;

/// <summary>Packets forwarded and dropped by a <see cref="FaultProxy"/>, per direction and packet type. Thread-safe.</summary>
public sealed class ProxyCounters
{
    private readonly long[] _forwarded = new long[32];
    private readonly long[] _dropped = new long[32];
    private readonly Lock _gate = new();
    private readonly List<(ProxyDirection Direction, MqttPacketType Type, long Count, TaskCompletionSource Reached)> _waiters = [];
    private int _waiting; // _waiters.Count, read without the lock so counting stays lock-free when nobody waits

    /// <summary>Packets of <paramref name="type"/> forwarded in <paramref name="direction"/> (Both sums the two).</summary>
    internal long Forwarded(ProxyDirection direction, MqttPacketType type) => Sum(_forwarded, direction, type);

    /// <summary>Packets of <paramref name="type"/> swallowed by a fault in <paramref name="direction"/> (Both sums the two).</summary>
    internal long Dropped(ProxyDirection direction, MqttPacketType type) => Sum(_dropped, direction, type);

    /// <summary>
    /// Completes once <see cref="Forwarded"/>(<paramref name="direction"/>, <paramref name="type"/>) reaches
    /// <paramref name="count"/> (at once if it already has). The count rises after the write to the peer returns, so the peer
    /// may have read the packet before this completes: await it rather than poll the counter. It never times out; bound it
    /// with the caller's own hang guard, e.g. <c>WaitAsync(token)</c>.
    /// </summary>
    internal Task WhenForwarded(ProxyDirection direction, MqttPacketType type, long count)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            // Registered before the check: a packet counted meanwhile either sees this waiter or is seen by the check.
            _waiters.Add((direction, type, count, reached));
            Interlocked.Increment(ref _waiting);
        }

        Release();
        return reached.Task;
    }

    /// <summary>All packets forwarded in <paramref name="direction"/>.</summary>
    public long ForwardedTotal(ProxyDirection direction) => Enum.GetValues<MqttPacketType>().Sum(t => Forwarded(direction, t));

    /// <summary>One line per non-zero counter, e.g. "ClientToBroker Publish 12 forwarded, 1 dropped".</summary>
    public override string ToString()
    {
        var lines = new List<string>();
        foreach (var direction in new[] { ProxyDirection.ClientToBroker, ProxyDirection.BrokerToClient })
        {
            foreach (var type in Enum.GetValues<MqttPacketType>())
            {
                long f = Forwarded(direction, type), d = Dropped(direction, type);
                if (f + d > 0)
                {
                    lines.Add($"{direction} {type} {f} forwarded, {d} dropped");
                }
            }
        }

        return string.Join(Environment.NewLine, lines);
    }

    internal void CountForwarded(ProxyDirection direction, MqttPacketType type)
    {
        Interlocked.Increment(ref _forwarded[Index(direction, type)]);
        if (Volatile.Read(ref _waiting) > 0)
        {
            Release();
        }
    }

    internal void CountDropped(ProxyDirection direction, MqttPacketType type) => Interlocked.Increment(ref _dropped[Index(direction, type)]);

    /// <summary>Completes and removes every waiter whose count has been reached.</summary>
    private void Release()
    {
        lock (_gate)
        {
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                var w = _waiters[i];
                if (Forwarded(w.Direction, w.Type) >= w.Count)
                {
                    _waiters.RemoveAt(i);
                    Interlocked.Decrement(ref _waiting);
                    w.Reached.TrySetResult();
                }
            }
        }
    }

    private static long Sum(long[] counts, ProxyDirection direction, MqttPacketType type)
    {
        long sum = 0;
        if (direction.HasFlag(ProxyDirection.ClientToBroker))
        {
            sum += Interlocked.Read(ref counts[Index(ProxyDirection.ClientToBroker, type)]);
        }

        if (direction.HasFlag(ProxyDirection.BrokerToClient))
        {
            sum += Interlocked.Read(ref counts[Index(ProxyDirection.BrokerToClient, type)]);
        }

        return sum;
    }

    private static int Index(ProxyDirection direction, MqttPacketType type) =>
        (direction == ProxyDirection.ClientToBroker ? 0 : 16) + ((int)type & 15);
}
