using S = StateMachineMqtt.Spec.ConnectionState;
using T = StateMachineMqtt.Spec.ConnectionTrigger;
using G = StateMachineMqtt.Spec.ConnectionGuard;
using E = StateMachineMqtt.Spec.ConnectionEffect;

namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// The Connection machine as data. Rows with the same From and Trigger have mutually exclusive guards,
    /// so at most one row applies to any event; a (state, trigger) pair with no row cannot occur
    /// (the runtime treats it as a bug and tests check the table is complete for the events each state can see).
    /// </summary>
    public static class ConnectionTable
    {
        /// <summary>The initial state.</summary>
        public const ConnectionState Initial = ConnectionState.Idle;

        /// <summary>Returns a fresh copy of the rows (callers may mutate their copy, e.g. mutation tests).</summary>
        public static ConnectionTransition[] CreateRows()
        {
            return new ConnectionTransition[]
            {
                // Idle: nothing has been asked yet.
                R(S.Idle, T.Connect, S.Connecting, G.None, E.OpenSocket, "Start: open the network connection, whose first packet must be CONNECT [MQTT-3.1.0-1]"),
                R(S.Idle, T.Disconnect, S.Closed, G.None, E.StopReconnecting, "Nothing to close"),
                R(S.Idle, T.Dispose, S.Disposed, G.None, E.Shutdown, "Dispose"),

                // Connecting: the socket is opening. EINPROGRESS is not an error.
                R(S.Connecting, T.Connect, S.Connecting, G.None, E.None, "Already under way"),
                R(S.Connecting, T.SocketPending, S.Connecting, G.None, E.PollSocket, "EINPROGRESS / EALREADY: not an error, poll again within the same deadline"),
                R(S.Connecting, T.SocketOpened, S.AwaitingConnAck, G.None, E.SendConnect, "[MQTT-3.1.0-1] the first packet sent is CONNECT"),
                R(S.Connecting, T.LinkLost, S.Backoff, G.None, E.CloseAndBackoff, "ECONNREFUSED, ECONNABORTED, ETIMEDOUT...: retry after a delay"),
                R(S.Connecting, T.ConfigurationError, S.Closed, G.NeverConnected, E.FailConnect, "Unknown host on first connect: fail fast"),
                R(S.Connecting, T.ConfigurationError, S.Backoff, G.HasConnectedBefore, E.CloseAndBackoff, "Name lookup failing later is an outage (DNS down with the Wi-Fi)"),
                R(S.Connecting, T.ResponseTimeout, S.Backoff, G.None, E.CloseAndBackoff, "Connect never completed: retry"),
                R(S.Connecting, T.Disconnect, S.Closed, G.None, E.StopReconnecting, "Abandon the attempt"),
                R(S.Connecting, T.Dispose, S.Disposed, G.None, E.Shutdown, "Dispose"),

                // AwaitingConnAck: CONNECT written, nothing else may be sent.
                R(S.AwaitingConnAck, T.Connect, S.AwaitingConnAck, G.None, E.None, "Already under way"),
                R(S.AwaitingConnAck, T.SocketPending, S.AwaitingConnAck, G.None, E.None, "EWOULDBLOCK on write: keep waiting"),
                R(S.AwaitingConnAck, T.ConnAckSessionPresent, S.Connected, G.SessionTrusted, E.ResumeSession, "[MQTT-3.2.2-2] session present: re-send unacknowledged PUBLISH with their packet identifiers [MQTT-4.4.0-1] and DUP = 1 [MQTT-3.3.1-1]"),
                R(S.AwaitingConnAck, T.ConnAckSessionPresent, S.Connected, G.SessionInDoubt, E.ResumeSessionInDoubt, "I8: a CONNECT lost its CONNACK, so the \"present\" session may be one the broker made empty then: restore subscriptions; I9: keep the QoS 2 receipts, which only Session Present 0 forgets"),
                R(S.AwaitingConnAck, T.ConnAckNewSession, S.Connected, G.None, E.StartNewSession, "[MQTT-3.2.2-1]/[MQTT-3.2.2-3] no session: subscriptions must be restored"),
                R(S.AwaitingConnAck, T.ConnAckRefusedRetryable, S.Backoff, G.None, E.CloseAndBackoff, "0x03 server unavailable (Table 3.1): the server closes the link [MQTT-3.2.2-5]; retry"),
                R(S.AwaitingConnAck, T.ConnAckRefusedFatal, S.Closed, G.NeverConnected, E.FailConnect, "0x01 protocol level [MQTT-3.1.2-2], 0x02 identifier [MQTT-3.1.3-9], 0x04 credentials, 0x05 not authorised on first connect: a configuration error, fail fast"),
                R(S.AwaitingConnAck, T.ConnAckRefusedFatal, S.Backoff, G.HasConnectedBefore, E.CloseAndBackoff, "Refused after having worked [MQTT-3.2.2-5]: keep trying, the broker may recover"),
                R(S.AwaitingConnAck, T.LinkLost, S.Backoff, G.None, E.CloseAndBackoff, "Link lost before CONNACK"),
                R(S.AwaitingConnAck, T.ResponseTimeout, S.Backoff, G.None, E.CloseAndBackoff, "No CONNACK within the response time: the client SHOULD close the link (section 3.2)"),
                R(S.AwaitingConnAck, T.ProtocolViolation, S.Backoff, G.None, E.CloseAndBackoff, "[MQTT-4.8.0-1] malformed input closes the link"),
                R(S.AwaitingConnAck, T.ConfigurationError, S.Closed, G.NeverConnected, E.FailConnect, "MQTT 5 enhanced authentication: the authenticator could not make the CONNECT or answer the broker on a first connect; a configuration error, fail fast"),
                R(S.AwaitingConnAck, T.ConfigurationError, S.Backoff, G.HasConnectedBefore, E.CloseAndBackoff, "The authenticator failing after having worked is an outage: retry, it may recover"),
                R(S.AwaitingConnAck, T.Disconnect, S.Closed, G.None, E.StopReconnecting, "Abandon the attempt"),
                R(S.AwaitingConnAck, T.Dispose, S.Disposed, G.None, E.Shutdown, "Dispose"),

                // Connected.
                R(S.Connected, T.Connect, S.Connected, G.None, E.None, "Already connected"),
                R(S.Connected, T.SocketPending, S.Connected, G.None, E.None, "EWOULDBLOCK: keep waiting"),
                R(S.Connected, T.LinkLost, S.Backoff, G.None, E.CloseAndBackoff, "Reset, abort, EOF: reconnect"),
                R(S.Connected, T.ResponseTimeout, S.Backoff, G.None, E.CloseAndBackoff, "SUBACK, UNSUBACK or a re-authentication overdue: the link is not working"),
                R(S.Connected, T.ProtocolViolation, S.Backoff, G.None, E.CloseAndBackoff, "[MQTT-4.8.0-1] malformed input closes the link"),
                R(S.Connected, T.KeepAliveExpired, S.Backoff, G.None, E.CloseAndBackoff, "I5: nothing received for a keepalive period"),
                R(S.Connected, T.RepublishLimitReached, S.Backoff, G.None, E.CloseAndBackoff, "PUBACK never came after the maximum re-publishes: reconnect and re-send"),
                R(S.Connected, T.ConfigurationError, S.Backoff, G.None, E.CloseAndBackoff, "MQTT 5 enhanced authentication: the authenticator failed a re-authentication, or refused the broker's final data; end the link and connect afresh"),
                R(S.Connected, T.Disconnect, S.Disconnecting, G.None, E.SendDisconnect, "[MQTT-3.14.4-1] send DISCONNECT, then close"),
                R(S.Connected, T.Dispose, S.Disposed, G.None, E.Shutdown, "Dispose"),

                // Backoff: waiting to retry.
                R(S.Backoff, T.Connect, S.Backoff, G.None, E.None, "Already reconnecting"),
                R(S.Backoff, T.BackoffElapsed, S.Connecting, G.RetryAllowed, E.OpenSocket, "Retry"),
                R(S.Backoff, T.BackoffElapsed, S.Closed, G.FirstConnectBoundReached, E.GiveUpConnect, "The first connect's bound (time or attempts) is reached: fail ConnectAsync with the last attempt's error, as mosquitto_pub does; once connected, outages are ridden out"),
                R(S.Backoff, T.Disconnect, S.Closed, G.None, E.StopReconnecting, "Stop retrying"),
                R(S.Backoff, T.Dispose, S.Disposed, G.None, E.Shutdown, "Dispose"),

                // Disconnecting: DISCONNECT queued.
                R(S.Disconnecting, T.Connect, S.Disconnecting, G.None, E.RejectConnect, "Await DisconnectAsync first"),
                R(S.Disconnecting, T.SocketPending, S.Disconnecting, G.None, E.None, "EWOULDBLOCK: keep waiting"),
                R(S.Disconnecting, T.DisconnectFlushed, S.Closed, G.None, E.CloseGracefully, "[MQTT-3.14.4-1] close after DISCONNECT"),
                R(S.Disconnecting, T.LinkLost, S.Closed, G.None, E.CloseGracefully, "Link gone anyway"),
                R(S.Disconnecting, T.ResponseTimeout, S.Closed, G.None, E.CloseGracefully, "DISCONNECT could not be written in time"),
                R(S.Disconnecting, T.ProtocolViolation, S.Closed, G.None, E.CloseGracefully, "Closing anyway"),
                R(S.Disconnecting, T.KeepAliveExpired, S.Closed, G.None, E.CloseGracefully, "Closing anyway"),
                R(S.Disconnecting, T.RepublishLimitReached, S.Closed, G.None, E.CloseGracefully, "Closing anyway"),
                R(S.Disconnecting, T.ConfigurationError, S.Closed, G.None, E.CloseGracefully, "Closing anyway"),
                R(S.Disconnecting, T.Disconnect, S.Disconnecting, G.None, E.None, "Already disconnecting"),
                R(S.Disconnecting, T.Dispose, S.Disposed, G.None, E.Shutdown, "Dispose"),

                // Closed: stopped, may start again.
                R(S.Closed, T.Connect, S.Connecting, G.None, E.OpenSocket, "Start again"),
                R(S.Closed, T.Disconnect, S.Closed, G.None, E.StopReconnecting, "Already closed"),
                R(S.Closed, T.Dispose, S.Disposed, G.None, E.Shutdown, "Dispose"),
            };
        }

        private static ConnectionTransition R(S from, T trigger, S to, G guard, E effect, string rule)
        {
            return new ConnectionTransition(from, trigger, to, guard, effect, rule);
        }
    }
}
