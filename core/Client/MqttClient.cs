using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StateMachineMqtt.Engine;
using StateMachineMqtt.Machines;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt;

/// <summary>
/// A resilient MQTT 3.1.1 client. It never blocks the caller on I/O, detects dead links with keepalive pings, reconnects
/// by itself with backoff, re-sends unacknowledged QoS 1 messages with DUP and restores subscriptions. Every decision is
/// the session engine's (engine/), which carries out the tables in spec/ through Stateless machines; this class is its
/// driver: one connection loop owns the engine, the link and the timer, and API calls reach it through a queue.
/// </summary>
public sealed partial class MqttClient : IMqttClient
{
    private readonly MqttClientOptions _options;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _epoch;
    private readonly ILogger _logger;
    private readonly TaskScheduler _scheduler;
    private readonly Action<TakenTransition>? _observer;
    private readonly SessionEngine _engine;
    private readonly Channel<LoopEvent> _inbox = Channel.CreateUnbounded<LoopEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ReceiveQueue _messages;
    private readonly Task _loop;
    private readonly MqttClientMetrics _metrics;
    private int _disposeRequested;
    private int _connectRequested; // 1 once ConnectAsync has been called: before it, calls could only wait forever
    private volatile bool _isConnected;
    private volatile int _undeliveredCount;

    /// <summary>Creates a client. Nothing happens on the network until <see cref="ConnectAsync"/>.</summary>
    /// <param name="options">Settings; validated here (ArgumentException says what is wrong).</param>
    /// <param name="timeProvider">Clock for every timeout; defaults to the system clock.</param>
    /// <param name="loggerFactory">Logging; defaults to none.</param>
    /// <param name="transport">How links are opened; defaults to TCP (or TLS when options.Tls is set).</param>
    public MqttClient(MqttClientOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IMqttTransport? transport = null)
        : this(options, timeProvider, loggerFactory, transport, scheduler: null, observer: null, tables: null)
    {
    }

    /// <summary>
    /// The full constructor: tests pass a deterministic scheduler for the loop, an observer of every transition, and
    /// (mutation tests only) a copy of the tables to run instead of spec/'s.
    /// </summary>
    internal MqttClient(MqttClientOptions options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IMqttTransport? transport, TaskScheduler? scheduler, Action<TakenTransition>? observer, MachineTables? tables = null, Func<IMqttTransport, IMqttTransport>? wrapTransport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Copy(); // validated and kept as they are now
        options.Validate();
        _options = options;
        _clientIdentifier = options.ClientId;
        _metrics = new MqttClientMetrics(options.ClientId, options.MeterFactory);
        _time = timeProvider ?? TimeProvider.System;
        _epoch = _time.GetUtcNow();
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<MqttClient>();
        SetUpServers(options, transport, wrapTransport);
        _scheduler = scheduler ?? TaskScheduler.Default;
        _observer = observer;
        _messages = new ReceiveQueue(options.ReceiveQueueLength, OnMessageTaken, dropped: _ => { });
        EngineOptions engineOptions = EngineOptionsFactory.From(options);
        engineOptions.ServerCount = _transports.Length;
        _engine = new SessionEngine(engineOptions, new StatelessMachines(tables, Observe), EngineOptionsFactory.Jitter(options));
        OpenStore();
        _loop = Task.Factory.StartNew(RunLoopAsync, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler).Unwrap();
    }

    /// <summary>Counters of what the client has done so far.</summary>
    public MqttClientStatistics Statistics => _metrics.Snapshot();

    /// <summary>True while a CONNACK-accepted link is up.</summary>
    public bool IsConnected => _isConnected;

    /// <summary>
    /// The Client Identifier the client connects with: <see cref="MqttClientOptions.ClientId"/>, or, when that is empty, the
    /// one an MQTT 5 broker assigned in its CONNACK (known from the first connect on), which every reconnect then uses, so a
    /// kept session resumes.
    /// </summary>
    public string ClientIdentifier => Volatile.Read(ref _clientIdentifier);

    /// <summary>
    /// MQTT 5: the Response Information the broker gave in its last accepted CONNACK, when asked for with
    /// <see cref="MqttClientOptions.RequestResponseInformation"/>, or null. <see cref="RequestAsync"/> makes its response
    /// topics under it.
    /// </summary>
    public string? ResponseInformation => Volatile.Read(ref _responseInformation);

    /// <summary>Raised on the client's loop when the link comes up or goes down; keep handlers short.</summary>
    public event EventHandler<MqttConnectionEventArgs>? ConnectionChanged;

