using System;
using StateMachineMqtt.Nano.Client;

namespace StateMachineMqtt.Nano.Glue
{
    /// <summary>
    /// INanoClock from DateTime.UtcNow, the one clock nano's mscorlib has, made monotonic: a step backwards (an SNTP
    /// correction) is ignored. Start the client after Wi-Fi has set the date (ConnectDhcp with requiresDateTime), so the
    /// big first correction happens before any deadline is armed.
    /// </summary>
    public sealed class NanoUptimeClock : INanoClock
    {
        private long _last;

        /// <inheritdoc />
        public long NowMilliseconds
        {
            get
            {
                long now = DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond;
                if (now > _last)
                {
                    _last = now;
                }

                return _last;
            }
        }
    }
}
