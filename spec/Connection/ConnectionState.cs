namespace StateMachineMqtt.Spec
{
    /// <summary>States of the Connection machine: the life of one client's link to its broker.</summary>
    public enum ConnectionState
    {
        /// <summary>Created; ConnectAsync has not been called yet.</summary>
        Idle,
        /// <summary>A TCP (or TLS) connection is being opened.</summary>
        Connecting,
        /// <summary>CONNECT has been written [MQTT-3.1.0-1]; by design (I3) nothing else is sent until CONNACK accepts it, although section 3.1.4 would allow it.</summary>
        AwaitingConnAck,
        /// <summary>CONNACK accepted the connection: packets flow.</summary>
        Connected,
        /// <summary>The link was lost; waiting out the reconnect delay before the next attempt.</summary>
        Backoff,
        /// <summary>DISCONNECT has been queued; waiting for it to be written before closing the socket [MQTT-3.14.4-1].</summary>
        Disconnecting,
        /// <summary>Stopped by DisconnectAsync or by a configuration error; ConnectAsync starts again.</summary>
        Closed,
        /// <summary>Disposed: final.</summary>
        Disposed,
    }
}
