using StateMachineMqtt.Nano.Codec;

namespace StateMachineMqtt.Nano.Client
{
    /// <summary>Settings of the device client, named after the desktop client's (MqttClientOptions) and mqtt_as's.</summary>
    public sealed class NanoMqttOptions
    {
        /// <summary>Broker host name or address.</summary>
        public string Host { get; set; } = "";

        /// <summary>Broker port.</summary>
        public int Port { get; set; } = 1883;

        /// <summary>CONNECT fields: client identifier, clean session, keepalive seconds, credentials, will.</summary>
        public NanoConnectOptions Connect { get; set; } = new NanoConnectOptions();

        /// <summary>Ping after this many quiet milliseconds; 0 means keepalive / 4, as mqtt_as and the desktop client do.</summary>
        public int PingIntervalMilliseconds { get; set; }

        /// <summary>How long to wait for the socket to open, CONNACK, PUBACK, SUBACK or UNSUBACK.</summary>
        public int ResponseTimeMilliseconds { get; set; } = 10000;

        /// <summary>Re-sends (DUP) of a QoS 1 PUBLISH on one link before the link is declared dead.</summary>
        public int MaxRepublishes { get; set; } = 4;

        /// <summary>First reconnect delay; doubled per failed attempt up to <see cref="BackoffMaxMilliseconds"/>.</summary>
        public int BackoffInitialMilliseconds { get; set; } = 1000;

        /// <summary>Longest reconnect delay.</summary>
        public int BackoffMaxMilliseconds { get; set; } = 60000;

        /// <summary>QoS 1 messages held until PUBACK (bounded: Publish returns false when full).</summary>
        public int QueueLength { get; set; } = 8;

        /// <summary>Subscriptions remembered for restoring after a reconnect.</summary>
        public int MaxSubscriptions { get; set; } = 8;

        /// <summary>Bytes of the send buffer: the largest packet the client can send.</summary>
        public int SendBufferSize { get; set; } = 1024;

        /// <summary>Bytes of the receive buffer: the largest packet accepted from the broker.</summary>
        public int ReceiveBufferSize { get; set; } = 1024;

        /// <summary>The ping interval in effect, in milliseconds.</summary>
        public int EffectivePingIntervalMilliseconds
        {
            get { return PingIntervalMilliseconds > 0 ? PingIntervalMilliseconds : Connect.KeepAliveSeconds * 1000 / 4; }
        }
    }
}
