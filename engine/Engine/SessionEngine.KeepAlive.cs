using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>The KeepAlive machine: ping when quiet, declare the link dead after a keepalive period of silence (I5).</summary>
    public sealed partial class SessionEngine
    {
        private long _lastReceived;
        private long _lastSent;
        private long _lastPingSent;
        private long _keepAliveDeadline = Never;
        private long _keepAliveNow;

        /// <summary>The KeepAlive table's guards, judged by spec/'s KeepAliveRules on the one instant of this firing.</summary>
        public bool Holds(KeepAliveGuard guard)
        {
            if (guard == KeepAliveGuard.None)
            {
                return true;
            }

            long now = _keepAliveNow;
            return KeepAliveRules.Judge(now, _lastSent, HeardUntil(now), _lastPingSent, _keepAliveMs, _pingIntervalMs) == guard;
        }

        private void FireKeepAlive(KeepAliveTrigger trigger)
        {
            // One instant per firing: guards read at different instants could overlap, or leave a gap, as the clock moves.
            _keepAliveNow = _now;
            KeepAliveEffect effect = _keepAlive.Fire(trigger);
            switch (effect)
            {
                case KeepAliveEffect.None: break;
                case KeepAliveEffect.ArmTimer: ArmKeepAlive(); break;
                case KeepAliveEffect.SendPingReq:
                    Transmit(NewSend(PacketKind.PingReq));
                    _lastPingSent = _lastSent;
                    ArmKeepAlive();
                    break;
                case KeepAliveEffect.DisarmTimer: _keepAliveDeadline = Never; break;
                case KeepAliveEffect.DeclareLinkDead:
                    _keepAliveDeadline = Never;
                    FireConnection(ConnectionTrigger.KeepAliveExpired, "keepalive expired: nothing received for " + _keepAliveMs.ToString() + " ms", 0);
                    break;
                default: throw new System.InvalidOperationException("KeepAlive effect " + ((int)effect).ToString() + " has no binding in the engine.");
            }
        }

        /// <summary>Arms the one keepalive deadline: the next ping, or the end of the silence allowance, whichever is first.</summary>
        private void ArmKeepAlive()
        {
            if (_keepAliveMs <= 0)
            {
                _keepAliveDeadline = Never;
                return;
            }

            _keepAliveDeadline = Max(_now, KeepAliveRules.NextDeadline(_lastSent, HeardUntil(_now), _lastPingSent, _keepAliveMs, _pingIntervalMs));
        }

        /// <summary>
        /// The last instant the link counts as heard from. While reading is paused for the application, silence does not
        /// count against the link (I5): the pause is added to the last packet's time. Only the part of the pause after the
        /// last packet counts as pause: a packet received while paused (decoded before the pause took effect, or a new
        /// link's CONNACK) already moved the last packet's time, and adding the whole pause to it would put it in the
        /// future, stretching the silence allowance past one keepalive period once reading resumes.
        /// </summary>
        private long HeardUntil(long now)
        {
            return _readingPaused ? _lastReceived + (now - Max(_pausedSince, _lastReceived)) : _lastReceived;
        }
    }
}
