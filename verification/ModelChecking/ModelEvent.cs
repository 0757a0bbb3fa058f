namespace StateMachineMqtt.Verification.ModelChecking;

/// <summary>Who causes an event, which decides how the liveness check treats it.</summary>
public enum EventSource
{
    /// <summary>The application: excluded from the liveness graph, except the ConnectAsync it repeats when told to (AppRetryConnect).</summary>
    Application,
    /// <summary>Deadlines and the socket's normal outcomes: weakly fair.</summary>
    Client,
    /// <summary>A packet arriving: weakly fair (a healthy network delivers).</summary>
    Delivery,
    /// <summary>A fault (network, broker, refusal, reset, a link slower than the response time): excluded from the liveness graph.</summary>
    Fault,
    /// <summary>Allowed in the liveness graph but not fair (stuttering: EINPROGRESS / EWOULDBLOCK).</summary>
    Stutter,
}

/// <summary>The events of the composed system: what the application, the network, the broker and time do to the engine.</summary>
public enum ModelEventKind
{
    /// <summary>ConnectAsync, called at will (when no connect call is pending and the application was not told to retry): <c>Connect</c>.</summary>
    AppConnect,
    /// <summary>
    /// ConnectAsync again, as an application does when it has been told to: at the start, after ConnectFailed, after its
    /// DisconnectAsync completed. Fair, and in the liveness graph; a client that stops without telling anyone gets no retry.
    /// </summary>
    AppRetryConnect,
    /// <summary>DisconnectAsync (when none is pending): <c>Disconnect</c>.</summary>
    AppDisconnect,
    /// <summary>PublishAsync at QoS 1, while the engine holds fewer than the model's bound: <c>Publish</c>.</summary>
    AppPublish,
    /// <summary>PublishAsync at QoS 0 (ModelOptions.Qos0Messages): <c>Publish</c>.</summary>
    AppPublishQos0,
    /// <summary>PublishAsync at QoS 2 (ModelOptions.Qos2Messages): <c>Publish</c>.</summary>
    AppPublishQos2,
    /// <summary>The caller of the held message at the given position cancels (once): <c>CancelPublish</c>.</summary>
    AppCancel,
    /// <summary>UnsubscribeAsync, once (ModelOptions.Unsubscribe): <c>Request</c> with an UNSUBSCRIBE.</summary>
    AppUnsubscribe,
    /// <summary>Time moves to the engine's next deadline (<c>PollTimeout</c>), which fires: <c>HandleTimeout</c>.</summary>
    Timeout,
    /// <summary>As Timeout, but while a healthy link still has an answer on its way: a link slower than the deadline (a fault).</summary>
    LateTimeout,
    /// <summary>The socket opens: <c>HandleLinkOpened</c>.</summary>
    SocketOpened,
    /// <summary>EINPROGRESS / EWOULDBLOCK on the current link: <c>HandleLinkPending</c>.</summary>
    SocketPending,
    /// <summary>Opening fails because the network or the broker is down (refused, unreachable): <c>HandleLinkError</c>.</summary>
    ConnectFailed,
    /// <summary>The socket error of a dead link surfaces (reset, unreachable): <c>HandleLinkError</c>.</summary>
    LinkError,
    /// <summary>The oldest write the engine asked to hear about (DISCONNECT) is written: <c>HandleWritten</c>.</summary>
    Written,
    /// <summary>The broker takes the oldest packet on its way to it, and answers as a broker does.</summary>
    DeliverToBroker,
    /// <summary>The engine receives the oldest packet on its way to it: <c>HandleConnAck</c>, <c>HandlePubAck</c>... or end of stream.</summary>
    DeliverToClient,
    /// <summary>Fault: the network goes down (open links die; their errors surface).</summary>
    NetDown,
    /// <summary>Fault: the network goes half-open (open links die silently).</summary>
    NetHalfOpen,
    /// <summary>The network comes back.</summary>
    NetUp,
    /// <summary>Fault: the broker stops and keeps its sessions (persistence).</summary>
    BrokerCrashKeepSession,
    /// <summary>Fault: the broker stops and loses its sessions.</summary>
    BrokerCrashLoseSession,
    /// <summary>The broker comes back.</summary>
    BrokerRestart,
    /// <summary>Fault: the broker answers the CONNECT at the head of its queue with 0x03 and closes the link.</summary>
    RefuseRetryable,
    /// <summary>Fault: the broker answers the CONNECT with 0x05 (not authorised) and closes the link.</summary>
    RefuseFatal,
    /// <summary>Fault: the broker's name cannot be resolved (the network is down): <c>HandleLinkError</c> with EAI_NONAME.</summary>
    DnsFailure,
    /// <summary>Fault: an open link is reset: <c>HandleLinkError</c> with ECONNRESET.</summary>
    LinkReset,
    /// <summary>Fault: the broker sends malformed bytes: <c>HandleMalformed</c>.</summary>
    Malformed,
    /// <summary>Fault (lossy broker): the oldest answer on its way to the engine (PUBACK, PUBREC, PUBCOMP, SUBACK, PINGRESP) is lost.</summary>
    LoseAnswer,
    /// <summary>Fault (lossy broker): the PUBACK, PUBREC, PUBCOMP or PUBREL at the head of the queue to the engine is sent twice.</summary>
    DuplicateAck,
    /// <summary>The broker publishes its next QoS 2 message to the client (ModelOptions.InboundQos2Messages), on a link it accepted.</summary>
    BrokerPublishQos2,
    /// <summary>The broker publishes its next QoS 1 message to the client (ModelOptions.InboundQos1Messages).</summary>
    BrokerPublishQos1,
    /// <summary>The application takes the oldest received message: <c>TakeMessage</c> (its PUBACK or PUBREC goes now).</summary>
    AppTake,
}

