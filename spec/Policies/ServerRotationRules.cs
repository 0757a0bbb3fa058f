// Oblivious on purpose: the nano builds of these sources have no nullable context, and ReferenceToFollow returns null for "go on with the list".
#nullable disable
namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// Broker failover as pure functions: which of the configured servers the next attempt dials, how the backoff grows
    /// with a list of servers, and which MQTT 5 Server Reference [MQTT-4.11] is followed. With one server every rule is
    /// the identity of the single-broker client: the same server, and the backoff of <see cref="BackoffRules"/> unchanged.
    /// </summary>
    public static class ServerRotationRules
    {
        /// <summary>
        /// The server the attempt after a failure dials: the next in the list, wrapping round. A failure of any kind moves
        /// on (a refused TCP connect, a lost link, a CONNACK refusal that may be retried), so a dead broker is never dialled
        /// twice in a row while another is listed.
        /// </summary>
        public static int NextServer(int current, int serverCount)
        {
            if (serverCount <= 1)
            {
                return 0;
            }

            int next = current + 1;
            return next >= serverCount ? 0 : next;
        }

        /// <summary>
        /// The backoff attempt to wait for, given the engine's count of consecutive failures (<paramref name="failures"/>, as
        /// ConnectRules.NextBackoffAttempt counts them): the delay grows once per full round of the list, not per server,
        /// so every server is tried at the short delay before any of them is waited for longer. Failures 1..n are round 1,
        /// n+1..2n round 2, and so on; with one server the round is the failure count itself.
        /// </summary>
        public static int BackoffAttempt(int failures, int serverCount)
        {
            if (failures < 1)
            {
                return 1;
            }

            int count = serverCount < 1 ? 1 : serverCount;
            return ((failures - 1) / count) + 1;
        }

        /// <summary>
        /// The Server Reference to dial next, or null to go on with the list: only when the user enabled following it, and
        /// only a non-empty one. A reference may name several servers separated by spaces [MQTT-4.11]; the first is taken.
        /// </summary>
        public static string ReferenceToFollow(bool follow, string serverReference)
        {
            if (!follow || serverReference == null)
            {
                return null;
            }

            string trimmed = serverReference.Trim();
            if (trimmed.Length == 0)
            {
                return null;
            }

            int space = trimmed.IndexOf(' ');
            return space < 0 ? trimmed : trimmed.Substring(0, space);
        }
    }
}
