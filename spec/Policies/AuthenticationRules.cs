// Oblivious on purpose: the nano builds of these sources have no nullable context, and the rules return null for "nothing wrong".
#nullable disable
namespace StateMachineMqtt.Spec
{
    /// <summary>How a broker's AUTH or CONNACK reads for MQTT 5 enhanced authentication (section 4.12).</summary>
    public static class AuthenticationRules
    {
        /// <summary>AUTH reason code 0x00 Success.</summary>
        public const int Success = 0x00;

        /// <summary>AUTH reason code 0x18 Continue authentication.</summary>
        public const int ContinueAuthentication = 0x18;

        /// <summary>AUTH reason code 0x19 Re-authenticate (client to server only).</summary>
        public const int Reauthenticate = 0x19;

        /// <summary>
        /// The trigger a broker's AUTH with <paramref name="reasonCode"/> and <paramref name="method"/> fires, for a client
        /// whose CONNECT named <paramref name="ours"/>: every AUTH must name that method [MQTT-4.12.0-5], and 0x19 is the
        /// client's to send (3.15.2.1).
        /// </summary>
        public static AuthenticationTrigger Classify(int reasonCode, string method, string ours)
        {
            if (method == null || method != ours)
            {
                return AuthenticationTrigger.ServerInvalid;
            }

            if (reasonCode == ContinueAuthentication)
            {
                return AuthenticationTrigger.ServerContinue;
            }

            return reasonCode == Success ? AuthenticationTrigger.ServerSuccess : AuthenticationTrigger.ServerInvalid;
        }

        /// <summary>
        /// What is wrong with an accepting CONNACK's Authentication Method <paramref name="theirs"/> for a CONNECT that named
        /// <paramref name="ours"/> (null: none), or null when nothing is.
        /// </summary>
        public static string ConnAckProblem(string ours, string theirs)
        {
            if (ours == null)
            {
                return theirs == null ? null : "the CONNACK names Authentication Method '" + theirs + "', but the CONNECT named none [MQTT-4.12.0-6]";
            }

            return theirs == ours ? null : "the CONNACK names Authentication Method '" + (theirs == null ? "(none)" : theirs) + "', not the CONNECT's '" + ours + "' [MQTT-4.12.0-5]";
        }
    }
}
