using StateMachineMqtt.Machines;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt;

/// <summary>The KeepAlive machine: ping when quiet, declare the link dead after a keepalive period of silence (I5).</summary>
public sealed partial class MqttClient
{
    private readonly TableMachine<KeepAliveState, KeepAliveTrigger, KeepAliveGuard, KeepAliveEffect> _keepAlive;
    private DateTimeOffset _lastReceived;
    private DateTimeOffset _lastPingSent;
    private DateTimeOffset _lastSent;
    private DateTimeOffset _keepAliveNow;
    private ITimer? _keepAliveTimer;
    private long _keepAliveTimerToken;

    private bool KeepAliveGuardHolds(KeepAliveGuard guard)
    {
        // One instant per firing: guards read at different instants could overlap or leave a gap while the clock moves.
        DateTimeOffset now = _keepAliveNow;
        bool silentForKeepAlive = now - _lastReceived >= _options.KeepAlive;
        TimeSpan interval = _options.EffectivePingInterval;
        bool pingDue = now - _lastSent >= interval || now - Max(_lastReceived, _lastPingSent) >= interval;
        return guard switch
        {
            KeepAliveGuard.KeepAliveElapsed => silentForKeepAlive,
            KeepAliveGuard.PingIntervalElapsed => !silentForKeepAlive && pingDue,
            KeepAliveGuard.WithinPingInterval => !silentForKeepAlive && !pingDue,
            _ => true,
        };
    }

    private void FireKeepAlive(KeepAliveTrigger trigger)
    {
        _keepAliveNow = _time.GetUtcNow();
        var row = _keepAlive.Fire(trigger);
        switch (row.Effect)
        {
            case KeepAliveEffect.None: break;
            case KeepAliveEffect.ArmTimer: ArmKeepAliveTimer(); break;
            case KeepAliveEffect.SendPingReq:
                Send(PingReqPacket.Instance);
                _lastPingSent = _lastSent;
                ArmKeepAliveTimer();
                break;
            case KeepAliveEffect.DisarmTimer: DisarmKeepAliveTimer(); break;
            case KeepAliveEffect.DeclareLinkDead:
                DisarmKeepAliveTimer();
                FireConnection(ConnectionTrigger.KeepAliveExpired, $"keepalive expired: nothing received for {_options.KeepAlive.TotalSeconds:0.###} s");
                break;
            default: throw new InvalidOperationException($"KeepAlive effect {row.Effect} has no binding in core/.");
        }
    }

    /// <summary>Arms the one keepalive timer for the next deadline: the next ping, or the silence limit, whichever is first.</summary>
    private void ArmKeepAliveTimer()
    {
        DisarmKeepAliveTimer();
        if (_options.KeepAlive <= TimeSpan.Zero)
        {
            return;
        }

        DateTimeOffset nextPing = Min(_lastSent, Max(_lastReceived, _lastPingSent)) + _options.EffectivePingInterval;
        DateTimeOffset silenceLimit = _lastReceived + _options.KeepAlive;
        TimeSpan due = Max(TimeSpan.Zero, (nextPing < silenceLimit ? nextPing : silenceLimit) - _time.GetUtcNow());
        long token = ++_keepAliveTimerToken;
        _keepAliveTimer = _time.CreateTimer(_ => Post(new LoopEvent.KeepAliveTimer(token)), null, due, Timeout.InfiniteTimeSpan);
    }

    private void DisarmKeepAliveTimer()
    {
        _keepAliveTimerToken++;
        _keepAliveTimer?.Dispose();
        _keepAliveTimer = null;
    }

    /// <summary>Queues a packet on the current link, if any, noting the time: keepalive counts what was sent too [MQTT-3.1.2-23].</summary>
    private void Send(MqttPacket packet, bool notifyWhenFlushed = false)
    {
        if (_link is { } link)
        {
            _lastSent = _time.GetUtcNow();
            link.Send(packet, notifyWhenFlushed);
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
