using System.Collections;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// The MQTT session as a state machine that does no I/O: the one place that carries out spec/'s tables and rules. A
    /// driver feeds it what happened — commands from the application, results from the link, packets, deadlines reached,
    /// each with the time — and then polls it for what to do: actions on the link (<see cref="PollAction"/>), the next
    /// deadline (<see cref="PollTimeout"/>), events for the application (<see cref="PollEvent"/>) and received messages
    /// (<see cref="TakeMessage"/>). It has no sockets, timers, threads or clock, so the same engine runs under core/'s async
    /// loop, nano's Poll loop, the model checker and the simulation. Not thread-safe: one driver loop owns it.
    /// </summary>
    public sealed partial class SessionEngine : IConnectionGuards, IKeepAliveGuards
    {
        /// <summary>No deadline.</summary>
        public const long Never = long.MaxValue;

        private readonly IConnectionMachine _connection;
        private readonly IKeepAliveMachine _keepAlive;
        private readonly IPublishMachine _publish;
        private readonly IMachineFactory _machines; // kept for the Receipt machine, made only when a QoS 2 message first arrives
        private readonly IRandomSource _random;
        private readonly InboundDispatchRow[] _dispatch = InboundDispatchTable.CreateRows();
        private readonly ActionQueue _actions = new ActionQueue();
        private readonly EventQueue _events = new EventQueue();
        private readonly EngineStatistics _statistics = new EngineStatistics();
        private long _now;

        /// <summary>Creates an engine in state Idle; nothing happens until <see cref="Connect"/>.</summary>
        /// <param name="options">The settings (validated here).</param>
        /// <param name="machines">The driver's machines, each built from spec/'s tables.</param>
        /// <param name="random">The driver's random source for backoff jitter.</param>
        public SessionEngine(EngineOptions options, IMachineFactory machines, IRandomSource random)
        {
            if (options == null || machines == null || random == null)
            {
                throw new System.ArgumentNullException(options == null ? "options" : machines == null ? "machines" : "random");
            }

            options.Validate();
            Options = options;
            _window = options.MaxInflight;
            _keepAliveMs = options.KeepAliveMs;
            _pingIntervalMs = options.EffectivePingIntervalMs;
            _random = random;
            _connection = machines.CreateConnection(this);
            _keepAlive = machines.CreateKeepAlive(this);
            _publish = machines.CreatePublish();
            _machines = machines;
        }

        /// <summary>The settings.</summary>
        public EngineOptions Options { get; }

        // What the last accepted CONNACK left in force: MQTT 5's Receive Maximum clamps the window, its Server Keep Alive
        // replaces ours. Options until then.
        private int _window;
        private long _brokerMaximumPacketSize; // the last accepted CONNACK's Maximum Packet Size (MQTT 5); 0: none given
        private int _serverDisconnectCode = -1; // while the link is lost to a broker's DISCONNECT (MQTT 5): its reason code
        private int _disconnectReasonCode; // the MQTT 5 reason code the DISCONNECT under way carries (0x00 unless the application chose one)
        private string _assignedClientIdentifier; // an MQTT 5 broker's Assigned Client Identifier, reused by later CONNECTs
        private string _serverReference; // the Server Reference of the DISCONNECT that ended the last link, if any
        private string _referenceToFollow; // that reference, when the user follows them, until the next attempt dials it
        private int _server; // the configured server the current or next attempt dials (ServerRotationRules)
        private string _dialReference; // the Server Reference it dials in place of _server, or null
        private string _responseInformation; // the last accepted CONNACK's Response Information (MQTT 5), if any
        private long _keepAliveMs;
        private long _pingIntervalMs;

        /// <summary>The in-flight window in force (MaxInflight, clamped to an MQTT 5 broker's Receive Maximum).</summary>
        public int Window
        {
            get { return _window; }
        }

        /// <summary>The keepalive in force, in ms (KeepAliveMs, or an MQTT 5 broker's Server Keep Alive).</summary>
        public long KeepAliveInForceMs
        {
            get { return _keepAliveMs; }
        }

        /// <summary>
        /// MQTT 5: the Response Information of the last accepted CONNACK — what the broker offers as the start of response
        /// topics, given when the CONNECT asked for it — or null.
        /// </summary>
        public string ResponseInformation
        {
            get { return _responseInformation; }
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

        /// <summary>True while a CONNACK-accepted link is up.</summary>
        public bool IsConnected
        {
            get { return _connection.State == ConnectionState.Connected; }
        }

        /// <summary>The number of the current link (the last one opened); results for any other are ignored.</summary>
        public int Link
        {
            get { return _link; }
        }

        /// <summary>Counters of what the engine has done.</summary>
        public EngineStatistics Statistics
        {
            get { return _statistics; }
        }

        /// <summary>Attempts to open a link since the last Connect from Idle or Closed (what a cancelled ConnectAsync reports).</summary>
        public int ConnectAttempts
        {
            get { return _attempts; }
        }

        /// <summary>When the last Connect from Idle or Closed was made.</summary>
        public long ConnectStartedAt
        {
            get { return _connectStartedAt; }
        }

        /// <summary>Why the last failed connect attempt failed, in words; empty when none has failed since that Connect.</summary>
        public string LastAttemptReason
        {
            get { return _lastAttemptReason; }
        }

        /// <summary>The time of the last call.</summary>
        public long Now
        {
            get { return _now; }
        }

        /// <summary>Takes the next thing the driver must do with its link; false when there is none.</summary>
        public bool PollAction(out EngineAction action)
        {
            return _actions.TryDequeue(out action);
        }

        /// <summary>Takes the next event for the application; false when there is none.</summary>
        public bool PollEvent(out EngineEvent engineEvent)
        {
            return _events.TryDequeue(out engineEvent);
        }

        /// <summary>The earliest instant at which <see cref="HandleTimeout"/> has something to do, or <see cref="Never"/>.</summary>
        public long PollTimeout()
        {
            return Min(Min(Min(_connectionDeadline, _keepAliveDeadline), _responseDeadline), _auth == null ? Never : _auth.Deadline);
        }

        /// <summary>Deadlines reached: the connection timer, the keepalive timer, the response timer and a re-authentication's, in that order.</summary>
        public void HandleTimeout(long now)
        {
            _now = now;
            if (_connectionDeadline <= now)
            {
                ConnectionTrigger trigger = _connectionDeadlineTrigger;
                bool bound = _connectionDeadline == FirstConnectDeadline() && trigger != ConnectionTrigger.BackoffElapsed;
                _connectionDeadline = Never;
                if (trigger == ConnectionTrigger.BackoffElapsed)
                {
                    FireConnection(trigger);
                }
                else
                {
                    FireConnection(trigger, bound
                        ? "the first connect's time bound (" + Options.FirstConnectTimeoutMs.ToString() + " ms) ended it in " + StateName()
                        : "no answer within the response time (" + Options.ResponseTimeMs.ToString() + " ms) in " + StateName(), 0);
                }
            }

            if (_keepAliveDeadline <= now)
            {
                _keepAliveDeadline = Never;
                FireKeepAlive(KeepAliveTrigger.Tick);
            }

            if (_responseDeadline <= now)
            {
                OnResponseDeadline();
            }

            if (_auth != null && _auth.Deadline <= now)
            {
                OnAuthenticationDeadline();
            }
        }

        private void Emit(EngineEvent engineEvent)
        {
            _events.Enqueue(engineEvent);
        }

        private void Emit(EventKind kind, object caller, string reason)
        {
            EngineEvent e = default(EngineEvent);
            e.Kind = kind;
            e.Caller = caller;
            e.Reason = reason;
            e.ReturnCode = -1;
            _events.Enqueue(e);
        }

        private void Fail(EventKind kind, object caller, FailureKind failure, string reason)
        {
            EngineEvent e = default(EngineEvent);
            e.Kind = kind;
            e.Caller = caller;
            e.Failure = failure;
            e.Reason = reason;
            e.ReturnCode = -1;
            _events.Enqueue(e);
        }

        private string StateName()
        {
            return ConnectionStateName(_connection.State);
        }

        /// <summary>The state's name without reflection (nano has no Enum.ToString of names).</summary>
        private static string ConnectionStateName(ConnectionState state)
        {
            switch (state)
            {
                case ConnectionState.Idle: return "Idle";
                case ConnectionState.Connecting: return "Connecting";
                case ConnectionState.AwaitingConnAck: return "AwaitingConnAck";
                case ConnectionState.Connected: return "Connected";
                case ConnectionState.Backoff: return "Backoff";
                case ConnectionState.Disconnecting: return "Disconnecting";
                case ConnectionState.Closed: return "Closed";
                default: return "Disposed";
            }
        }

        private static long Min(long a, long b)
        {
            return a < b ? a : b;
        }

        private static long Max(long a, long b)
        {
            return a > b ? a : b;
        }

        private static void RemoveFrom(ArrayList list, object item)
        {
            int at = list.IndexOf(item);
            if (at >= 0)
            {
                list.RemoveAt(at);
            }
        }
    }
}
