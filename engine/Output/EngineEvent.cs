namespace StateMachineMqtt.Engine
{
    /// <summary>One event for the application, from <see cref="SessionEngine.PollEvent"/>; a plain carrier (a struct).</summary>
    public struct EngineEvent
    {
        /// <summary>What happened.</summary>
        public EventKind Kind;

        /// <summary>The caller's object given with the command (a connect, publish, request or disconnect), or null.</summary>
        public object Caller;

        /// <summary>For people: why, in a sentence.</summary>
        public string Reason;

        /// <summary>Why a call failed.</summary>
        public FailureKind Failure;

        /// <summary>LinkUp: the broker resumed the session.</summary>
        public bool SessionPresent;

        /// <summary>
        /// A refused CONNACK's return code; for LinkDown, the reason code of the broker's MQTT 5 DISCONNECT that ended the
        /// link; -1 when none.
        /// </summary>
        public int ReturnCode;

        /// <summary>A completed SUBSCRIBE: the QoS granted to its first filter.</summary>
        public int Granted;

        /// <summary>A refused subscription's filter (MQTT 5: or a refused unsubscription's).</summary>
        public string Filter;

        /// <summary>The socket error behind a link loss or a failed connect, or 0.</summary>
        public int SocketError;

        /// <summary>LinkDown and ConnectAttemptFailed: the client will try again, after <see cref="DelayMs"/>.</summary>
        public bool WillRetry;

        /// <summary>With <see cref="WillRetry"/>: the delay before the next attempt, in ms.</summary>
        public long DelayMs;

        /// <summary>ConnectAttemptFailed: which attempt of this connect it was (1 for the first), counted since ConnectAsync from Idle or Closed.</summary>
        public int Attempt;

        /// <summary>LinkUp, LinkDown and ConnectAttemptFailed: the configured server (0 for the first) that link or attempt dialled.</summary>
        public int Server;

        /// <summary>LinkUp, LinkDown and ConnectAttemptFailed: the Server Reference that link or attempt dialled in place of <see cref="Server"/>, or null.</summary>
        public string ServerReference;
    }
}
