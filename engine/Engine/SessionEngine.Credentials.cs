using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// Credentials and TLS verdicts as data from the driver: the driver fetches the user name and password before it opens
    /// each link (a token refreshed per connect) and hands them here; the CONNECT for that link carries them. A failure to
    /// get them, or a TLS failure, is classified by spec/'s rules, never by the driver.
    /// </summary>
    public sealed partial class SessionEngine
    {
        private int _credentialsLink;
        private string _credentialsUserName;
        private byte[] _credentialsPassword;

        /// <summary>True once a CONNACK has accepted the client since the last Connect from Idle or Closed (what a credentials provider is told).</summary>
        public bool HasConnected
        {
            get { return _hasConnected; }
        }

        /// <summary>
        /// The credentials for link <paramref name="link"/>, fetched by the driver before it opened it: its CONNECT carries
        /// them (null for none). They are held for that link only, and never appear in any event or reason.
        /// </summary>
        public void HandleCredentials(int link, string userName, byte[] password, long now)
        {
            _now = now;
            if (!IsCurrent(link))
            {
                return;
            }

            _credentialsLink = link;
            _credentialsUserName = userName;
            _credentialsPassword = password;
        }

        /// <summary>
        /// The driver could not get credentials for link <paramref name="link"/> (the application's provider failed): the
        /// link is never opened. A configuration error: the first connect fails with <paramref name="description"/> at
        /// once, later ones are an outage and retried (the Connection table's ConfigurationError rows).
        /// </summary>
        public void HandleCredentialsFailed(int link, string description, long now)
        {
            _now = now;
            if (IsCurrent(link) && !_linkOpen)
            {
                FireConnection(ConnectionTrigger.ConfigurationError, "the credentials provider failed: " + description, 0);
            }
        }

        /// <summary>
        /// TLS on link <paramref name="link"/> failed with <paramref name="failure"/>; <paramref name="description"/> says
        /// what the driver saw. <see cref="TlsFailureRules"/> says what it means; the reason given names the failure, what
        /// was seen, and what to do.
        /// </summary>
        public void HandleTlsFailure(int link, TlsFailure failure, string description, long now)
        {
            _now = now;
            if (!IsCurrent(link))
            {
                return;
            }

            string reason = "TLS: " + TlsFailureRules.Name(failure) + " (" + description + "); " + TlsFailureRules.Advice(failure);
            FireConnection(TlsFailureRules.Trigger(failure, _linkOpen), reason, 0);
        }

        /// <summary>Puts this link's credentials, if the driver gave any, on its CONNECT.</summary>
        private void AddCredentials(ref EngineAction connect)
        {
            if (_credentialsLink == _link)
            {
                connect.CredentialsGiven = true;
                connect.UserName = _credentialsUserName;
                connect.Password = _credentialsPassword;
            }
        }

        /// <summary>Forgets the credentials once their link is gone: a password is held no longer than it is needed.</summary>
        private void ForgetCredentials()
        {
            _credentialsLink = 0;
            _credentialsUserName = null;
            _credentialsPassword = null;
        }
    }
}
