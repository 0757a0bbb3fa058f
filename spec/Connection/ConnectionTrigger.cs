namespace StateMachineMqtt.Spec
{
    /// <summary>Events that drive the Connection machine.</summary>
    public enum ConnectionTrigger
    {
        /// <summary>The application called ConnectAsync.</summary>
        Connect,
        /// <summary>A socket operation reported EINPROGRESS, EWOULDBLOCK or EALREADY: not an error, keep waiting.</summary>
        SocketPending,
        /// <summary>The TCP (and TLS) connection is open.</summary>
        SocketOpened,
        /// <summary>A socket error that means the link is gone (ETIMEDOUT, ECONNABORTED, ECONNRESET, EOF...).</summary>
        LinkLost,
        /// <summary>The broker's address cannot be used at all (unknown host, unsupported address family), or the MQTT 5 authenticator failed.</summary>
        ConfigurationError,
        /// <summary>The socket did not open, or CONNACK / SUBACK / UNSUBACK / the end of a re-authentication did not arrive, within the response time.</summary>
        ResponseTimeout,
        /// <summary>CONNACK accepted the connection and the broker still holds our session (session present = 1).</summary>
        ConnAckSessionPresent,
        /// <summary>CONNACK accepted the connection with a new, empty session (session present = 0).</summary>
        ConnAckNewSession,
        /// <summary>CONNACK refused with 0x03 "server unavailable": worth retrying.</summary>
        ConnAckRefusedRetryable,
        /// <summary>CONNACK refused with 0x01, 0x02, 0x04 or 0x05: protocol, identifier, credentials or authorisation.</summary>
        ConnAckRefusedFatal,
        /// <summary>The broker sent malformed, oversized or unexpected bytes: the link must be closed [MQTT-4.8.0-1].</summary>
        ProtocolViolation,
        /// <summary>The KeepAlive machine found nothing received for a whole keepalive period.</summary>
        KeepAliveExpired,
        /// <summary>A QoS 1 PUBLISH was re-sent the maximum number of times without a PUBACK.</summary>
        RepublishLimitReached,
        /// <summary>The reconnect delay has passed.</summary>
        BackoffElapsed,
        /// <summary>The application called DisconnectAsync.</summary>
        Disconnect,
        /// <summary>The DISCONNECT packet has been written to the socket.</summary>
        DisconnectFlushed,
        /// <summary>The application disposed the client.</summary>
        Dispose,
    }
}
