using S = StateMachineMqtt.Spec.AuthenticationState;
using T = StateMachineMqtt.Spec.AuthenticationTrigger;
using G = StateMachineMqtt.Spec.AuthenticationGuard;
using E = StateMachineMqtt.Spec.AuthenticationEffect;

namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// MQTT 5 enhanced authentication as data (section 4.12). The client names its Authentication Method in CONNECT with the
    /// authenticator's first data; the broker may challenge with AUTH 0x18, each answered by AUTH 0x18, until its CONNACK
    /// accepts [MQTT-4.12.0-2]/[MQTT-4.12.0-3]. Once connected the client may re-authenticate with AUTH 0x19 at any time,
    /// while other packets go on flowing [MQTT-4.12.1-1]; the broker ends it with AUTH 0x00, or with DISCONNECT if it
    /// refuses [MQTT-4.12.1-2]. The authenticator (the application's) computes every data; the table decides when.
    /// </summary>
    public static class AuthenticationTable
    {
        /// <summary>The initial state.</summary>
        public const AuthenticationState Initial = AuthenticationState.Idle;

        /// <summary>Returns a fresh copy of the rows.</summary>
        public static AuthenticationTransition[] CreateRows()
        {
            return new AuthenticationTransition[]
            {
                // Idle: no exchange under way.
                R(S.Idle, T.LinkOpened, S.ConnectStarting, G.None, E.AskToStart, "CONNECT names the method and carries the authenticator's first data (3.1.2.11.9, 3.1.2.11.10)"),
                R(S.Idle, T.ServerContinue, S.Idle, G.None, E.Violation, "[MQTT-4.12.1-1] only the client starts a re-authentication: an AUTH it did not ask for breaks the protocol"),
                R(S.Idle, T.ServerSuccess, S.Idle, G.None, E.Violation, "[MQTT-4.12.1-1] an AUTH the client did not ask for breaks the protocol"),
                R(S.Idle, T.ServerInvalid, S.Idle, G.None, E.Violation, "[MQTT-4.12.0-5] every AUTH names the CONNECT's method; 0x19 comes only from a client"),
                R(S.Idle, T.AnswerReady, S.Idle, G.None, E.None, "The authenticator accepted the broker's final data"),
                R(S.Idle, T.AnswerFailed, S.Idle, G.None, E.AuthenticatorFailed, "The authenticator refused the broker's final data (mutual authentication failed): do not trust the link"),
                R(S.Idle, T.Reauthenticate, S.ReauthStarting, G.Connected, E.AskToStart, "[MQTT-4.12.1-1] re-authenticate at any time after CONNACK: first ask the authenticator for fresh data"),
                R(S.Idle, T.Reauthenticate, S.Idle, G.NotConnected, E.HoldForConnect, "Not connected: the next CONNECT authenticates afresh, and its CONNACK completes the request"),
                R(S.Idle, T.ResponseTimeout, S.Idle, G.None, E.None, "A deadline that fired as the exchange ended"),
                R(S.Idle, T.LinkDown, S.Idle, G.None, E.None, "Nothing under way"),

                // ConnectStarting: CONNECT waits for the authenticator's first data (the Connection's response time runs).
                R(S.ConnectStarting, T.AnswerReady, S.Connecting, G.None, E.SendConnect, "CONNECT goes with the method and the first data; nothing is sent before it [MQTT-3.1.0-1]"),
                R(S.ConnectStarting, T.AnswerFailed, S.Idle, G.None, E.AuthenticatorFailed, "No CONNECT can be made: a configuration error, fatal on a first connect"),
                R(S.ConnectStarting, T.ServerContinue, S.Idle, G.None, E.Violation, "[MQTT-3.2.0-1] nothing may come before CONNACK, let alone before CONNECT"),
                R(S.ConnectStarting, T.ServerSuccess, S.Idle, G.None, E.Violation, "[MQTT-3.2.0-1] nothing may come before CONNACK"),
                R(S.ConnectStarting, T.ServerInvalid, S.Idle, G.None, E.Violation, "[MQTT-3.2.0-1] nothing may come before CONNACK"),
                R(S.ConnectStarting, T.ConnAckAccepted, S.Idle, G.None, E.Violation, "[MQTT-3.2.0-1] a CONNACK before CONNECT answers nothing"),
                R(S.ConnectStarting, T.Reauthenticate, S.ConnectStarting, G.None, E.HoldForConnect, "This CONNECT authenticates afresh: the request completes with its CONNACK"),
                R(S.ConnectStarting, T.LinkDown, S.Idle, G.None, E.None, "The attempt failed; the next link starts again"),

                // Connecting: CONNECT sent.
                R(S.Connecting, T.ServerContinue, S.ConnectAnswering, G.None, E.AskToContinue, "[MQTT-4.12.0-2] the broker needs more: ask the authenticator to answer its challenge"),
                R(S.Connecting, T.ServerSuccess, S.Idle, G.None, E.Violation, "A CONNECT is accepted by CONNACK, not by AUTH 0x00 (4.12)"),
                R(S.Connecting, T.ServerInvalid, S.Idle, G.None, E.Violation, "[MQTT-4.12.0-5] every AUTH names the CONNECT's method; 0x19 comes only from a client"),
                R(S.Connecting, T.ConnAckAccepted, S.Idle, G.None, E.Complete, "[MQTT-4.12.0-5] CONNACK 0x00 with the same method accepts: the authenticator may check the broker's final data"),
                R(S.Connecting, T.Reauthenticate, S.Connecting, G.None, E.HoldForConnect, "This CONNECT authenticates afresh: the request completes with its CONNACK"),
                R(S.Connecting, T.LinkDown, S.Idle, G.None, E.None, "Refused or lost before CONNACK [MQTT-4.12.0-4]: the next link starts again"),

                // ConnectAnswering: the authenticator answers the broker's challenge.
                R(S.ConnectAnswering, T.AnswerReady, S.Connecting, G.None, E.SendContinue, "[MQTT-4.12.0-3] the answer goes in AUTH 0x18"),
                R(S.ConnectAnswering, T.AnswerFailed, S.Idle, G.None, E.AuthenticatorFailed, "No answer can be made: a configuration error, fatal on a first connect"),
                R(S.ConnectAnswering, T.ServerContinue, S.Idle, G.None, E.Violation, "The broker must wait for the answer to its challenge [MQTT-4.12.0-3]"),
                R(S.ConnectAnswering, T.ServerSuccess, S.Idle, G.None, E.Violation, "A CONNECT is accepted by CONNACK, not by AUTH 0x00 (4.12)"),
                R(S.ConnectAnswering, T.ServerInvalid, S.Idle, G.None, E.Violation, "[MQTT-4.12.0-5] every AUTH names the CONNECT's method; 0x19 comes only from a client"),
                R(S.ConnectAnswering, T.ConnAckAccepted, S.Idle, G.None, E.Complete, "The broker accepted without the answer: it is not needed any more"),
                R(S.ConnectAnswering, T.Reauthenticate, S.ConnectAnswering, G.None, E.HoldForConnect, "This CONNECT authenticates afresh: the request completes with its CONNACK"),
                R(S.ConnectAnswering, T.LinkDown, S.Idle, G.None, E.None, "The attempt failed; the next link starts again"),

                // ReauthStarting: connected; the authenticator prepares AUTH 0x19. Other packets go on flowing.
                R(S.ReauthStarting, T.AnswerReady, S.Reauthenticating, G.Connected, E.SendReauthenticate, "[MQTT-4.12.1-1] AUTH 0x19 with the same method and the fresh data"),
                R(S.ReauthStarting, T.AnswerReady, S.Idle, G.NotConnected, E.AbandonReauthentication, "The client began to disconnect meanwhile: nothing may follow DISCONNECT [MQTT-3.14.4-2]"),
                R(S.ReauthStarting, T.AnswerFailed, S.Idle, G.None, E.AuthenticatorFailed, "No fresh data: the link keeps its old authentication only until the broker's own limit, so end it and connect afresh"),
                R(S.ReauthStarting, T.ServerContinue, S.Idle, G.None, E.Violation, "[MQTT-4.12.1-1] the broker cannot answer an AUTH 0x19 not yet sent"),
                R(S.ReauthStarting, T.ServerSuccess, S.Idle, G.None, E.Violation, "[MQTT-4.12.1-1] the broker cannot answer an AUTH 0x19 not yet sent"),
                R(S.ReauthStarting, T.ServerInvalid, S.Idle, G.None, E.Violation, "[MQTT-4.12.0-5] every AUTH names the CONNECT's method; 0x19 comes only from a client"),
                R(S.ReauthStarting, T.Reauthenticate, S.ReauthStarting, G.None, E.None, "Joins the re-authentication under way"),
                R(S.ReauthStarting, T.ResponseTimeout, S.Idle, G.None, E.Overdue, "The authenticator did not answer within the response time"),
                R(S.ReauthStarting, T.LinkDown, S.Idle, G.None, E.FailReauthentication, "The link closed first: the waiting calls fail with its reason; the next CONNECT authenticates afresh"),

                // Reauthenticating: AUTH 0x19 or an answer sent.
                R(S.Reauthenticating, T.ServerContinue, S.ReauthAnswering, G.None, E.AskToContinue, "[MQTT-4.12.1-1] the broker needs more: ask the authenticator to answer its challenge"),
                R(S.Reauthenticating, T.ServerSuccess, S.Idle, G.None, E.Complete, "[MQTT-4.12.1-1] AUTH 0x00 ends the re-authentication: the authenticator may check the broker's final data"),
                R(S.Reauthenticating, T.ServerInvalid, S.Idle, G.None, E.Violation, "[MQTT-4.12.0-5] every AUTH names the CONNECT's method; 0x19 comes only from a client"),
                R(S.Reauthenticating, T.Reauthenticate, S.Reauthenticating, G.None, E.None, "Joins the re-authentication under way"),
                R(S.Reauthenticating, T.ResponseTimeout, S.Idle, G.None, E.Overdue, "The broker did not finish the re-authentication within the response time: the link is not working"),
                R(S.Reauthenticating, T.LinkDown, S.Idle, G.None, E.FailReauthentication, "[MQTT-4.12.1-2] a refused re-authentication ends with DISCONNECT and the link: the waiting calls fail with its reason"),

                // ReauthAnswering: the authenticator answers the broker's challenge to a re-authentication.
                R(S.ReauthAnswering, T.AnswerReady, S.Reauthenticating, G.Connected, E.SendContinue, "[MQTT-4.12.0-3] the answer goes in AUTH 0x18"),
                R(S.ReauthAnswering, T.AnswerReady, S.Idle, G.NotConnected, E.AbandonReauthentication, "The client began to disconnect meanwhile: nothing may follow DISCONNECT [MQTT-3.14.4-2]"),
                R(S.ReauthAnswering, T.AnswerFailed, S.Idle, G.None, E.AuthenticatorFailed, "No answer can be made: end the link and connect afresh"),
                R(S.ReauthAnswering, T.ServerContinue, S.Idle, G.None, E.Violation, "The broker must wait for the answer to its challenge [MQTT-4.12.0-3]"),
                R(S.ReauthAnswering, T.ServerSuccess, S.Idle, G.None, E.Violation, "The broker must wait for the answer to its challenge [MQTT-4.12.0-3]"),
                R(S.ReauthAnswering, T.ServerInvalid, S.Idle, G.None, E.Violation, "[MQTT-4.12.0-5] every AUTH names the CONNECT's method; 0x19 comes only from a client"),
                R(S.ReauthAnswering, T.Reauthenticate, S.ReauthAnswering, G.None, E.None, "Joins the re-authentication under way"),
                R(S.ReauthAnswering, T.ResponseTimeout, S.Idle, G.None, E.Overdue, "The authenticator did not answer within the response time"),
                R(S.ReauthAnswering, T.LinkDown, S.Idle, G.None, E.FailReauthentication, "The link closed first: the waiting calls fail with its reason; the next CONNECT authenticates afresh"),
            };
        }

        private static AuthenticationTransition R(S from, T trigger, S to, G guard, E effect, string rule)
        {
            return new AuthenticationTransition(from, trigger, to, guard, effect, rule);
        }
    }
}
