namespace StateMachineMqtt.Engine
{
    /// <summary>Why a call failed, for the driver to turn into the right exception.</summary>
    public enum FailureKind
    {
        /// <summary>Not a failure.</summary>
        None,
        /// <summary>The broker's address cannot be used (unknown host, unsupported address family) before any success.</summary>
        Configuration,
        /// <summary>CONNACK refused the connection with a return code that retrying will not fix (<see cref="EngineEvent.ReturnCode"/>).</summary>
        Refused,
        /// <summary>DisconnectAsync abandoned the connect.</summary>
        Abandoned,
        /// <summary>A disconnect is still in progress: the connect must wait for it.</summary>
        DisconnectInProgress,
        /// <summary>The client was disposed before the call completed.</summary>
        Disposed,
        /// <summary>The broker refused the subscription to <see cref="EngineEvent.Filter"/>: SUBACK 0x80, or in MQTT 5 any code from 0x80 (<see cref="EngineEvent.ReturnCode"/>).</summary>
        SubscriptionRefused,
        /// <summary>The outbound queue is full and the policy is Reject.</summary>
        QueueFull,
        /// <summary>MQTT 5: the broker refused the message in its PUBACK or PUBREC (<see cref="EngineEvent.ReturnCode"/> is the reason code, 0x80 and up).</summary>
        PublishRefused,
        /// <summary>MQTT 5: a re-authentication failed: the authenticator failed, the broker did not finish it in time, or the link closed first (the reason says which).</summary>
        AuthenticationFailed,
        /// <summary>
        /// The first connect's bound (time or attempts) was reached without a CONNACK accepting the client; the event's
        /// reason, socket error and return code are the last attempt's.
        /// </summary>
        GaveUp,

        /// <summary>
        /// MQTT 5: the message's PUBLISH is larger than the Maximum Packet Size the broker gave in its CONNACK, so it was not
        /// sent on that link [MQTT-3.2.2-15] (it was accepted before that limit was known).
        /// </summary>
        TooLarge,

        /// <summary>
        /// MQTT 5: the broker refused to unsubscribe <see cref="EngineEvent.Filter"/>, with UNSUBACK reason code
        /// <see cref="EngineEvent.ReturnCode"/> (0x80 and up); the client no longer restores that subscription either way.
        /// </summary>
        UnsubscribeRefused,
    }
}
