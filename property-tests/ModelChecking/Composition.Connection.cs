using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>The Connection machine and its effects on the link (MqttClient.Connection.cs, and Send in MqttClient.KeepAlive.cs).</summary>
public sealed partial class Composition
{
    private void FireConnection(ConnectionTrigger trigger)
    {
        if (_violation is not null)
        {
            return;
        }

        ConnectionState before = _s.Connection;
        var rows = tables.Rows(before, trigger).Where(r => r.Guard switch
        {
            ConnectionGuard.NeverConnected => !_s.HasConnected,
            ConnectionGuard.HasConnectedBefore => _s.HasConnected,
            ConnectionGuard.SessionTrusted => !_s.SessionInDoubt,
            ConnectionGuard.SessionInDoubt => _s.SessionInDoubt,
            _ => true,
        }).ToArray();
        if (!Chosen(rows.Length, "Connection", before, trigger))
        {
            return;
        }

        var row = rows[0];
        _s.Connection = row.To;
        _log?.Add($"Connection[{row.Index}] {before} --{trigger}--> {row.To} / {row.Effect}");
        switch (row.Effect) // RunConnectionEffect
        {
            case ConnectionEffect.SendConnect:
                if (_s.ConnectOutstanding)
                {
                    Fail("I3", "a second CONNECT was written while one was outstanding");
                }

                _s.ConnectOutstanding = true;
                _s.ConnectInFlight |= Send("CONNECT", isConnect: true);
                break;
            case ConnectionEffect.ResumeSession: LinkUp(sessionPresent: true); break;
            case ConnectionEffect.StartNewSession: LinkUp(sessionPresent: false); break;
            case ConnectionEffect.CloseAndBackoff or ConnectionEffect.FailConnect or ConnectionEffect.CloseGracefully or ConnectionEffect.StopReconnecting: CloseLink(); break;
            case ConnectionEffect.SendDisconnect: _ = Send("DISCONNECT"); break;
            case ConnectionEffect.Shutdown: // ShutdownEverything: every held message is failed
                CloseLink();
                while (_s.Count > 0)
                {
                    Remove(0, "disposed");
                }

                break;
            default: break; // None, OpenSocket, PollSocket, RejectConnect: nothing the model tracks
        }

        if (before != ConnectionState.Connected && _s.Connection == ConnectionState.Connected && !_s.BrokerSubscriptions && !_s.RestorePending)
        {
            Fail("I8", "the link counts as up, but the broker has no subscriptions for this client and none are being restored");
        }
    }

    /// <summary>LinkUp: keepalive starts, a new session gets its subscriptions restored, then requests and held messages are sent.</summary>
    private void LinkUp(bool sessionPresent)
    {
        _s.HasConnected = true;
        _s.SessionInDoubt = false;
        _s.Phase = ClockPhase.Fresh;
        FireKeepAlive(KeepAliveTrigger.LinkUp);
        if (!sessionPresent)
        {
            _s.RestorePending = true; // RestoreSubscriptions: the model's application has always subscribed
        }

        if (_s.Connection == ConnectionState.Connected && _s.RestorePending && !_s.RestoreSent) // SendRequests
        {
            _s.RestoreSent = true;
            _s.SubscribeInFlight |= Send("SUBSCRIBE");
        }

        Pump();
    }

    /// <summary>CloseLink: the socket goes, keepalive stops, every held message hears LinkLost in order, request identifiers are released.</summary>
    private void CloseLink()
    {
        _s.Link = Link.None;
        DropInFlight();
        _s.LinkAccepted = false;
        _s.SessionInDoubt |= _s.ConnectOutstanding; // a CONNECT that died unanswered (MqttClient.CloseLink)
        _s.ConnectOutstanding = false;
        FireKeepAlive(KeepAliveTrigger.LinkDown);
        for (int i = 0; i < _s.Count && _violation is null;)
        {
            i += FirePublish(i, PublishTrigger.LinkLost) ? 0 : 1;
        }

        _s.RestoreSent = false;
    }

    private bool Send(string packet, bool isConnect = false)
    {
        if (_s.Link == Link.None)
        {
            return false;
        }

        if (!isConnect && !_s.LinkAccepted)
        {
            Fail("I3", $"{packet} was written before a CONNACK accepted the link");
        }

        return _s.Link == Link.Open;
    }

    /// <summary>A fault kills an open link: the client still holds the socket, and everything in flight is lost.</summary>
    private void KillLink()
    {
        if (_s.Link == Link.Open)
        {
            _s.Link = Link.Dead;
            DropInFlight();
        }
    }

    private void DropInFlight()
    {
        _s.ConnectInFlight = _s.PingReqInFlight = _s.PingRespInFlight = _s.SubscribeInFlight = _s.SubAckInFlight = false;
        _s.ConnAck = ConnAckInFlight.None;
        for (int i = 0; i < _s.Count; i++)
        {
            HeldMessage m = _s.Get(i);
            m.PublishInFlight = m.PubAckInFlight = false;
            _s.Set(i, m);
        }
    }
}
