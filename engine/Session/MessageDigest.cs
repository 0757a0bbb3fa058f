namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// 64-bit FNV-1a digests of a received message's topic and payload: what an inbound QoS 2 exchange keeps of its message
    /// once the application has it, so a PUBLISH with the exchange's identifier but other content is known for a new
    /// message, never taken for a re-delivery (a re-delivery is the same message [MQTT-4.3.3]).
    /// </summary>
    internal static class MessageDigest
    {
        private const ulong Offset = 14695981039346656037UL;
        private const ulong Prime = 1099511628211UL;

        /// <summary>The digest of a topic name.</summary>
        public static long OfTopic(string topic)
        {
            ulong hash = Offset;
            for (int i = 0; i < topic.Length; i++)
            {
                hash = (hash ^ topic[i]) * Prime;
            }

            return (long)hash;
        }

        /// <summary>The digest of a payload.</summary>
        public static long OfPayload(byte[] payload)
        {
            ulong hash = Offset;
            for (int i = 0; i < payload.Length; i++)
            {
                hash = (hash ^ payload[i]) * Prime;
            }

            return (long)hash;
        }
    }
}
