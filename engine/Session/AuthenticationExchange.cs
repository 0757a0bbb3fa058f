using System.Collections;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// What MQTT 5 enhanced authentication needs beyond the tables: its machine, the calls waiting for a re-authentication,
    /// the number of the last question put to the authenticator (an answer to an older one is stale) and the deadline of a
    /// re-authentication. One object, made at the first CONNECT of a client that names a method, so a client that names
    /// none (every device) holds one null reference for it.
    /// </summary>
    internal sealed class AuthenticationExchange
    {
        public AuthenticationExchange(IAuthenticationMachine machine)
        {
            Machine = machine;
        }

        /// <summary>The machine.</summary>
        public IAuthenticationMachine Machine { get; }

        /// <summary>The re-authentication calls not yet completed or failed.</summary>
        public readonly ArrayList Callers = new ArrayList();

        /// <summary>The number of the last question put to the authenticator; its answer must give it back.</summary>
        public int Question;

        /// <summary>The last question was answered (or failed): a second answer to it is ignored, as a stale one is.</summary>
        public bool Answered;

        /// <summary>When a re-authentication under way is overdue, or <see cref="SessionEngine.Never"/>.</summary>
        public long Deadline = SessionEngine.Never;

        /// <summary>The state's name without reflection (nano has no Enum.ToString of names).</summary>
        public string StateName()
        {
            switch (Machine.State)
            {
                case AuthenticationState.Idle: return "Idle";
                case AuthenticationState.ConnectStarting: return "ConnectStarting";
                case AuthenticationState.Connecting: return "Connecting";
                case AuthenticationState.ConnectAnswering: return "ConnectAnswering";
                case AuthenticationState.ReauthStarting: return "ReauthStarting";
                case AuthenticationState.Reauthenticating: return "Reauthenticating";
                default: return "ReauthAnswering";
            }
        }
    }
}
