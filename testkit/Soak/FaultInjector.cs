using StateMachineMqtt.TestKit.Proxy;

namespace StateMachineMqtt.TestKit.Soak;

/// <summary>Plays a <see cref="FaultSchedule"/> against the two proxies and the broker until stopped, then heals everything.</summary>
internal sealed class FaultInjector
{
    /// <summary>Latency added by a <see cref="FaultKind.Latency"/> fault while it lasts.</summary>
    public static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(250);

    /// <summary>Throughput left by a <see cref="FaultKind.Throttle"/> fault while it lasts, bytes per second each way.</summary>
    public const int ThrottleBytesPerSecond = 4000;

    private readonly FaultProxy _publisherProxy;
    private readonly FaultProxy _subscriberProxy;
    private readonly ISoakBroker _broker;
    private readonly DeliveryLedger _ledger;
    private readonly SoakTimeline _timeline;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly Action<string> _trace;
    private readonly List<Task> _standing = [];

    public FaultInjector(FaultProxy publisherProxy, FaultProxy subscriberProxy, ISoakBroker broker, DeliveryLedger ledger, SoakTimeline timeline, TimeProvider time, Action<string> log, Action<string> trace)
    {
        _publisherProxy = publisherProxy;
        _subscriberProxy = subscriberProxy;
        _broker = broker;
        _ledger = ledger;
        _timeline = timeline;
        _time = time;
        _log = log;
        _trace = trace;
    }

    /// <summary>Injects faults from <paramref name="schedule"/> until <paramref name="stop"/>; then ends standing faults and makes sure the broker runs.</summary>
    public async Task RunAsync(FaultSchedule schedule, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var fault = schedule.Next();
                await Task.Delay(fault.Wait, _time, stop).ConfigureAwait(false);
                _timeline.Injected(fault);
                _trace(fault.ToString());
                await InjectAsync(fault, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // publishing is over
        }

        await Task.WhenAll(_standing).ConfigureAwait(false);
        foreach (var proxy in new[] { _publisherProxy, _subscriberProxy })
        {
            // A silenced link must die, never resume: TCP does not lose packets from the middle of a live stream, and a
            // resumed stream with a hole in it would leave the broker waiting for PUBACKs of PUBLISHes nobody saw.
            foreach (var connection in proxy.Connections.Where(c => c.Blackholed != ProxyDirection.None))
            {
                connection.Reset();
            }

            proxy.Heal();
        }
    }

    private async Task InjectAsync(ScheduledFault fault, CancellationToken stop)
    {
        var proxy = fault.Target == FaultTarget.Subscriber ? _subscriberProxy : _publisherProxy;
        switch (fault.Kind)
        {
            case FaultKind.Reset:
                proxy.ResetAll();
                break;
            case FaultKind.Close:
                proxy.CloseAll();
                break;
            case FaultKind.HalfOpen:
                proxy.Blackhole();
                break;
            case FaultKind.CutBeforePubAck:
                _ = proxy.CutNextPublish(); // fires on the next PUBLISH; a later Heal cancels it unfired
                break;
            case FaultKind.Latency:
                proxy.Delay(ProxyDirection.Both, Latency);
                Standing(fault.Duration, () => proxy.Delay(ProxyDirection.Both, TimeSpan.Zero), stop);
                break;
            case FaultKind.Throttle:
                proxy.Throttle(ProxyDirection.Both, ThrottleBytesPerSecond);
                Standing(fault.Duration, () => proxy.Throttle(ProxyDirection.Both, 0), stop);
                break;
            case FaultKind.Refuse:
                proxy.RefuseConnections = true;
                proxy.ResetAll();
                Standing(fault.Duration, () => proxy.RefuseConnections = false, stop);
                break;
            case FaultKind.BrokerKill:
                await KillAndRestartAsync(fault.Duration).ConfigureAwait(false);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault.Kind, "Unknown fault kind.");
        }
    }

    // Not cancellable: a broker left dead would make the drain fail for a reason that is not the client's.
    private async Task KillAndRestartAsync(TimeSpan downtime)
    {
        await _broker.KillAsync().ConfigureAwait(false);
        _ledger.BrokerKilled();
        _log($"broker killed (SIGKILL #{_ledger.BrokerKills}); down for {downtime.TotalMilliseconds:0} ms");
        await Task.Delay(downtime, _time).ConfigureAwait(false);
        await _broker.RestartAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private void Standing(TimeSpan duration, Action end, CancellationToken stop)
    {
        _standing.RemoveAll(t => t.IsCompleted);
        _standing.Add(EndAfterAsync(duration, end, stop));
    }

    private async Task EndAfterAsync(TimeSpan duration, Action end, CancellationToken stop)
    {
        try
        {
            await Task.Delay(duration, _time, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // ended early by the end of the run
        }

        end();
    }
}