    /// <summary>
    /// Starts the client and completes once a CONNACK accepts it. Transient network errors are retried with backoff
    /// until <paramref name="cancellationToken"/> fires, or until the first connect's bound (FirstConnectTimeout,
    /// FirstConnectAttempts) is reached, which throws <see cref="MqttConnectException"/> with the last attempt's error;
    /// configuration errors (unknown host, certificate rejected, CONNACK refused) throw it at once. Each failed attempt
    /// raises <see cref="ConnectionChanged"/> (AttemptFailed, with its reason and the delay before the next). Afterwards the
    /// client keeps itself connected until DisconnectAsync or DisposeAsync. Cancelling ends only this wait — with an
    /// OperationCanceledException naming the server, the time spent, the attempts and the last error (its inner
    /// exception) — and the client goes on trying in the background, so a later ConnectAsync or PublishAsync picks up
    /// where it is; call DisconnectAsync to stop it.
    /// </summary>
    public Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (Refuse(cancellationToken) is { } refused)
        {
            return refused;
        }

        Volatile.Write(ref _connectRequested, 1);
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = cancellationToken.Register(() => Post(new LoopEvent.CancelConnect(waiter, cancellationToken)));
        _ = waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Post(new LoopEvent.Connect(waiter));
        return AsCancelledWhenCancelled(waiter.Task);
    }

    /// <summary>
    /// The same outcome, except that a wait ended by the caller's token is a cancelled task (IsCanceled), whose await still
    /// throws the OperationCanceledException that names the cause: an async method turns a thrown OCE into cancellation
    /// and keeps the exception.
    /// </summary>
    private static async Task AsCancelledWhenCancelled(Task waiter) => await waiter.ConfigureAwait(true); // as the other calls: the caller's context

    /// <summary>
    /// Publishes a message. QoS 0 completes once written to a live link; QoS 1 once PUBACK arrives; QoS 2 once PUBCOMP
    /// arrives — across any number of reconnects, the PUBLISH re-sent with DUP until PUBREC, and PUBREL after it, as needed. While disconnected it waits for the link. The outbound queue is bounded
    /// (MaxQueuedMessages, MaxQueuedBytes); when it is full the call waits for room, fails, or drops the oldest QoS 0
    /// message, as OutboundOverflow says. Cancelling before the first send withdraws the message; after it, only the wait
    /// is cancelled and the message is still delivered (I1). The payload is copied, so the caller may reuse its buffer.
    /// Before the first ConnectAsync it throws InvalidOperationException (it could only wait); after DisconnectAsync the
    /// message is held, within the outbound queue's bounds and policy, and sent once ConnectAsync is called again.
    /// A message whose PUBLISH would be larger than <see cref="MqttClientOptions.MaximumPacketSize"/> (or than MQTT can carry)
    /// is never queued: the returned task fails with ArgumentException naming its size, the limit and what to change.
    /// </summary>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the payload's type (bytes or text), so no call is ambiguous, and their optional parameters are the same.")]
    public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService = MqttQualityOfService.AtMostOnce, bool retain = false, CancellationToken cancellationToken = default) =>
        PublishAsync(topic, payload, qualityOfService, retain, null, cancellationToken);

    /// <summary>
    /// Publishes a message with MQTT 5 <paramref name="properties"/> (content type, expiry, user properties, response topic,
    /// correlation data), which the broker forwards to subscribers; null sends none. Otherwise as the overload without
    /// them. Throws ArgumentException under MQTT 3.1.1 (which has no properties), for Subscription Identifiers (only a broker
    /// sends them), for a value that does not fit its field, and for a payload marked PayloadFormat.Utf8 that is not well-formed
    /// UTF-8; the properties count toward the PUBLISH's size.
    /// </summary>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "Its properties parameter is required, so no call is ambiguous with the overloads without it.")]
    public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService, bool retain, MqttMessageProperties? properties, CancellationToken cancellationToken = default)
    {
        TopicValidation.EnsureTopicName(topic, nameof(topic));
        if (properties?.PayloadFormat == MqttPayloadFormat.Utf8 && !System.Text.Unicode.Utf8.IsValid(payload.Span))
        {
            // The sender's duty (MQTT 5.0 section 3.3.2.3.2); a receiver that checks may close the link over it.
            throw new ArgumentException(
                "The payload is marked PayloadFormat.Utf8 (UTF-8 text) but is not well-formed UTF-8 (MQTT 5.0 section 3.3.2.3.2); a receiver may refuse it. Send valid UTF-8, or leave PayloadFormat Unspecified for binary data.",
                nameof(payload));
        }

        if (qualityOfService > MqttQualityOfService.ExactlyOnce)
        {
            throw new ArgumentOutOfRangeException(nameof(qualityOfService), qualityOfService, "QoS must be 0 (AtMostOnce), 1 (AtLeastOnce) or 2 (ExactlyOnce).");
        }

        if (Refuse(cancellationToken) is { } refused)
        {
            return refused;
        }

        EnsureConnectCalled(nameof(PublishAsync));
        MqttProperties? wire = MessagePropertiesMapping.ToWire(properties, _options.ProtocolVersion);
        PublishSpan? span = MqttClientTracing.StartPublish(topic, (int)qualityOfService, retain, payload.Length, ClientIdentifier, _options, _time);
        if (_options.ProtocolVersion == Spec.MqttProtocolVersion.V500)
        {
            wire = MqttClientTracing.Inject(wire, span); // the trace context travels with the message, re-sends included
        }

        int propertiesSize = MessagePropertiesMapping.SectionSize(wire, _options.ProtocolVersion);
        var call = new PublishCall(topic, payload.ToArray(), (int)qualityOfService, retain, wire, propertiesSize, cancellationToken, span);
        return _callCredits.Wait(0, CancellationToken.None) ? Enqueue(call) : EnqueueWhenRoomAsync(call);
    }

    private Task Enqueue(PublishCall call)
    {
        call.Cancellation = call.CallerToken.Register(() => Post(new LoopEvent.CancelPublish(call)));
        Post(new LoopEvent.Publish(call));
        return call.Completion.Task;
    }

    /// <summary>The inbox holds <see cref="CallsWaitingBound"/> calls already: wait for room, honouring the caller's token.</summary>
    private async Task EnqueueWhenRoomAsync(PublishCall call)
    {
        // Resume on the caller's scheduler (as the loop's awaits do), so a deterministic test scheduler keeps the order.
        try
        {
            await _callCredits.WaitAsync(call.CallerToken).ConfigureAwait(true);
        }
        catch (OperationCanceledException)
        {
            call.Span?.Cancelled(); // never reached the loop, which ends every other span
            throw;
        }

        await Enqueue(call).ConfigureAwait(true);
    }

    /// <summary>Publishes a UTF-8 text payload. See the byte overload.</summary>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the payload's type (bytes or text), so no call is ambiguous, and their optional parameters are the same.")]
    public Task PublishAsync(string topic, string payload, MqttQualityOfService qualityOfService = MqttQualityOfService.AtMostOnce, bool retain = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return PublishAsync(topic, System.Text.Encoding.UTF8.GetBytes(payload), qualityOfService, retain, cancellationToken);
    }

    /// <summary>
    /// Subscribes and returns the QoS the broker granted. The subscription is restored after every reconnect that lost the
    /// session (I8). Throws <see cref="MqttSubscribeException"/> when the broker refuses it (SUBACK 0x80), and
    /// InvalidOperationException before the first ConnectAsync. After DisconnectAsync it waits for the next ConnectAsync.
    /// </summary>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overload with options takes them as a required parameter, so no call is ambiguous.")]
    public Task<MqttQualityOfService> SubscribeAsync(string topicFilter, MqttQualityOfService qualityOfService = MqttQualityOfService.AtLeastOnce, CancellationToken cancellationToken = default) =>
        SubscribeAsync(topicFilter, qualityOfService, null, cancellationToken);

    /// <summary>
    /// Subscribes with MQTT 5 <paramref name="options"/> (No Local, Retain As Published, Retain Handling, a Subscription
    /// Identifier), kept and restored with the subscription; null: none. Otherwise as the overload without them. Throws
    /// ArgumentException under MQTT 3.1.1 for any option set, for No Local on a shared subscription [MQTT-3.8.3-4], and
    /// for an identifier outside 1 to 268,435,455.
    /// </summary>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overload with options takes them as a required parameter, so no call is ambiguous.")]
    public Task<MqttQualityOfService> SubscribeAsync(string topicFilter, MqttQualityOfService qualityOfService, MqttSubscriptionOptions? options, CancellationToken cancellationToken = default)
    {
        TopicValidation.EnsureTopicFilter(topicFilter, nameof(topicFilter));
        EnsureSubscriptionQos(qualityOfService);
        (int bits, int identifier) = SubscriptionOptionsMapping.ToEngine(topicFilter, options, _options.ProtocolVersion);
        return StartRequest(RequestCall.Subscribe(topicFilter, (int)qualityOfService, bits, identifier, cancellationToken), nameof(SubscribeAsync));
    }

    private static void EnsureSubscriptionQos(MqttQualityOfService qualityOfService)
    {
        if (qualityOfService > MqttQualityOfService.ExactlyOnce)
        {
            throw new ArgumentOutOfRangeException(nameof(qualityOfService), qualityOfService, "QoS must be 0, 1 or 2.");
        }
    }

    /// <summary>
    /// Unsubscribes; the filter is no longer restored after reconnects. Throws InvalidOperationException before the first
    /// ConnectAsync.
    /// </summary>
    public Task UnsubscribeAsync(string topicFilter, CancellationToken cancellationToken = default)
    {
        TopicValidation.EnsureTopicFilter(topicFilter, nameof(topicFilter));
        return StartRequest(RequestCall.Unsubscribe(topicFilter, cancellationToken), nameof(UnsubscribeAsync));
    }

    /// <summary>
    /// Completes once every message accepted before this call has completed: acknowledged (QoS 1), written (QoS 0), or
    /// failed (each PublishAsync says which). Messages published afterwards are not waited for. While disconnected it waits
    /// for the link to come back. Cancelling ends only this wait: the messages stay held and are still delivered.
    /// </summary>
    public Task DrainAsync(CancellationToken cancellationToken = default)
    {
        if (Refuse(cancellationToken) is { } refused)
        {
            return refused;
        }

        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = cancellationToken.Register(() => Post(new LoopEvent.CancelDrain(waiter, cancellationToken)));
        _ = waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Post(new LoopEvent.Drain(waiter));
        return waiter.Task;
    }

    /// <summary>
    /// With <paramref name="drain"/>, first waits until every message accepted before the call has completed
    /// (<see cref="DrainAsync"/>), then disconnects; without it, disconnects at once. If
    /// <paramref name="cancellationToken"/> fires during the drain, nothing is disconnected and the call throws
    /// OperationCanceledException: to drain for at most a while and then disconnect regardless, catch it and call
    /// <see cref="DisconnectAsync(CancellationToken)"/>.
    /// </summary>
    public async Task DisconnectAsync(bool drain, CancellationToken cancellationToken)
    {
        if (drain)
        {
            await DrainAsync(cancellationToken).ConfigureAwait(true); // as the other calls: the caller's context
        }

        await DisconnectAsync(cancellationToken).ConfigureAwait(true);
    }

    /// <summary>
    /// Sends DISCONNECT and closes the link; stops reconnecting. It does not wait for held messages (see
    /// <see cref="DisconnectAsync(bool, CancellationToken)"/> to drain first): held messages stay held, within the outbound
    /// queue's bounds, for a later ConnectAsync, as do publishes made while disconnected.
    /// </summary>
    [SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "The draining overload has no optional parameter, so no call is ambiguous, and DisconnectAsync() stays the short form.")]
    public Task DisconnectAsync(CancellationToken cancellationToken = default) =>
        DisconnectAsync(MqttDisconnectReason.NormalDisconnection, cancellationToken);

    /// <summary>
    /// As <see cref="DisconnectAsync(CancellationToken)"/>, the MQTT 5 DISCONNECT carrying <paramref name="reason"/>: for
    /// example <see cref="MqttDisconnectReason.DisconnectWithWillMessage"/> leaves and still has the broker publish the
    /// will. The call that starts the disconnect chooses the code; calls joining one under way do not change it. Any
    /// reason but NormalDisconnection needs ProtocolVersion V500 (ArgumentException otherwise).
    /// </summary>
    [SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "Its two parameters are of other types than the draining overload's, so no call is ambiguous.")]
    public Task DisconnectAsync(MqttDisconnectReason reason, CancellationToken cancellationToken = default)
    {
        if (!Spec.DisconnectRules.IsClientReasonCode((int)reason))
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a reason code a client may send in DISCONNECT (3.14.2.1): use one of MqttDisconnectReason's named values.");
        }

        if (reason != MqttDisconnectReason.NormalDisconnection && _options.ProtocolVersion != Spec.MqttProtocolVersion.V500)
        {
            throw new ArgumentException($"DISCONNECT carries a reason code ({reason}) only under MQTT 5: set ProtocolVersion = V500, or disconnect with NormalDisconnection.", nameof(reason));
        }

        if (Refuse(cancellationToken) is { } refused)
        {
            return refused;
        }

        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new LoopEvent.Disconnect(waiter, (int)reason));
        return waiter.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Messages received on the client's subscriptions, in arrival order (I9), except those a subscription stream
    /// (<see cref="SubscribeStreamAsync"/>) matches: they go to the stream instead. One reader at a time: a second concurrent
    /// enumeration throws InvalidOperationException (read from one loop and dispatch, or use subscription streams);
    /// enumerating again after the first has ended is fine, and continues where it stopped. A QoS 1 or 2 message is
    /// acknowledged to the broker only once it is in this queue; while the queue is full the client stops reading the
    /// socket, so a slow reader slows the broker instead of losing messages. Streams share that socket: while this queue is
    /// full, they receive nothing either (head-of-line blocking).
    /// </summary>
    public IAsyncEnumerable<MqttMessage> ReadMessagesAsync(CancellationToken cancellationToken = default) =>
        _messages.ReadAllAsync(ReadMessagesAlreadyRead, cancellationToken);

    /// <summary>Closes the link without DISCONNECT and fails pending calls with ObjectDisposedException.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeRequested, 1) == 0)
        {
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Post(new LoopEvent.Dispose(waiter));
        }

        // The loop never faults (it fails callers instead), and ends once everything is closed.
        return _store is null ? new ValueTask(_loop) : CloseStoreAfterLoopAsync();
    }

    /// <summary>
    /// The held QoS 1 and QoS 2 messages, in order, for invariant checks (I1, I2). Not synchronised: call it only where the
    /// loop cannot run concurrently, as the deterministic simulation does.
    /// </summary>
    internal IReadOnlyList<(string Topic, ReadOnlyMemory<byte> Payload, ushort PacketId, Spec.PublishState State)> SnapshotHeldMessages() =>
        [.. _engine.SnapshotHeld().Where(m => m.Qos >= 1).Select(m => (m.Topic, (ReadOnlyMemory<byte>)m.Payload, (ushort)m.PacketId, m.State))];

    /// <summary>The subscriptions the client would restore, for invariant checks (I8); same caveat as <see cref="SnapshotHeldMessages"/>.</summary>
    internal IReadOnlyList<string> SnapshotSubscriptions() => [.. _engine.SnapshotSubscriptions().Select(s => s.Filter)];

    /// <summary>How many more calls the inbox takes before callers wait (tests).</summary>
    internal int InboxRoom => _callCredits.CurrentCount;

    /// <summary>The engine, for tests that check its counters; same caveat as <see cref="SnapshotHeldMessages"/>.</summary>
    internal SessionEngine Engine => _engine;

    // Not async: the loop completes the task with the final answer, so no continuation of ours runs on the caller's side.
    private Task<MqttQualityOfService> StartRequest(RequestCall call, string method)
    {
        if (Volatile.Read(ref _disposeRequested) != 0)
        {
            return Task.FromException<MqttQualityOfService>(new ObjectDisposedException(nameof(MqttClient), "The MQTT client has been disposed; create a new one."));
        }

        EnsureConnectCalled(method);
        if (call.CallerToken.IsCancellationRequested)
        {
            return Task.FromCanceled<MqttQualityOfService>(call.CallerToken);
        }

        return _callCredits.Wait(0, CancellationToken.None) ? Enqueue(call) : EnqueueWhenRoomAsync(call);
    }

    private Task<MqttQualityOfService> Enqueue(RequestCall call)
    {
        call.Cancellation = call.CallerToken.Register(() => Post(new LoopEvent.CancelRequest(call)));
        Post(new LoopEvent.Request(call));
        return call.Completion.Task;
    }

    private async Task<MqttQualityOfService> EnqueueWhenRoomAsync(RequestCall call)
    {
        await _callCredits.WaitAsync(call.CallerToken).ConfigureAwait(true);
        return await Enqueue(call).ConfigureAwait(true);
    }

    /// <summary>Before the first ConnectAsync nothing would ever send the call: it would wait until its token fires.</summary>
    private void EnsureConnectCalled(string method)
    {
        if (Volatile.Read(ref _connectRequested) == 0)
        {
            throw new InvalidOperationException($"{method} was called before ConnectAsync: call ConnectAsync first. (After DisconnectAsync, calls are held for the next ConnectAsync.)");
        }
    }

    private Task? Refuse(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposeRequested) != 0)
        {
            return Task.FromException(new ObjectDisposedException(nameof(MqttClient), "The MQTT client has been disposed; create a new one."));
        }

        return cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : null;
    }

    private void Post(LoopEvent loopEvent)
    {
        if (!_inbox.Writer.TryWrite(loopEvent))
        {
            FailAfterShutdown(loopEvent);
        }
    }

    private void Observe(TakenTransition transition)
    {
        _observer?.Invoke(transition);
        _logger.Transition(transition.Machine, transition.From, transition.Trigger, transition.To, transition.RowIndex);
    }
}
