using System;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Nano.Interpreter;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Client
{
    // The KeepAlive machine, with the desktop client's guard definitions (core/Client/MqttClient.KeepAlive.cs): ping when
    // nothing was sent for a ping interval, or nothing received since the last PINGREQ for one; the link is dead after a
    // whole keepalive period with nothing received (I5). The "timer" is a due time Poll compares with the clock.
    public sealed partial class NanoMqttClient
    {
        private long _lastReceived;
        private long _lastSent;
        private long _lastPingSent;
        private long _keepAliveDue = -1;

        private void FireKeepAlive(KeepAliveTrigger trigger)
        {
            KeepAliveTransition row = _keepAlive.Fire(trigger);
            switch (row.Effect)
            {
                case KeepAliveEffect.None:
                    break;
                case KeepAliveEffect.ArmTimer:
                    ArmKeepAlive();
                    break;
                case KeepAliveEffect.SendPingReq:
                    _outbox.Compact();
                    if (NanoPacketWriter.WriteFixed(_outbox.Buffer, _outbox.WriteOffset, NanoPacketWriter.PingReq) > 0)
                    {
                        // The static PINGREQ bytes: a ping allocates nothing.
                        Sent(NanoPacketWriter.PingReq.Length);
                        _lastPingSent = _lastSent;
                    }

                    ArmKeepAlive();
                    break;
                case KeepAliveEffect.DisarmTimer:
                    _keepAliveDue = -1;
                    break;
                case KeepAliveEffect.DeclareLinkDead:
                    _keepAliveDue = -1;
                    LastError = "keepalive expired: nothing received for " + _options.Connect.KeepAliveSeconds.ToString() + " s";
                    FireConnection(ConnectionTrigger.KeepAliveExpired);
                    break;
                default:
                    throw new InvalidOperationException("KeepAlive effect " + row.Effect.ToString() + " has no binding in nano-port/.");
            }
        }

        /// <summary>The next deadline: the next ping, or the silence limit, whichever is first.</summary>
        private void ArmKeepAlive()
        {
            long keepAlive = _options.Connect.KeepAliveSeconds * 1000L;
            if (keepAlive <= 0)
            {
                _keepAliveDue = -1;
                return;
            }

            long nextPing = Min(_lastSent, Max(_lastReceived, _lastPingSent)) + _options.EffectivePingIntervalMilliseconds;
            long silenceLimit = _lastReceived + keepAlive;
            _keepAliveDue = nextPing < silenceLimit ? nextPing : silenceLimit;
        }

        private bool KeepAliveGuardHolds(KeepAliveGuard guard)
        {
            long now = _clock.NowMilliseconds;
            bool silentForKeepAlive = now - _lastReceived >= _options.Connect.KeepAliveSeconds * 1000L;
            long interval = _options.EffectivePingIntervalMilliseconds;
            bool pingDue = now - _lastSent >= interval || now - Max(_lastReceived, _lastPingSent) >= interval;
            switch (guard)
            {
                case KeepAliveGuard.KeepAliveElapsed: return silentForKeepAlive;
                case KeepAliveGuard.PingIntervalElapsed: return !silentForKeepAlive && pingDue;
                case KeepAliveGuard.WithinPingInterval: return !silentForKeepAlive && !pingDue;
                default: return true;
            }
        }

        // nano's mscorlib has no System.Math (it is a separate package).
        private static long Min(long a, long b)
        {
            return a < b ? a : b;
        }

        private static long Max(long a, long b)
        {
            return a > b ? a : b;
        }

        private sealed class KeepAliveGuards : IKeepAliveGuards
        {
            private readonly NanoMqttClient _client;

            public KeepAliveGuards(NanoMqttClient client)
            {
                _client = client;
            }

            public bool Holds(KeepAliveGuard guard)
            {
                return _client.KeepAliveGuardHolds(guard);
            }
        }
    }
}
