namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// The keepalive arithmetic as pure functions of one instant and the link's last events, all in milliseconds. The engine
    /// evaluates the KeepAlive table's guards through <see cref="Judge"/> on one instant per firing, so two guards can never
    /// hold at once (nor none), however the clock moves between reads.
    /// </summary>
    public static class KeepAliveRules
    {
        /// <summary>The default ping interval: a quarter of the keepalive, as the reference MicroPython client pings.</summary>
        public static long DefaultPingIntervalMs(long keepAliveMs)
        {
            return keepAliveMs / 4;
        }

        /// <summary>
        /// The keepalive in force on a link: MQTT 5's Server Keep Alive from CONNACK when it sent one
        /// (<paramref name="serverKeepAliveSeconds"/> 0 or more), which the client must use instead of its own
        /// [MQTT-3.2.2-21]; otherwise the client's (<paramref name="ownMs"/>).
        /// </summary>
        public static long KeepAliveInForceMs(long ownMs, int serverKeepAliveSeconds)
        {
            return serverKeepAliveSeconds >= 0 ? serverKeepAliveSeconds * 1000L : ownMs;
        }

        /// <summary>
        /// The ping interval for a link whose keepalive is <paramref name="keepAliveMs"/>: the configured one
        /// (<paramref name="configuredMs"/> > 0) while it is within the keepalive, else a quarter of the keepalive.
        /// </summary>
        public static long PingIntervalInForceMs(long keepAliveMs, long configuredMs)
        {
            return configuredMs > 0 && configuredMs <= keepAliveMs ? configuredMs : DefaultPingIntervalMs(keepAliveMs);
        }

        /// <summary>
        /// The one Tick guard that holds at <paramref name="now"/>: KeepAliveElapsed after a whole keepalive period with nothing
        /// received (I5; time the client spent not reading is excluded by the caller, who moves <paramref name="lastReceived"/>);
        /// else PingIntervalElapsed when nothing was sent for a ping interval [MQTT-3.1.2-23], or nothing was received for one
        /// since the last ping; else WithinPingInterval.
        /// </summary>
        public static KeepAliveGuard Judge(long now, long lastSent, long lastReceived, long lastPingSent, long keepAliveMs, long pingIntervalMs)
        {
            if (now - lastReceived >= keepAliveMs)
            {
                return KeepAliveGuard.KeepAliveElapsed;
            }

            bool pingDue = now - lastSent >= pingIntervalMs || now - Max(lastReceived, lastPingSent) >= pingIntervalMs;
            return pingDue ? KeepAliveGuard.PingIntervalElapsed : KeepAliveGuard.WithinPingInterval;
        }

        /// <summary>
        /// When <see cref="Judge"/> next changes its answer: the next ping, or the end of the silence allowance, whichever
        /// comes first. The timer is armed for this instant.
        /// </summary>
        public static long NextDeadline(long lastSent, long lastReceived, long lastPingSent, long keepAliveMs, long pingIntervalMs)
        {
            long nextPing = Min(lastSent, Max(lastReceived, lastPingSent)) + pingIntervalMs;
            long silenceLimit = lastReceived + keepAliveMs;
            return Min(nextPing, silenceLimit);
        }

        private static long Max(long a, long b)
        {
            return a > b ? a : b;
        }

        private static long Min(long a, long b)
        {
            return a < b ? a : b;
        }
    }
}
