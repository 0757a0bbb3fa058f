namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>Who causes an event, which decides how the liveness check treats it.</summary>
public enum EventSource
{
    /// <summary>The application: excluded from the liveness graph, except Connect, which it repeats when told to.</summary>
    Application,
    /// <summary>The client's own timers and the socket's normal outcomes: weakly fair.</summary>
    Client,
    /// <summary>A packet arriving: weakly fair (a healthy network delivers).</summary>
    Delivery,
    /// <summary>A fault (network, broker, refusal, reset): excluded from the liveness graph.</summary>
    Fault,
    /// <summary>Allowed in the liveness graph but not fair (stuttering: EWOULDBLOCK, a tick that finds nothing due).</summary>
    Stutter,
}

/// <summary>The events of the composed system. Events marked "per message" carry the message's position in the held list.</summary>
public enum EventKind
{
    /// <summary>ConnectAsync.</summary>
    AppConnect,
    /// <summary>DisconnectAsync.</summary>
    AppDisconnect,
    /// <summary>PublishAsync at QoS 1 (when fewer than the model's limit are held).</summary>
    AppPublish,
    /// <summary>The caller cancels a PublishAsync (per message).</summary>
    AppCancel,
    /// <summary>The reconnect delay passes.</summary>
    BackoffElapsed,
    /// <summary>The connection timer's response time passes (connect, CONNACK, SUBACK or DISCONNECT overdue).</summary>
    ConnectionTimeout,
    /// <summary>A message's PUBACK deadline passes (per message).</summary>
    PubAckTimeout,
    /// <summary>Keepalive timer fires and finds WithinPingInterval.</summary>
    TickWithin,
    /// <summary>Keepalive timer fires and finds PingIntervalElapsed.</summary>
    TickPing,
    /// <summary>Keepalive timer fires and finds KeepAliveElapsed.</summary>
    TickDead,
    /// <summary>Time passes: the clock phase advances.</summary>
    ClockAdvance,
    /// <summary>EINPROGRESS / EWOULDBLOCK.</summary>
    SocketPending,
    /// <summary>The TCP connection opens.</summary>
    SocketOpened,
    /// <summary>Opening fails (refused, unreachable, timed out).</summary>
    ConnectFailed,
    /// <summary>The socket error of a dead link surfaces (reset, EOF).</summary>
    LinkError,
    /// <summary>The DISCONNECT has been written.</summary>
    DisconnectFlushed,
    /// <summary>The broker receives CONNECT and accepts it.</summary>
    DeliverConnect,
    /// <summary>The client receives the CONNACK.</summary>
    DeliverConnAck,
    /// <summary>The broker receives a PUBLISH (per message).</summary>
    DeliverPublish,
    /// <summary>The client receives a PUBACK (per message).</summary>
    DeliverPubAck,
    /// <summary>The broker receives PINGREQ.</summary>
    DeliverPingReq,
    /// <summary>The client receives PINGRESP.</summary>
    DeliverPingResp,
    /// <summary>The broker receives the restoring SUBSCRIBE.</summary>
    DeliverSubscribe,
    /// <summary>The client receives SUBACK.</summary>
    DeliverSubAck,
    /// <summary>Fault: the network goes down.</summary>
    NetDown,
    /// <summary>Fault: the network goes half-open.</summary>
    NetHalfOpen,
    /// <summary>The network comes back.</summary>
    NetUp,
    /// <summary>Fault: the broker stops and keeps its sessions (persistence).</summary>
    BrokerCrashKeepSession,
    /// <summary>Fault: the broker stops and loses its sessions.</summary>
    BrokerCrashLoseSession,
    /// <summary>The broker comes back.</summary>
    BrokerRestart,
    /// <summary>Fault: the broker answers CONNECT with 0x03.</summary>
    RefuseRetryable,
    /// <summary>Fault: the broker answers CONNECT with a configuration refusal.</summary>
    RefuseFatal,
    /// <summary>Fault: the broker's name cannot be resolved (network down).</summary>
    ConfigurationError,
    /// <summary>Fault: an open link is reset.</summary>
    LinkReset,
    /// <summary>Fault: the broker sends malformed bytes.</summary>
    ProtocolViolation,
}

/// <summary>An event with its message position (0 when not per message).</summary>
public readonly record struct ModelEvent(EventKind Kind, int Message = 0)
{
    /// <summary>Number of kinds.</summary>
    public static readonly int KindCount = Enum.GetValues<EventKind>().Length;

    /// <summary>Packs the event into an int (kind * 4 + message).</summary>
    public int Code => ((int)Kind * 4) + Message;

    /// <summary>Unpacks <see cref="Code"/>.</summary>
    public static ModelEvent FromCode(int code) => new((EventKind)(code / 4), code % 4);

    /// <summary>True for events that concern one held message.</summary>
    public static bool IsPerMessage(EventKind kind) =>
        kind is EventKind.AppCancel or EventKind.PubAckTimeout or EventKind.DeliverPublish or EventKind.DeliverPubAck;

    /// <summary>Who causes the event.</summary>
    public EventSource Source => Kind switch
    {
        EventKind.AppConnect or EventKind.AppDisconnect or EventKind.AppPublish or EventKind.AppCancel => EventSource.Application,
        EventKind.DeliverConnect or EventKind.DeliverConnAck or EventKind.DeliverPublish or EventKind.DeliverPubAck or EventKind.DeliverPingReq
            or EventKind.DeliverPingResp or EventKind.DeliverSubscribe or EventKind.DeliverSubAck => EventSource.Delivery,
        EventKind.NetDown or EventKind.NetHalfOpen or EventKind.BrokerCrashKeepSession or EventKind.BrokerCrashLoseSession or EventKind.RefuseRetryable
            or EventKind.RefuseFatal or EventKind.ConfigurationError or EventKind.LinkReset or EventKind.ProtocolViolation => EventSource.Fault,
        EventKind.SocketPending or EventKind.TickWithin => EventSource.Stutter,
        _ => EventSource.Client,
    };

    /// <summary>True when the liveness check requires the event to be taken if it stays enabled (weak fairness).</summary>
    public bool IsFair => Source is EventSource.Client or EventSource.Delivery || Kind == EventKind.AppConnect;

    /// <summary>True when the event belongs to the liveness graph (healthy environment, quiet application).</summary>
    public bool InLivenessGraph => Source is not (EventSource.Fault or EventSource.Application) || Kind == EventKind.AppConnect;

    /// <summary>Readable name.</summary>
    public override string ToString() => IsPerMessage(Kind) ? $"{Kind}(m{Message})" : Kind.ToString();
}
