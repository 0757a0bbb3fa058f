using System;
using StateMachineMqtt.Engine;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Nano.Interpreter;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Client
{
    /// <summary>
    /// The device MQTT client (3.1.1, or MQTT 5 when <see cref="NanoMqttOptions.ProtocolVersion"/> says so): a thin driver of the shared session engine (engine/), whose machines are spec/'s
    /// tables run by the table interpreter. The engine decides everything a user can observe — what to send and when,
    /// keepalive, backoff, re-sends, resubscription, acknowledgements; this class only carries out its actions on a
    /// non-blocking socket the application polls, feeds it what the socket, the decoder and the clock report, and turns its
    /// events into callbacks. Nothing blocks: call <see cref="Poll"/> often (every 10-100 ms) from one thread; every call,
    /// and every callback, happens on that thread.
    /// </summary>
    public sealed partial class NanoMqttClient : IDisposable
    {
        private const int ReadRounds = 4;
        private static readonly object ConnectCaller = new object();
        private readonly NanoMqttOptions _options;
        private readonly INanoSocket _socket;
        private readonly INanoClock _clock;
        private readonly INanoMqttEvents _events;
        private readonly SessionEngine _engine;

        /// <summary>Creates a client on spec/'s tables; nothing happens until <see cref="Connect"/> and <see cref="Poll"/>.</summary>
        public NanoMqttClient(NanoMqttOptions options, INanoSocket socket, INanoClock clock, INanoMqttEvents events)
            : this(options, socket, clock, events, new InterpreterMachines())
        {
        }

        /// <summary>Creates a client whose engine runs <paramref name="machines"/> (tests give mutated tables).</summary>
        public NanoMqttClient(NanoMqttOptions options, INanoSocket socket, INanoClock clock, INanoMqttEvents events, IMachineFactory machines)
        {
            if (options == null || socket == null || clock == null || events == null || machines == null)
            {
                throw new ArgumentNullException(options == null ? "options" : socket == null ? "socket" : clock == null ? "clock" : events == null ? "events" : "machines");
            }

            if (options.Host == null || options.Host.Length == 0)
            {
                throw new ArgumentException("NanoMqttOptions.Host is empty: set the broker's host name or address.");
            }

            if (options.SendBufferSize < 64 || options.ReceiveBufferSize < 64)
            {
                throw new ArgumentException("NanoMqttOptions: SendBufferSize and ReceiveBufferSize must be at least 64 bytes.");
            }

            NanoMqtt5Link.Validate(options);
            _options = options;
            _socket = socket;
            _clock = clock;
            _events = events;
            _outbox = new NanoOutbox(options.SendBufferSize);
            _inbox = new byte[options.ReceiveBufferSize];
            _engine = new SessionEngine(EngineOptionsFrom(options), machines, new NanoRandom(options.RandomSeed));
            _v5 = options.ProtocolVersion == MqttProtocolVersion.V500 ? new NanoMqtt5Link(options, events) : null;
        }

        /// <summary>The Connection machine's state.</summary>
        public ConnectionState State
        {
            get { return _engine.State; }
        }

        /// <summary>The KeepAlive machine's state.</summary>
        public KeepAliveState KeepAliveState
        {
            get { return _engine.KeepAliveState; }
        }

        /// <summary>True while CONNACK has accepted the current link.</summary>
        public bool IsConnected
        {
            get { return _engine.IsConnected; }
        }

        /// <summary>Messages held: QoS 0 until written, QoS 1 until PUBACK, QoS 2 until PUBCOMP.</summary>
        public int HeldCount
        {
            get { return _engine.HeldCount; }
        }

        /// <summary>
        /// Why the last link closed (under MQTT 5 with the broker's DISCONNECT reason), the last connect attempt or connect
        /// failed, the broker refused a subscription (or, MQTT 5, a publish or an unsubscribe), or a received message was
        /// dropped as larger than the receive buffer (its topic and size); or null.
        /// </summary>
        public string LastError { get; private set; }

        /// <summary>The engine's counters (publishes accepted, acknowledged, re-sent, packets ignored...).</summary>
        public EngineStatistics Statistics
        {
            get { return _engine.Statistics; }
        }

        /// <summary>The held messages, oldest first (each with its QoS, packet identifier and send count).</summary>
        public OutboundMessage[] SnapshotHeld()
        {
            return _engine.SnapshotHeld();
        }

        /// <summary>Starts connecting (and, from then on, keeps the client connected). Throws while a Disconnect is in progress.</summary>
        public void Connect()
        {
            EnsureNotDisposed();
            long now = _clock.NowMilliseconds;
            _connectRejected = false;
            _engine.Connect(ConnectCaller, now);
            Pump(now);
            if (_connectRejected)
            {
                _connectRejected = false;
                throw new InvalidOperationException("Connect was called while Disconnect is still in progress: poll until State is Closed, then call Connect.");
            }
        }

        /// <summary>Sends DISCONNECT (when connected) and closes; held QoS 1 and QoS 2 messages stay held for the next Connect.</summary>
        public void Disconnect()
        {
            Disconnect(0);
        }

        /// <summary>
        /// As <see cref="Disconnect()"/>, the DISCONNECT carrying MQTT 5 reason code <paramref name="reasonCode"/>, e.g. 0x04
        /// (Disconnect with Will Message: the broker publishes the will). A code other than 0 under 3.1.1, or one only a
        /// server sends, throws ArgumentException.
        /// </summary>
        public void Disconnect(int reasonCode)
        {
            EnsureNotDisposed();
            if (!DisconnectRules.MaySend(_options.ProtocolVersion, reasonCode))
            {
                throw new ArgumentException("DISCONNECT reason code 0x" + reasonCode.ToString("X2") + " cannot be sent: a reason code needs MQTT 5 (ProtocolVersion V500), and only the codes of 3.14.2.1 marked for the client (0x00, 0x04, 0x80-0x83, 0x90, 0x93-0x96, 0x98, 0x99).", nameof(reasonCode));
            }

            long now = _clock.NowMilliseconds;
            _engine.Disconnect(ConnectCaller, reasonCode, now);
            Pump(now);
        }

        /// <summary>
        /// Publishes a message at QoS <paramref name="qos"/> (0, 1 or 2; anything else throws ArgumentException) and sends it
        /// once connected. The engine holds it: QoS 0 until written; QoS 1 until PUBACK, the PUBLISH re-sent with DUP after a
        /// response timeout or a reconnect; QoS 2 until PUBCOMP, the PUBLISH re-sent with DUP until PUBREC comes, then only
        /// PUBREL, after a timeout or a reconnect, so a broker that keeps the session never takes it as new twice. False
        /// when <see cref="NanoMqttOptions.QueueLength"/> messages are already held.
        /// </summary>
        public bool Publish(string topic, byte[] payload, int qos, bool retain)
        {
            return Publish(topic, payload, qos, retain, null);
        }

        /// <summary>
        /// As <see cref="Publish(string, byte[], int, bool)"/>, with MQTT 5 message <paramref name="properties"/> (payload
        /// format, expiry, content type, response topic, correlation data, user properties; null for none), checked now:
        /// ArgumentException names a property the PUBLISH may not carry or a value out of range, and any properties under
        /// 3.1.1. Under MQTT 5 a PUBACK or PUBREC refusing the message (reason code 0x80 and up) fails it: it is no longer
        /// held, <see cref="LastError"/> and <see cref="LastReasonCode"/> say why, and <see cref="INanoMqtt5Events.PublishFailed"/> is called.
        /// The properties are not copied: do not change them until the message completes.
        /// </summary>
        public bool Publish(string topic, byte[] payload, int qos, bool retain, NanoProperties properties)
        {
            EnsureNotDisposed();
            if (qos < 0 || qos > 2)
            {
                throw new ArgumentException("PUBLISH QoS must be 0 (at most once), 1 (at least once) or 2 (exactly once), not " + qos.ToString() + ".");
            }

            WireFormat.EnsureTopicName(topic, "PUBLISH topic");
            WireFormat.MeasureString(topic, "PUBLISH topic");
            byte[] body = payload ?? WireFormat.NoBytes;
            if (_v5 == null && properties != null)
            {
                throw new ArgumentException("Message properties need MQTT 5, and this client speaks MQTT 3.1.1. Set NanoMqttOptions.ProtocolVersion = MqttProtocolVersion.V500, or publish without properties.");
            }

            long now = _clock.NowMilliseconds;
            // MQTT 5: the topic is the message's caller object, so a failure event can name it.
            OutboundMessage message = _v5 == null ? new OutboundMessage(topic, body, qos, retain, null) : new OutboundMessage(topic, body, qos, retain, properties, PublishPropertiesSize(properties), topic);
            AdmitVerdict verdict = _engine.Publish(message, now);
            if (verdict == AdmitVerdict.TooLarge && _engine.BrokerMaximumPacketSize > 0 && _engine.BrokerMaximumPacketSize < _options.SendBufferSize)
            {
                throw new ArgumentException("A PUBLISH to \"" + topic + "\" with " + body.Length.ToString() + " payload bytes would be "
                    + SessionEngine.PublishPacketSize(message).ToString() + " bytes, more than the broker's Maximum Packet Size of " + _engine.BrokerMaximumPacketSize.ToString()
                    + " bytes (from its CONNACK) [MQTT-3.2.2-15]. Send less.");
            }

            if (verdict == AdmitVerdict.TooLarge)
            {
                // The engine refused it before queueing (its limit is the send buffer): say what and how to fix it.
                throw new ArgumentException("A PUBLISH to \"" + topic + "\" with " + body.Length.ToString() + " payload bytes would be "
                    + SessionEngine.PublishPacketSize(message).ToString() + " bytes, which does not fit in the send buffer of " + _options.SendBufferSize.ToString()
                    + " bytes. Raise NanoMqttOptions.SendBufferSize or send less.");
            }

            Pump(now);
            return verdict == AdmitVerdict.Accept || verdict == AdmitVerdict.AcceptAfterDroppingOldestQoS0;
        }

        /// <summary>
        /// Subscribes to <paramref name="filter"/> at QoS 0, 1 or 2: now if connected, and again after every new session (the
        /// engine restores it). A refusing SUBACK is reported in <see cref="LastError"/> (MQTT 5: with
        /// <see cref="LastReasonCode"/> and <see cref="INanoMqtt5Events.SubscribeFailed"/>), and the filter is not restored.
        /// </summary>
        public void Subscribe(string filter, int qos)
        {
            EnsureNotDisposed();
            CheckSubscribe(filter, qos);
            long now = _clock.NowMilliseconds;
            _engine.Request(SubscriptionRequest.Subscribe(new string[] { filter }, new int[] { qos }, null), now);
            Pump(now);
        }

        /// <summary>
        /// Unsubscribes from <paramref name="filter"/>: it is not restored after a reconnect from now on. MQTT 5: an UNSUBACK
        /// refusing it (0x80 and up) is reported in <see cref="LastError"/>, <see cref="LastReasonCode"/> and
        /// <see cref="INanoMqtt5Events.UnsubscribeFailed"/>.
        /// </summary>
        public void Unsubscribe(string filter)
        {
            EnsureNotDisposed();
            if (WireFormat.MeasureString(filter, "topic filter") == 0)
            {
                throw new ArgumentException("The topic filter is empty; filters must be at least one character [MQTT-4.7.3-1].");
            }

            long now = _clock.NowMilliseconds;
            _engine.Request(SubscriptionRequest.Unsubscribe(new string[] { filter }, null), now);
            Pump(now);
        }

        /// <summary>True while connected with <paramref name="filter"/> among the subscriptions the broker granted (and the engine restores).</summary>
        public bool IsSubscribed(string filter)
        {
            if (!_engine.IsConnected)
            {
                return false;
            }

            Subscription[] subscriptions = _engine.SnapshotSubscriptions();
            for (int i = 0; i < subscriptions.Length; i++)
            {
                if (subscriptions[i].Filter == filter)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The network interface came up or went down (the glue's Wi-Fi callback, like mqtt_as's wifi_coro). Down: the link
        /// (or the attempt) fails as ENETDOWN, and so does every attempt until it is up. Up: the engine may cut a reconnect
        /// delay earned while it was down.
        /// </summary>
        public void WifiChanged(bool up)
        {
            if (_engine.State == ConnectionState.Disposed)
            {
                return; // the glue may still report a change after Dispose
            }

            long now = _clock.NowMilliseconds;
            _wifiUp = up;
            if (up)
            {
                _engine.HandleNetworkAvailable(now);
            }
            else if (_socketLink != 0)
            {
                _engine.HandleLinkError(_socketLink, (int)SocketErrorCode.NetworkDown, "Wi-Fi went down", now);
            }

            Pump(now);
        }

        /// <summary>Closes everything; the client cannot be used afterwards.</summary>
        public void Dispose()
        {
            if (_engine.State != ConnectionState.Disposed)
            {
                long now = _clock.NowMilliseconds;
                _engine.Dispose(now);
                Pump(now);
            }
        }

        /// <summary>
        /// Does all pending work without blocking: reports the socket's progress, what it received and the deadlines reached
        /// to the engine, carries out what the engine then wants (open, send, close), and hands received messages to the
        /// application.
        /// </summary>
        public void Poll()
        {
            if (_engine.State == ConnectionState.Disposed)
            {
                return;
            }

            long now = _clock.NowMilliseconds;
            Pump(now);
            if (_opening)
            {
                OnOpenResult(_socket.Poll(), now);
                Pump(now);
            }

            // Read while the engine wants to, hand over what was read, and read again: a few rounds, so a busy broker
            // cannot keep the poll from returning.
            for (int round = 0; round < ReadRounds; round++)
            {
                if (_open)
                {
                    ReadAvailable(now);
                }

                if (!_engine.HasMessage)
                {
                    break;
                }

                Deliver(now);
            }

            if (_engine.PollTimeout() <= now)
            {
                _engine.HandleTimeout(now);
                Pump(now);
            }
        }

        private static void CheckSubscribe(string filter, int qos)
        {
            if (qos < 0 || qos > 2)
            {
                throw new ArgumentException("A subscription's QoS is 0, 1 or 2, not " + qos.ToString() + ".");
            }

            if (WireFormat.MeasureString(filter, "topic filter") == 0)
            {
                throw new ArgumentException("The topic filter is empty; filters must be at least one character [MQTT-4.7.3-1].");
            }
        }

        private void EnsureNotDisposed()
        {
            if (_engine.State == ConnectionState.Disposed)
            {
                throw new ObjectDisposedException("NanoMqttClient");
            }
        }

        private static EngineOptions EngineOptionsFrom(NanoMqttOptions options)
        {
            EngineOptions engine = new EngineOptions();
            engine.ProtocolVersion = options.ProtocolVersion;
            engine.CleanSession = options.Connect.CleanSession;
            engine.KeepAliveMs = options.Connect.KeepAliveSeconds * 1000L;
            engine.PingIntervalMs = options.PingIntervalMilliseconds;
            engine.ResponseTimeMs = options.ResponseTimeMilliseconds;
            engine.MaxRepublishes = options.MaxRepublishes;
            engine.BackoffInitialMs = options.BackoffInitialMilliseconds;
            engine.BackoffMaximumMs = options.BackoffMaxMilliseconds;
            engine.StableLinkMs = options.StableLinkMilliseconds;
            engine.FirstConnectTimeoutMs = options.FirstConnectTimeoutMilliseconds;
            engine.FirstConnectAttempts = options.FirstConnectAttempts;
            engine.MaxQueuedMessages = options.QueueLength;
            // The engine refuses a PUBLISH larger than the send buffer, so every held message fits it and the byte bound
            // follows from the count's.
            engine.MaxOutboundPacketSize = options.SendBufferSize;
            engine.MaxQueuedBytes = (long)options.QueueLength * options.SendBufferSize;
            engine.OutboundOverflow = OutboundOverflowPolicy.Reject;
            engine.ReceiveQueueLength = options.ReceiveQueueLength;
            return engine;
        }
    }
}
