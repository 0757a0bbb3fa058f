namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// States of MQTT 5 enhanced authentication (section 4.12): the exchange of AUTH packets around CONNECT, and the
    /// re-authentications the client starts once connected. The machine exists only for a client that names an
    /// Authentication Method; one that names none never sends AUTH [MQTT-4.12.0-7] and takes any AUTH as a protocol violation.
    /// </summary>
    public enum AuthenticationState
    {
        /// <summary>No exchange under way: before a link, or once the broker has accepted the last one.</summary>
        Idle,
        /// <summary>The link is open and CONNECT is due: the authenticator is preparing the data CONNECT carries.</summary>
        ConnectStarting,
        /// <summary>CONNECT sent, naming the method: waiting for the broker's AUTH challenge or its CONNACK.</summary>
        Connecting,
        /// <summary>The broker challenged the CONNECT: the authenticator is preparing the answer.</summary>
        ConnectAnswering,
        /// <summary>Connected, a re-authentication asked for: the authenticator is preparing the data AUTH 0x19 carries.</summary>
        ReauthStarting,
        /// <summary>AUTH 0x19 (or an answer) sent: waiting for the broker's AUTH, challenge or success.</summary>
        Reauthenticating,
        /// <summary>The broker challenged the re-authentication: the authenticator is preparing the answer.</summary>
        ReauthAnswering,
    }

    /// <summary>Events of the enhanced authentication machine.</summary>
    public enum AuthenticationTrigger
    {
        /// <summary>The link is open and CONNECT is due (it waits for the authenticator's first data).</summary>
        LinkOpened,
        /// <summary>The broker sent AUTH 0x18 Continue authentication, naming the same method.</summary>
        ServerContinue,
        /// <summary>The broker sent AUTH 0x00 Success, naming the same method.</summary>
        ServerSuccess,
        /// <summary>The broker sent an AUTH no broker may send: another method [MQTT-4.12.0-5], or 0x19 Re-authenticate, which only a client sends.</summary>
        ServerInvalid,
        /// <summary>The broker accepted the CONNECT (CONNACK 0x00, naming the same method).</summary>
        ConnAckAccepted,
        /// <summary>The authenticator gave the data asked of it.</summary>
        AnswerReady,
        /// <summary>The authenticator failed (threw), or refused the broker's final data.</summary>
        AnswerFailed,
        /// <summary>The application asked for a re-authentication.</summary>
        Reauthenticate,
        /// <summary>A re-authentication was not finished within the response time.</summary>
        ResponseTimeout,
        /// <summary>The link closed.</summary>
        LinkDown,
    }

    /// <summary>Conditions on enhanced authentication rows.</summary>
    public enum AuthenticationGuard
    {
        /// <summary>Always true.</summary>
        None,
        /// <summary>The client is connected: a CONNACK accepted the current link.</summary>
        Connected,
        /// <summary>The client is not connected (no link, or one still awaiting its CONNACK).</summary>
        NotConnected,
    }

    /// <summary>Actions of enhanced authentication rows.</summary>
    public enum AuthenticationEffect
    {
        /// <summary>Nothing.</summary>
        None,
        /// <summary>Ask the authenticator for its first data (for CONNECT, or for AUTH 0x19), arming the response time.</summary>
        AskToStart,
        /// <summary>Ask the authenticator to answer the broker's challenge.</summary>
        AskToContinue,
        /// <summary>Send CONNECT with the method and the authenticator's first data (3.1.2.11.9, 3.1.2.11.10), as the Connection machine asked.</summary>
        SendConnect,
        /// <summary>Send AUTH 0x18 with the authenticator's answer [MQTT-4.12.0-3].</summary>
        SendContinue,
        /// <summary>Send AUTH 0x19 Re-authenticate with the authenticator's first data [MQTT-4.12.1-1].</summary>
        SendReauthenticate,
        /// <summary>The broker accepted: complete the waiting re-authentication calls, and let the authenticator check the broker's final data.</summary>
        Complete,
        /// <summary>Keep the re-authentication call for the next CONNECT, which authenticates afresh; it completes with that CONNACK.</summary>
        HoldForConnect,
        /// <summary>The broker broke the exchange: close the link as for any protocol violation [MQTT-4.8.0-1].</summary>
        Violation,
        /// <summary>The authenticator failed: fail the waiting calls and end the link as a configuration error (fatal on a first connect).</summary>
        AuthenticatorFailed,
        /// <summary>The re-authentication is overdue: fail the waiting calls; the link is not working.</summary>
        Overdue,
        /// <summary>The link closed mid re-authentication: fail the waiting calls with its reason [MQTT-4.12.1-2].</summary>
        FailReauthentication,
        /// <summary>The client is disconnecting, and nothing may follow its DISCONNECT [MQTT-3.14.4-2]: fail the waiting calls.</summary>
        AbandonReauthentication,
    }

    /// <summary>One row of the enhanced authentication table.</summary>
    public sealed class AuthenticationTransition
    {
        /// <summary>Creates a row.</summary>
        public AuthenticationTransition(AuthenticationState from, AuthenticationTrigger trigger, AuthenticationState to, AuthenticationGuard guard, AuthenticationEffect effect, string rule)
        {
            From = from;
            Trigger = trigger;
            To = to;
            Guard = guard;
            Effect = effect;
            Rule = rule;
        }

        /// <summary>The state the row applies in.</summary>
        public AuthenticationState From { get; }
        /// <summary>The event the row handles.</summary>
        public AuthenticationTrigger Trigger { get; }
        /// <summary>The state after the row.</summary>
        public AuthenticationState To { get; }
        /// <summary>The condition under which the row applies.</summary>
        public AuthenticationGuard Guard { get; }
        /// <summary>The action taken.</summary>
        public AuthenticationEffect Effect { get; }
        /// <summary>The normative statement or design reason the row implements.</summary>
        public string Rule { get; }
    }
}