/// <summary>An event with its argument (the held message's position for AppCancel; 0 otherwise).</summary>
public readonly record struct ModelEvent(ModelEventKind Kind, int Argument = 0)
{
    /// <summary>Packs the event into an int (kind * 8 + argument).</summary>
    public int Code => ((int)Kind * 8) + Argument;

    /// <summary>Unpacks <see cref="Code"/>.</summary>
    public static ModelEvent FromCode(int code) => new((ModelEventKind)(code / 8), code % 8);

    /// <summary>Who causes the event.</summary>
    public EventSource Source => Kind switch
    {
        ModelEventKind.AppConnect or ModelEventKind.AppRetryConnect or ModelEventKind.AppDisconnect or ModelEventKind.AppPublish or ModelEventKind.AppPublishQos0 or ModelEventKind.AppPublishQos2
            or ModelEventKind.AppCancel or ModelEventKind.AppUnsubscribe or ModelEventKind.AppTake
            or ModelEventKind.BrokerPublishQos2 or ModelEventKind.BrokerPublishQos1 => EventSource.Application, // the broker's publisher is an application too
        ModelEventKind.DeliverToBroker or ModelEventKind.DeliverToClient => EventSource.Delivery,
        ModelEventKind.NetDown or ModelEventKind.NetHalfOpen or ModelEventKind.BrokerCrashKeepSession or ModelEventKind.BrokerCrashLoseSession or ModelEventKind.RefuseRetryable
            or ModelEventKind.RefuseFatal or ModelEventKind.DnsFailure or ModelEventKind.LinkReset or ModelEventKind.Malformed or ModelEventKind.LateTimeout
            or ModelEventKind.LoseAnswer or ModelEventKind.DuplicateAck => EventSource.Fault,
        ModelEventKind.SocketPending => EventSource.Stutter,
        _ => EventSource.Client,
    };

    /// <summary>True when the liveness check requires the event to be taken if it stays enabled (weak fairness).</summary>
    public bool IsFair => Source is EventSource.Client or EventSource.Delivery || Kind == ModelEventKind.AppRetryConnect;

    /// <summary>True when the event belongs to the liveness graph (healthy environment, quiet application).</summary>
    public bool InLivenessGraph => Source is not (EventSource.Fault or EventSource.Application) || Kind == ModelEventKind.AppRetryConnect;

    /// <summary>
    /// False for the events that change only the environment (the broker, the network, packets in flight): the engine is not
    /// called, so a copy of the state to try such an event on may share the engine with the state it came from.
    /// </summary>
    public bool TouchesEngine => Kind is not (ModelEventKind.DeliverToBroker or ModelEventKind.NetDown or ModelEventKind.NetHalfOpen or ModelEventKind.NetUp
        or ModelEventKind.BrokerCrashKeepSession or ModelEventKind.BrokerCrashLoseSession or ModelEventKind.BrokerRestart or ModelEventKind.RefuseRetryable
        or ModelEventKind.RefuseFatal or ModelEventKind.LoseAnswer or ModelEventKind.DuplicateAck or ModelEventKind.BrokerPublishQos2 or ModelEventKind.BrokerPublishQos1);

    /// <summary>Readable name.</summary>
    public override string ToString() => Kind == ModelEventKind.AppCancel ? $"AppCancel(m{Argument})" : Kind.ToString();
}
