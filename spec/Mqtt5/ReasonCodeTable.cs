// Oblivious on purpose: the nano builds of these sources have no nullable context, and Find returns null for an unknown code.
#nullable disable
using C = StateMachineMqtt.Spec.PropertyContext;

namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// The MQTT 5 reason codes as data (section 2.4, table 2-6): each code and the packets it may appear in. A code a packet
    /// may not carry is a protocol error [MQTT-2.4]; a failure (0x80 and up) on an acknowledgement fails what it answers.
    /// </summary>
    public static class ReasonCodeTable
    {
        private const C PublishAcks = C.PubAck | C.PubRec;
        private const C Refusals = C.ConnAck | PublishAcks | C.SubAck | C.UnsubAck | C.Disconnect;

        /// <summary>Returns a fresh copy of the rows.</summary>
        public static ReasonCodeRow[] CreateRows()
        {
            return new ReasonCodeRow[]
            {
                R(0x00, "Success", C.ConnAck | PublishAcks | C.PubRel | C.PubComp | C.UnsubAck | C.Auth | C.Disconnect | C.SubAck),
                R(0x01, "Granted QoS 1", C.SubAck),
                R(0x02, "Granted QoS 2", C.SubAck),
                R(0x04, "Disconnect with Will Message", C.Disconnect),
                R(0x10, "No matching subscribers", PublishAcks),
                R(0x11, "No subscription existed", C.UnsubAck),
                R(0x18, "Continue authentication", C.Auth),
                R(0x19, "Re-authenticate", C.Auth),
                R(0x80, "Unspecified error", Refusals),
                R(0x81, "Malformed Packet", C.ConnAck | C.Disconnect),
                R(0x82, "Protocol Error", C.ConnAck | C.Disconnect),
                R(0x83, "Implementation specific error", Refusals),
                R(0x84, "Unsupported Protocol Version", C.ConnAck),
                R(0x85, "Client Identifier not valid", C.ConnAck),
                R(0x86, "Bad User Name or Password", C.ConnAck),
                R(0x87, "Not authorized", Refusals),
                R(0x88, "Server unavailable", C.ConnAck),
                R(0x89, "Server busy", C.ConnAck | C.Disconnect),
                R(0x8A, "Banned", C.ConnAck),
                R(0x8B, "Server shutting down", C.Disconnect),
                R(0x8C, "Bad authentication method", C.ConnAck | C.Disconnect),
                R(0x8D, "Keep Alive timeout", C.Disconnect),
                R(0x8E, "Session taken over", C.Disconnect),
                R(0x8F, "Topic Filter invalid", C.SubAck | C.UnsubAck | C.Disconnect),
                R(0x90, "Topic Name invalid", C.ConnAck | PublishAcks | C.Disconnect),
                R(0x91, "Packet Identifier in use", PublishAcks | C.SubAck | C.UnsubAck),
                R(0x92, "Packet Identifier not found", C.PubRel | C.PubComp),
                R(0x93, "Receive Maximum exceeded", C.Disconnect),
                R(0x94, "Topic Alias invalid", C.Disconnect),
                R(0x95, "Packet too large", C.ConnAck | C.Disconnect),
                R(0x96, "Message rate too high", C.Disconnect),
                R(0x97, "Quota exceeded", C.ConnAck | PublishAcks | C.SubAck | C.Disconnect),
                R(0x98, "Administrative action", C.Disconnect),
                R(0x99, "Payload format invalid", C.ConnAck | PublishAcks | C.Disconnect),
                R(0x9A, "Retain not supported", C.ConnAck | C.Disconnect),
                R(0x9B, "QoS not supported", C.ConnAck | C.Disconnect),
                R(0x9C, "Use another server", C.ConnAck | C.Disconnect),
                R(0x9D, "Server moved", C.ConnAck | C.Disconnect),
                R(0x9E, "Shared Subscriptions not supported", C.SubAck | C.Disconnect),
                R(0x9F, "Connection rate exceeded", C.ConnAck | C.Disconnect),
                R(0xA0, "Maximum connect time", C.Disconnect),
                R(0xA1, "Subscription Identifiers not supported", C.SubAck | C.Disconnect),
                R(0xA2, "Wildcard Subscriptions not supported", C.SubAck | C.Disconnect),
            };
        }

        /// <summary>The row for <paramref name="code"/>, or null for a value MQTT 5 does not define.</summary>
        public static ReasonCodeRow Find(ReasonCodeRow[] rows, int code)
        {
            for (int i = 0; i < rows.Length; i++)
            {
                if (rows[i].Code == code)
                {
                    return rows[i];
                }
            }

            return null;
        }

        /// <summary>True when <paramref name="code"/> is defined and may appear in <paramref name="packet"/>.</summary>
        public static bool IsAllowed(ReasonCodeRow[] rows, int code, PropertyContext packet)
        {
            ReasonCodeRow row = Find(rows, code);
            return row != null && (row.Packets & packet) != 0;
        }

        private static ReasonCodeRow R(int code, string name, C packets)
        {
            return new ReasonCodeRow(code, name, packets);
        }
    }
}
