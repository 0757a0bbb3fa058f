namespace StateMachineMqtt.Spec
{
    /// <summary>Named conditions on Connection rows; core/ binds each name to code.</summary>
    public enum ConnectionGuard
    {
        /// <summary>Always true.</summary>
        None,
        /// <summary>No CONNACK has ever accepted this client since ConnectAsync: errors of configuration fail fast.</summary>
        NeverConnected,
        /// <summary>The client has been connected before: every failure is treated as an outage and retried.</summary>
        HasConnectedBefore,
        /// <summary>Every CONNECT sent since the last accepted CONNACK was answered: "session present" can be believed.</summary>
        SessionTrusted,
        /// <summary>
        /// A CONNECT went unanswered (the link died first), so the broker may have made a new, empty session then, and now
        /// reports it as present: subscriptions must be restored anyway (I8).
        /// </summary>
        SessionInDoubt,
        /// <summary>Another attempt may start: the client has connected before, or the first connect's bound is not yet reached.</summary>
        RetryAllowed,
        /// <summary>
        /// Never connected since ConnectAsync, and the first connect's bound (a time or a number of attempts, when the
        /// application set one) is reached: ConnectAsync fails with the last attempt's error.
        /// </summary>
        FirstConnectBoundReached,
    }
}
