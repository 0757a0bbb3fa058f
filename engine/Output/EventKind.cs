namespace StateMachineMqtt.Engine
{
    /// <summary>What happened that the application (or the driver's API) must hear about.</summary>
    public enum EventKind
    {
        /// <summary>A CONNACK accepted the client: every pending connect call completes.</summary>
        ConnectCompleted,
        /// <summary>A connect call failed: a configuration error or a fatal refusal (<see cref="EngineEvent.Failure"/>).</summary>
        ConnectFailed,
        /// <summary>One attempt to connect failed and the client will retry after a backoff (the reason says why).</summary>
        ConnectAttemptFailed,
        /// <summary>The link is up: CONNACK accepted it (<see cref="EngineEvent.SessionPresent"/>).</summary>
        LinkUp,
        /// <summary>An accepted link went down (the reason says why).</summary>
        LinkDown,
        /// <summary>A publish completed: QoS 0 written, QoS 1 acknowledged by PUBACK, QoS 2 completed by PUBCOMP.</summary>
        PublishCompleted,
        /// <summary>A publish call was cancelled: withdrawn when never sent, else only its caller stopped waiting (I1).</summary>
        PublishCancelled,
        /// <summary>A publish call failed (<see cref="EngineEvent.Failure"/>); the message is no longer held.</summary>
        PublishFailed,
        /// <summary>A SUBSCRIBE or UNSUBSCRIBE completed (<see cref="EngineEvent.Granted"/> for SUBSCRIBE).</summary>
        RequestCompleted,
        /// <summary>A request failed: the broker refused a subscription, or the client was disposed.</summary>
        RequestFailed,
        /// <summary>A request's caller cancelled: withdrawn when never sent, else the broker still applies it.</summary>
        RequestCancelled,
        /// <summary>A disconnect call completed: DISCONNECT written and the link closed (or nothing was open).</summary>
        DisconnectCompleted,
        /// <summary>The outbound queue has room again after being full: waiting publishes may be offered again.</summary>
        RoomAvailable,
        /// <summary>A QoS 0 message was dropped under a policy the user chose (<see cref="EngineEvent.Reason"/> says which).</summary>
        MessageDropped,
        /// <summary>A packet was ignored: it answered nothing open, or came while disconnecting (the reason says which).</summary>
        PacketIgnored,
        /// <summary>Every message accepted before the caller's <see cref="SessionEngine.Drain"/> has completed (acknowledged, written or failed).</summary>
        DrainCompleted,
        /// <summary>
        /// A received PUBLISH was over the maximum packet size: read past, acknowledged as its QoS requires, not delivered
        /// (<see cref="EngineEvent.Reason"/> names its topic, its size and the limit).
        /// </summary>
        MessageTooLarge,
        /// <summary>MQTT 5: a re-authentication completed: the broker's AUTH 0x00, or the CONNACK of a CONNECT that authenticated afresh.</summary>
        ReauthenticationCompleted,
        /// <summary>MQTT 5: a re-authentication failed (<see cref="EngineEvent.Failure"/>: AuthenticationFailed or Disposed).</summary>
        ReauthenticationFailed,
    }
}
