namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// When the first connect gives up, and when a reconnect delay starts over, as pure functions of counts and elapsed
    /// times. A device that boots before its broker needs the default (retry transient errors forever: ECONNABORTED right
    /// after Wi-Fi comes up is the classic case); a command-line tool needs a bound, as mosquitto_pub has.
    /// </summary>
    public static class ConnectRules
    {
        /// <summary>
        /// True when a client that has not connected since ConnectAsync has used up its first connect: <paramref name="attempts"/>
        /// reached <paramref name="maxAttempts"/>, or <paramref name="elapsedMs"/> reached <paramref name="timeoutMs"/>.
        /// A bound of 0 is no bound. Once connected, the bound no longer applies: outages are ridden out.
        /// </summary>
        public static bool FirstConnectBoundReached(bool hasConnected, int attempts, int maxAttempts, long elapsedMs, long timeoutMs)
        {
            if (hasConnected)
            {
                return false;
            }

            return (maxAttempts > 0 && attempts >= maxAttempts) || (timeoutMs > 0 && elapsedMs >= timeoutMs);
        }

        /// <summary>
        /// The backoff attempt after a failure, given the one before. A link that proved itself — it stayed up for at least
        /// <paramref name="stableMs"/>, or the broker acknowledged a message on it (<paramref name="progressed"/>) — was
        /// healthy, so the delays start over (attempt 1). Anything else — a failed attempt, or a link that died soon after
        /// its CONNACK with nothing done, as when every connect meets a message the client cannot take — keeps growing the
        /// delay, so a loop of "connect, fail at once" slows down to the backoff maximum, while a flaky link that still
        /// carries traffic (mqtt_as's case: Wi-Fi at the edge of range) reconnects at once.
        /// </summary>
        public static int NextBackoffAttempt(int attempt, bool linkWasUp, long upForMs, long stableMs, bool progressed)
        {
            if (linkWasUp && (progressed || upForMs >= stableMs))
            {
                return 1;
            }

            // Past 30 the delay has long stopped growing (2^30 × any initial delay exceeds every maximum); stop counting.
            return attempt < 30 ? attempt + 1 : attempt;
        }

        /// <summary>MQTT 5's Session Expiry Interval that never ends (0xFFFFFFFF) [MQTT-3.1.2-11 and section 3.1.2.11.2].</summary>
        public const long SessionNeverExpires = 4294967295L;

        /// <summary>
        /// The Client Identifier a CONNECT carries: the configured one, or, when that is empty and an MQTT 5 broker assigned
        /// one in an earlier CONNACK (Assigned Client Identifier), that one, so a reconnect resumes the same session
        /// [MQTT-3.2.2-16]; null <paramref name="assigned"/>: none was assigned.
        /// </summary>
        public static string ClientIdentifier(string configured, string assigned)
        {
            return configured.Length == 0 && assigned != null && assigned.Length > 0 ? assigned : configured;
        }

        /// <summary>
        /// The Session Expiry Interval, in seconds, an MQTT 5 CONNECT asks for: the application's (<paramref name="configuredSeconds"/>,
        /// -1 when it set none), or 3.1.1's meaning of Clean Session — a client that asks for a clean session on every connect
        /// keeps nothing after a link (0), any other keeps its session for good. A client that starts clean only on its
        /// first connect keeps the session from that first link on, which 3.1.1 cannot do [MQTT-3.1.2-6].
        /// </summary>
        public static long SessionExpirySeconds(bool cleanEveryConnect, long configuredSeconds)
        {
            if (configuredSeconds >= 0)
            {
                return configuredSeconds;
            }

            return cleanEveryConnect ? 0 : SessionNeverExpires;
        }
    }
}
