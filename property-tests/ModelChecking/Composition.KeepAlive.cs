using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>The KeepAlive machine and its effects (MqttClient.KeepAlive.cs).</summary>
public sealed partial class Composition
{
    private void Tick(KeepAliveGuard valuation)
    {
        _tick = valuation;
        FireKeepAlive(KeepAliveTrigger.Tick);
    }

    private void FireKeepAlive(KeepAliveTrigger trigger)
    {
        if (_violation is not null)
        {
            return;
        }

        // A Tick carries the event's valuation; any other trigger sees the one the clock phase implies.
        KeepAliveGuard holds = trigger == KeepAliveTrigger.Tick ? _tick : _s.Phase switch
        {
            ClockPhase.Fresh => KeepAliveGuard.WithinPingInterval,
            ClockPhase.PingDue => KeepAliveGuard.PingIntervalElapsed,
            _ => KeepAliveGuard.KeepAliveElapsed,
        };
        KeepAliveState before = _s.KeepAlive;
        var rows = tables.Rows(before, trigger).Where(r => r.Guard == KeepAliveGuard.None || r.Guard == holds).ToArray();
        if (!Chosen(rows.Length, "KeepAlive", before, trigger))
        {
            return;
        }

        var row = rows[0];
        _s.KeepAlive = row.To;
        _log?.Add($"KeepAlive[{row.Index}] {before} --{trigger}[{holds}]--> {row.To} / {row.Effect}");
        switch (row.Effect)
        {
            case KeepAliveEffect.SendPingReq: _s.PingReqInFlight |= Send("PINGREQ"); break;
            case KeepAliveEffect.DeclareLinkDead: FireConnection(ConnectionTrigger.KeepAliveExpired); break;
            default: break; // None, ArmTimer, DisarmTimer: the timer is implied by the state
        }
    }

    /// <summary>PumpOutbound: in acceptance order, send what the window allows; identifiers are taken on first entry to the window.</summary>
}
