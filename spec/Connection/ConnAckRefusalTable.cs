// Oblivious on purpose: the nano builds of these sources have no nullable context, and Find returns null for an unknown code.
#nullable disable
using V = StateMachineMqtt.Spec.MqttProtocolVersion;

namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// What each CONNACK refusal means to the Connection machine, by version: retryable (the broker's state, which time can
    /// change: ConnAckRefusedRetryable backs off and tries again) or fatal (the client's configuration: ConnAckRefusedFatal
    /// ends a first connect with the code). A code the table does not list is fatal.
    /// </summary>
    public static class ConnAckRefusalTable
    {
        /// <summary>Returns a fresh copy of the rows.</summary>
        public static ConnAckRefusalRow[] CreateRows()
        {
            return new ConnAckRefusalRow[]
            {
                R(V.V311, 0x01, "unacceptable protocol version", false, "The broker does not speak 3.1.1: a setting must change"),
                R(V.V311, 0x02, "identifier rejected", false, "The client identifier must change"),
                R(V.V311, 0x03, "server unavailable", true, "The MQTT service may come back"),
                R(V.V311, 0x04, "bad user name or password", false, "The credentials must change"),
                R(V.V311, 0x05, "not authorized", false, "The broker's configuration or the credentials must change"),

                R(V.V500, 0x80, "Unspecified error", true, "Nothing says retrying cannot help: back off and try again"),
                R(V.V500, 0x81, "Malformed Packet", false, "The broker could not parse our CONNECT: retrying sends the same bytes"),
                R(V.V500, 0x82, "Protocol Error", false, "The broker judged our CONNECT wrong: retrying sends the same packet"),
                R(V.V500, 0x83, "Implementation specific error", false, "The broker refuses what we sent, for reasons of its own"),
                R(V.V500, 0x84, "Unsupported Protocol Version", false, "The broker does not speak MQTT 5: choose MQTT 3.1.1"),
                R(V.V500, 0x85, "Client Identifier not valid", false, "The client identifier must change"),
                R(V.V500, 0x86, "Bad User Name or Password", false, "The credentials must change"),
                R(V.V500, 0x87, "Not authorized", false, "The broker's configuration or the credentials must change"),
                R(V.V500, 0x88, "Server unavailable", true, "The MQTT service may come back"),
                R(V.V500, 0x89, "Server busy", true, "The broker may have room later"),
                R(V.V500, 0x8A, "Banned", false, "An administrator must lift the ban"),
                R(V.V500, 0x8C, "Bad authentication method", false, "The authentication method must change"),
                R(V.V500, 0x90, "Topic Name invalid", false, "The Will topic must change"),
                R(V.V500, 0x95, "Packet too large", false, "The CONNECT (its Will) must shrink"),
                R(V.V500, 0x97, "Quota exceeded", true, "The quota may free up later"),
                R(V.V500, 0x99, "Payload format invalid", false, "The Will payload must match its format indicator"),
                R(V.V500, 0x9A, "Retain not supported", false, "The Will must not be retained"),
                R(V.V500, 0x9B, "QoS not supported", false, "The Will's QoS must be lowered"),
                R(V.V500, 0x9C, "Use another server", false, "The broker sends us elsewhere (its Server Reference): this server will not take us"),
                R(V.V500, 0x9D, "Server moved", false, "The broker moved for good (its Server Reference): this server will not take us"),
                R(V.V500, 0x9F, "Connection rate exceeded", true, "Backing off is the cure"),
            };
        }

        /// <summary>The row for <paramref name="code"/> in <paramref name="version"/>, or null when that version defines no such refusal.</summary>
        public static ConnAckRefusalRow Find(ConnAckRefusalRow[] rows, MqttProtocolVersion version, int code)
        {
            for (int i = 0; i < rows.Length; i++)
            {
                if (rows[i].Version == version && rows[i].Code == code)
                {
                    return rows[i];
                }
            }

            return null;
        }

        private static ConnAckRefusalRow R(V version, int code, string name, bool retryable, string why)
        {
            return new ConnAckRefusalRow(version, code, name, retryable, why);
        }
    }
}
