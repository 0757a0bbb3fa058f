using System;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Nano.Interpreter;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Client
{
    /// <summary>
    /// The device MQTT 3.1.1 client: spec/'s Connection, KeepAlive and Publish tables run by the interpreter, over a
    /// non-blocking socket the application polls. Nothing blocks: call <see cref="Poll"/> often (every 10-100 ms) from one
    /// thread; every call, and every callback, happens on that thread. QoS 0 and 1; QoS 1 is held until PUBACK and re-sent
    /// with DUP; keepalive, reconnect with backoff and resubscription happen inside Poll.
    /// </summary>
    public sealed partial class NanoMqttClient : IDisposable
    {
        private readonly NanoMqttOptions _options;
        private readonly INanoSocket _socket;
        private readonly INanoClock _clock;
        private readonly INanoMqttEvents _events;
        private readonly ConnectionInterpreter _connection;
        private readonly KeepAliveInterpreter _keepAlive;
        private readonly PublishInterpreter _publish;
        private readonly NanoOutbox _outbox;
        private readonly byte[] _inbox;
        private readonly NanoPacket _received = new NanoPacket();
        private readonly NanoOutboundMessage[] _held;
        private readonly NanoSubscription[] _subscriptions;
        private bool _wifiUp = true;

        /// <summary>Creates a client; nothing happens until <see cref="Connect"/> and <see cref="Poll"/>.</summary>
        public NanoMqttClient(NanoMqttOptions options, INanoSocket socket, INanoClock clock, INanoMqttEvents events)
        {
            if (options == null || socket == null || clock == null || events == null)
            {
                throw new ArgumentNullException(options == null ? "options" : socket == null ? "socket" : clock == null ? "clock" : "events");
            }

            if (options.Host == null || options.Host.Length == 0)
            {
                throw new ArgumentException("NanoMqttOptions.Host is empty: set the broker's host name or address.");
            }

            if (options.SendBufferSize < 64 || options.ReceiveBufferSize < 64 || options.QueueLength < 1 || options.MaxSubscriptions < 1)
            {
                throw new ArgumentException("NanoMqttOptions: SendBufferSize and ReceiveBufferSize must be at least 64 bytes, QueueLength and MaxSubscriptions at least 1.");
            }

            _options = options;
            _socket = socket;
            _clock = clock;
            _events = events;
            _connection = new ConnectionInterpreter(new ConnectionGuards(this));
            _keepAlive = new KeepAliveInterpreter(new KeepAliveGuards(this));
            _publish = new PublishInterpreter();
            _outbox = new NanoOutbox(options.SendBufferSize);
            _inbox = new byte[options.ReceiveBufferSize];
            _held = new NanoOutboundMessage[options.QueueLength];
            _subscriptions = new NanoSubscription[options.MaxSubscriptions];
        }

        /// <summary>The Connection machine's state.</summary>
        public ConnectionState State
        {
            get { return _connection.State; }
        }

        /// <summary>The KeepAlive machine's state.</summary>
        public KeepAliveState KeepAliveState
        {
            get { return _keepAlive.State; }
        }

        /// <summary>True while CONNACK has accepted the current link.</summary>
        public bool IsConnected
        {
            get { return _connection.State == ConnectionState.Connected; }
        }

        /// <summary>QoS 1 messages held until PUBACK.</summary>
        public int HeldCount
        {
            get { return _heldCount; }
        }

        /// <summary>Why the last link closed or the last connect failed, or null.</summary>
        public string LastError { get; private set; }

        /// <summary>Starts connecting (and, from then on, keeps the client connected). Throws while a Disconnect is in progress.</summary>
        public void Connect()
        {
            EnsureNotDisposed();
            if (_connection.State == ConnectionState.Idle || _connection.State == ConnectionState.Closed)
            {
                _hasConnected = false; // NeverConnected: counted from this Connect
                _attempt = 0;
            }

            FireConnection(ConnectionTrigger.Connect);
        }

        /// <summary>Sends DISCONNECT (when connected) and closes; held QoS 1 messages stay held for the next Connect.</summary>
        public void Disconnect()
        {
            EnsureNotDisposed();
            FireConnection(ConnectionTrigger.Disconnect);
        }

        /// <summary>The network interface came up or went down (the glue's Wi-Fi callback, like mqtt_as's wifi_coro).</summary>
        public void WifiChanged(bool up)
        {
            _wifiUp = up;
            ConnectionState state = _connection.State;
            if (!up && (state == ConnectionState.Connecting || state == ConnectionState.AwaitingConnAck || state == ConnectionState.Connected || state == ConnectionState.Disconnecting))
            {
                LastError = "Wi-Fi went down";
                FireConnection(ConnectionTrigger.LinkLost);
            }
            else if (up && state == ConnectionState.Backoff && _backoffDue > _clock.NowMilliseconds)
            {
                // The network is back: try now rather than sleep out a delay earned while it was down.
                _backoffDue = _clock.NowMilliseconds;
            }
        }

        /// <summary>Closes everything; the client cannot be used afterwards.</summary>
        public void Dispose()
        {
            if (_connection.State != ConnectionState.Disposed)
            {
                FireConnection(ConnectionTrigger.Dispose);
            }
        }

        /// <summary>Does all pending work without blocking: opens, flushes, reads, pings, re-sends, reconnects.</summary>
        public void Poll()
        {
            if (_connection.State == ConnectionState.Disposed)
            {
                return;
            }

            long now = _clock.NowMilliseconds;
            switch (_connection.State)
            {
                case ConnectionState.Connecting:
                    PollOpening(now);
                    break;
                case ConnectionState.AwaitingConnAck:
                case ConnectionState.Connected:
                case ConnectionState.Disconnecting:
                    PollLink(now);
                    break;
                case ConnectionState.Backoff:
                    if (_wifiUp && now >= _backoffDue)
                    {
                        FireConnection(ConnectionTrigger.BackoffElapsed);
                    }

                    break;
                default:
                    break;
            }
        }

        private void EnsureNotDisposed()
        {
            if (_connection.State == ConnectionState.Disposed)
            {
                throw new ObjectDisposedException("NanoMqttClient");
            }
        }
    }
}
