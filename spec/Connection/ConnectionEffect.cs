namespace StateMachineMqtt.Spec
{
    /// <summary>Named actions of Connection rows; core/ and nano-port/ bind each name to code.</summary>
    public enum ConnectionEffect
    {
        /// <summary>Nothing.</summary>
        None,
        /// <summary>Start opening the socket, with the response time as its deadline.</summary>
        OpenSocket,
        /// <summary>EINPROGRESS: poll the socket again under the same deadline.</summary>
        PollSocket,
        /// <summary>Write CONNECT (clean session, will, credentials, keepalive) and arm the CONNACK deadline.</summary>
        SendConnect,
        /// <summary>Link up with the session kept: start keepalive, re-send held PUBLISH packets with DUP, then queued ones.</summary>
        ResumeSession,
        /// <summary>Link up with a new session: start keepalive, restore every subscription, then re-send held packets.</summary>
        StartNewSession,
        /// <summary>Close the link, stop keepalive, mark in-flight packets for re-send, and arm the reconnect delay.</summary>
        CloseAndBackoff,
        /// <summary>Close the link and fail ConnectAsync with an exception saying what is misconfigured.</summary>
        FailConnect,
        /// <summary>Queue DISCONNECT [MQTT-3.14.4-1] and arm its deadline.</summary>
        SendDisconnect,
        /// <summary>Close the link (after DISCONNECT) and complete DisconnectAsync.</summary>
        CloseGracefully,
        /// <summary>Fail ConnectAsync: a DisconnectAsync is still in progress and must be awaited first.</summary>
        RejectConnect,
        /// <summary>Cancel any pending attempt and complete DisconnectAsync.</summary>
        StopReconnecting,
        /// <summary>Close everything and fail every pending call with ObjectDisposedException.</summary>
        Shutdown,
        /// <summary>The first connect's bound is reached: fail every connect call with the last attempt's error (FailureKind.GaveUp).</summary>
        GiveUpConnect,
        /// <summary>
        /// Link up with a session the broker says is present, but in doubt (a CONNECT lost its CONNACK, so it may be one the
        /// broker made empty then): restore every subscription as for a new session, yet keep the inbound QoS 2 receipts, as
        /// only Session Present 0 says the broker forgot them; a kept session re-sends with DUP what it held (I9). Each kept
        /// receipt is marked as kept through the doubt, so a first send (DUP = 0) with its identifier counts as a new message.
        /// </summary>
        ResumeSessionInDoubt,
    }
}
