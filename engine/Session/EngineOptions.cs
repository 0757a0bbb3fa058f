using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>The settings the engine decides by, all times in milliseconds. Drivers map their public options onto these.</summary>
    public sealed class EngineOptions
    {
        /// <summary>The MQTT version to speak: the tables' version guards read it.</summary>
        public MqttProtocolVersion ProtocolVersion = MqttProtocolVersion.V311;

        /// <summary>
        /// MQTT 5 enhanced authentication: the Authentication Method CONNECT names (3.1.2.11.9), whose data the driver's
        /// authenticator computes; null (the default) for none. The Authentication table then runs the AUTH exchanges.
        /// </summary>
        public string AuthenticationMethod;

        /// <summary>Ask for a clean session on every connect [MQTT-3.1.2-6].</summary>
        public bool CleanSession = true;

        /// <summary>Ask for a clean session on the first connect only, then resume it (a fresh start, kept across outages).</summary>
        public bool CleanSessionOnFirstConnect;

        /// <summary>The keepalive period [MQTT-3.1.2-24]; 0 turns keepalive off.</summary>
        public long KeepAliveMs = 60000;

        /// <summary>How often to ping when quiet; 0 means <see cref="KeepAliveRules.DefaultPingIntervalMs"/> (keepalive / 4).</summary>
        public long PingIntervalMs;

        /// <summary>How long to wait for a socket to open, a CONNACK, a PUBACK, PUBREC or PUBCOMP, a SUBACK, an UNSUBACK or DISCONNECT's write.</summary>
        public long ResponseTimeMs = 10000;

        /// <summary>
        /// How many times a QoS 1 or 2 PUBLISH (or a PUBREL) is re-sent on one link (MQTT 3.1.1), or its answer waited for
        /// again (MQTT 5, which re-sends only on a new connection), before the link is declared dead.
        /// </summary>
        public int MaxRepublishes = 4;

        /// <summary>At most this many QoS >= 1 PUBLISH await their acknowledgement at once (the in-flight window).</summary>
        public int MaxInflight = 20;

        /// <summary>The outbound queue's bound in messages (queued and in flight).</summary>
        public int MaxQueuedMessages = 10000;

        /// <summary>The outbound queue's bound in payload bytes.</summary>
        public long MaxQueuedBytes = 64L * 1024 * 1024;

        /// <summary>What a publish meets when the outbound queue is full.</summary>
        public OutboundOverflowPolicy OutboundOverflow = OutboundOverflowPolicy.Wait;

        /// <summary>The application's queue of received messages; reading pauses while it is full.</summary>
        public int ReceiveQueueLength = 1000;

        /// <summary>What a received message meets when the application's queue is full.</summary>
        public ReceiveOverflowPolicy ReceiveOverflow = ReceiveOverflowPolicy.PauseReading;

        /// <summary>The first reconnect delay's ceiling (attempt 1 waits in [initial/2, initial]).</summary>
        public long BackoffInitialMs = 1000;

        /// <summary>The largest reconnect delay: the backoff bound of invariant I6.</summary>
        public long BackoffMaximumMs = 30000;

        /// <summary>A link that stayed up this long was healthy: the reconnect delays after it start over. Shorter links keep them growing.</summary>
        public long StableLinkMs = 30000;

        /// <summary>
        /// Emit a <see cref="Store.SessionRecord"/> for every change a durable store must keep (SessionEngine.PollRecord);
        /// off by default, so an engine without a store builds no records.
        /// </summary>
        public bool RecordSession;

        /// <summary>The first connect (from ConnectAsync until a CONNACK accepts it) gives up after this long; 0: never.</summary>
        public long FirstConnectTimeoutMs;

        /// <summary>The first connect gives up after this many attempts; 0: never.</summary>
        public int FirstConnectAttempts;

        /// <summary>The application's own reconnect delays; null (the default) means spec/'s BackoffRules with the driver's jitter.</summary>
        public IBackoffPolicy Backoff;

        /// <summary>
        /// The largest PUBLISH, in bytes on the wire (fixed header included), that <see cref="SessionEngine.Publish"/> accepts:
        /// a larger one is refused with <see cref="AdmitVerdict.TooLarge"/> before it is queued, because the peer would close
        /// the link over it. The default is MQTT's own bound (<see cref="PacketSizeRules.MaximumPacketSize"/>), which applies
        /// whatever this says.
        /// </summary>
        public int MaxOutboundPacketSize = PacketSizeRules.MaximumPacketSize;

        /// <summary>
        /// How many servers the driver can dial (its failover list; 1: one broker). Each failure moves the next attempt to the
        /// next server (<see cref="EngineAction.Server"/>), and the backoff grows once per full round of the list
        /// (ServerRotationRules).
        /// </summary>
        public int ServerCount = 1;

        /// <summary>
        /// MQTT 5: follow the Server Reference of a broker's DISCONNECT or refusing CONNACK [MQTT-4.11]: the next attempt
        /// dials it (<see cref="EngineAction.ServerReference"/>) in place of the next listed server. Off by default: a
        /// broker must not send a client where its user did not say it may go.
        /// </summary>
        public bool FollowServerReference;

        /// <summary>The ping interval in force: <see cref="PingIntervalMs"/>, or keepalive / 4.</summary>
        public long EffectivePingIntervalMs
        {
            get { return PingIntervalMs > 0 ? PingIntervalMs : KeepAliveRules.DefaultPingIntervalMs(KeepAliveMs); }
        }

        /// <summary>Throws ArgumentException naming the first setting that cannot work.</summary>
        public void Validate()
        {
            if (ProtocolVersion != MqttProtocolVersion.V311 && ProtocolVersion != MqttProtocolVersion.V500)
            {
                throw new System.ArgumentException("ProtocolVersion must be V311 (MQTT 3.1.1) or V500 (MQTT 5.0).");
            }

            if (AuthenticationMethod != null && (ProtocolVersion != MqttProtocolVersion.V500 || AuthenticationMethod.Length == 0))
            {
                throw new System.ArgumentException("AuthenticationMethod needs MQTT 5 (ProtocolVersion V500) and must not be empty.");
            }

            if (KeepAliveMs < 0 || KeepAliveMs > 65535000)
            {
                throw new System.ArgumentException("KeepAliveMs must be between 0 and 65,535 s [MQTT-3.1.2-24].");
            }

            if (KeepAliveMs > 0 && (EffectivePingIntervalMs <= 0 || EffectivePingIntervalMs > KeepAliveMs))
            {
                throw new System.ArgumentException("PingIntervalMs must be positive and at most KeepAliveMs.");
            }

            if (ResponseTimeMs <= 0)
            {
                throw new System.ArgumentException("ResponseTimeMs must be positive.");
            }

            if (MaxRepublishes < 0)
            {
                throw new System.ArgumentException("MaxRepublishes must be 0 or more.");
            }

            if (MaxInflight < 1 || MaxInflight > 65535)
            {
                throw new System.ArgumentException("MaxInflight must be between 1 and 65,535.");
            }

            if (MaxQueuedMessages < 1 || MaxQueuedBytes < 1 || ReceiveQueueLength < 1)
            {
                throw new System.ArgumentException("MaxQueuedMessages, MaxQueuedBytes and ReceiveQueueLength must be at least 1.");
            }

            if (BackoffInitialMs <= 0 || BackoffMaximumMs < BackoffInitialMs)
            {
                throw new System.ArgumentException("BackoffInitialMs must be positive and BackoffMaximumMs at least BackoffInitialMs.");
            }

            if (MaxOutboundPacketSize < PacketSizeRules.SmallestPublishSize)
            {
                throw new System.ArgumentException("MaxOutboundPacketSize must be at least " + PacketSizeRules.SmallestPublishSize.ToString() + " bytes (the smallest PUBLISH).");
            }

            if (ServerCount < 1)
            {
                throw new System.ArgumentException("ServerCount must be at least 1 (the servers the driver can dial).");
            }

            if (StableLinkMs < 0 || FirstConnectTimeoutMs < 0 || FirstConnectAttempts < 0)
            {
                throw new System.ArgumentException("StableLinkMs, FirstConnectTimeoutMs and FirstConnectAttempts must be 0 or more (0 for the bounds: none).");
            }
        }
    }
}
