using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Client
{
    /// <summary>
    /// Settings of the device client, named after the desktop client's (MqttClientOptions) and mqtt_as's. The client maps
    /// them onto the shared engine's EngineOptions; the engine decides by them.
    /// </summary>
    public sealed class NanoMqttOptions
    {
        /// <summary>
        /// The MQTT version to speak: <see cref="MqttProtocolVersion.V311"/> (the default) or <see cref="MqttProtocolVersion.V500"/>.
        /// MQTT 5 adds reason codes, message properties, subscription options and identifiers, session expiry, topic aliases
        /// and the broker's CONNACK terms; what it costs the heap is allocated only by a client that speaks it.
        /// </summary>
        public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V311;

        /// <summary>
        /// MQTT 5: the Session Expiry Interval CONNECT asks for, in seconds (0 to 4,294,967,295, which never expires): how
        /// long the broker keeps the session after a link ends. -1 (the default) follows <see cref="NanoConnectOptions.CleanSession"/>
        /// as 3.1.1 does: a clean session keeps nothing, any other is kept for good.
        /// </summary>
        public long SessionExpirySeconds { get; set; } = -1;

        /// <summary>
        /// MQTT 5: how many Topic Aliases the broker may set on what it sends this client (Topic Alias Maximum in CONNECT,
        /// 0 to 65,535; a table of that many topics is allocated when the first alias arrives). 0 (the default): none.
        /// </summary>
        public int TopicAliasMaximum { get; set; }

        /// <summary>
        /// MQTT 5: at most this many Topic Aliases this client sets on its PUBLISHes per link (within the broker's Topic Alias
        /// Maximum), so a repeated topic goes as two bytes. 0 (the default): none.
        /// </summary>
        public int OutboundTopicAliases { get; set; }

        /// <summary>
        /// MQTT 5: User Properties sent in every CONNECT (a device model or firmware version, say), in order; null (the
        /// default) or empty: none. Checked when the client is made; not copied, so do not change them afterwards.
        /// </summary>
        public NanoUserProperty[] ConnectUserProperties { get; set; }

        /// <summary>
        /// MQTT 5: whether the broker may put a Reason String and User Properties on its answers (CONNECT's Request Problem
        /// Information). True, the default, lets it, so a refusal says why in <see cref="NanoMqttClient.LastError"/>; false
        /// asks it not to, for a tight link.
        /// </summary>
        public bool RequestProblemInformation { get; set; } = true;

        /// <summary>
        /// MQTT 5: ask the broker for Response Information in its CONNACK (CONNECT's Request Response Information), the
        /// start of topics it sets aside for responses; read it from <see cref="NanoMqttClient.ResponseInformation"/>.
        /// False, the default, asks for none.
        /// </summary>
        public bool RequestResponseInformation { get; set; }

        /// <summary>
        /// MQTT 5: the most QoS 1 and 2 messages the broker may send this client before they are acknowledged (CONNECT's
        /// Receive Maximum), from 1 to 65,535. The client acknowledges a message once the application has taken it, so a
        /// value of about <see cref="ReceiveQueueLength"/> keeps the rest waiting at the broker, not in the socket. 0, the
        /// default, sends none: the broker may send 65,535.
        /// </summary>
        public int ReceiveMaximum { get; set; }

        /// <summary>Broker host name or address.</summary>
        public string Host { get; set; } = "";

        /// <summary>Broker port.</summary>
        public int Port { get; set; } = 1883;

        /// <summary>CONNECT fields: client identifier, clean session, keepalive seconds, credentials, will (MQTT 5: with its properties).</summary>
        public NanoConnectOptions Connect { get; set; } = new NanoConnectOptions();

        /// <summary>Ping after this many quiet milliseconds; 0 means keepalive / 4, as mqtt_as and the desktop client do.</summary>
        public int PingIntervalMilliseconds { get; set; }

        /// <summary>How long to wait for the socket to open, CONNACK, PUBACK, PUBREC, PUBCOMP, SUBACK, UNSUBACK or DISCONNECT's write.</summary>
        public int ResponseTimeMilliseconds { get; set; } = 10000;

        /// <summary>Re-sends on one link, after a response timeout, of a QoS 1 PUBLISH (with DUP), or of a QoS 2 PUBLISH (with DUP) or PUBREL, before the link is declared dead.</summary>
        public int MaxRepublishes { get; set; } = 4;

        /// <summary>The ceiling of the first reconnect delay (which is jittered in [initial / 2, initial]); doubled per failed attempt up to <see cref="BackoffMaxMilliseconds"/>.</summary>
        public int BackoffInitialMilliseconds { get; set; } = 1000;

        /// <summary>Longest reconnect delay.</summary>
        public int BackoffMaxMilliseconds { get; set; } = 60000;

        /// <summary>A link that stayed up this long, or on which the broker acknowledged a message, was healthy: the reconnect delays after it start over (other links keep them growing).</summary>
        public int StableLinkMilliseconds { get; set; } = 30000;

        /// <summary>The first connect gives up (ConnectFailed) after this long without a CONNACK; 0 (the default): never, as a device that boots before its broker needs.</summary>
        public int FirstConnectTimeoutMilliseconds { get; set; }

        /// <summary>The first connect gives up after this many attempts; 0 (the default): never.</summary>
        public int FirstConnectAttempts { get; set; }

        /// <summary>Messages held at once, QoS 0 until written, QoS 1 until PUBACK and QoS 2 until PUBCOMP (bounded: Publish returns false when full).</summary>
        public int QueueLength { get; set; } = 8;

        /// <summary>Received messages decoded but not yet handed to the application; reading pauses while this many wait.</summary>
        public int ReceiveQueueLength { get; set; } = 4;

        /// <summary>Seed of the backoff jitter's random numbers (tests set it so a run replays); 0 seeds from the clock.</summary>
        public int RandomSeed { get; set; }

        /// <summary>Bytes of the send buffer: the largest packet the client can send (Publish refuses a larger PUBLISH with ArgumentException).</summary>
        public int SendBufferSize { get; set; } = 1024;

        /// <summary>
        /// Bytes of the receive buffer: the largest packet accepted from the broker. A larger PUBLISH whose header and topic fit
        /// is read past without buffering its payload, acknowledged as its QoS requires (so the broker does not re-deliver it),
        /// not delivered, counted (Statistics.DroppedOversized) and reported in LastError; any other larger packet closes the link.
        /// </summary>
        public int ReceiveBufferSize { get; set; } = 1024;
    }
}
