using System.Text;
using Microsoft.Extensions.Logging;
using StateMachineMqtt.Machines;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt;

/// <summary>The Connection machine: its guards and effects, link opening, and the connection timer.</summary>
public sealed partial class MqttClient
{
    private readonly TableMachine<ConnectionState, ConnectionTrigger, ConnectionGuard, ConnectionEffect> _connection;
    private readonly List<TaskCompletionSource> _connectWaiters = [];
    private readonly List<TaskCompletionSource> _disconnectWaiters = [];
    private bool _hasConnected;
    private int _generation;
    private PacketLink? _link;
    private CancellationTokenSource? _connecting;
    private ITimer? _connectionTimer;
    private long _connectionTimerToken;
    private int _backoffAttempt;
    private bool _linkUp;
    private bool _connectUnanswered;
    private bool _sessionInDoubt;

    // Why the machine is being fired: set just before firing so effects can report it.
    private string _reason = "";
    private Exception? _cause;
    private ConnectReturnCode? _refusal;

    private bool ConnectionGuardHolds(ConnectionGuard guard) => guard switch
    {
        ConnectionGuard.NeverConnected => !_hasConnected,
        ConnectionGuard.HasConnectedBefore => _hasConnected,
        ConnectionGuard.SessionTrusted => !_sessionInDoubt,
        ConnectionGuard.SessionInDoubt => _sessionInDoubt,
        _ => true,
    };

    private void FireConnection(ConnectionTrigger trigger, string reason = "", Exception? cause = null)
    {
        _reason = reason;
        _cause = cause;
        var row = _connection.Fire(trigger);
        _isConnected = _connection.State == ConnectionState.Connected;
        RunConnectionEffect(row.Effect);
    }

    private void RunConnectionEffect(ConnectionEffect effect)
    {
        switch (effect)
        {
            case ConnectionEffect.None: break;
            case ConnectionEffect.OpenSocket: OpenSocket(); break;
            case ConnectionEffect.PollSocket: StartConnecting(); break;
            case ConnectionEffect.SendConnect: SendConnect(); break;
            case ConnectionEffect.ResumeSession: LinkUp(sessionPresent: true); break;
            case ConnectionEffect.StartNewSession: LinkUp(sessionPresent: false); break;
            case ConnectionEffect.CloseAndBackoff: CloseAndBackoff(); break;
            case ConnectionEffect.FailConnect: FailConnect(); break;
            case ConnectionEffect.SendDisconnect: SendDisconnect(); break;
            case ConnectionEffect.CloseGracefully: CloseGracefully(); break;
            case ConnectionEffect.RejectConnect: RejectConnect(); break;
            case ConnectionEffect.StopReconnecting: StopReconnecting(); break;
            case ConnectionEffect.Shutdown: ShutdownEverything(new ObjectDisposedException(nameof(MqttClient), "The MQTT client was disposed before this call completed.")); break;
            default: throw new InvalidOperationException($"Connection effect {effect} has no binding in core/.");
        }
    }

    private void OnConnectCommand(TaskCompletionSource waiter)
    {
        _connectWaiters.Add(waiter);
        FireConnection(ConnectionTrigger.Connect, "ConnectAsync");
        if (_connection.State == ConnectionState.Connected)
        {
            CompleteConnectWaiters();
        }
    }

    private void OnConnectCancelled(TaskCompletionSource waiter)
    {
        // Only the caller's wait ends: the client keeps trying, as a later ConnectAsync or publish expects.
        if (_connectWaiters.Remove(waiter))
        {
            waiter.TrySetCanceled();
        }
    }

    private void OnDisconnectCommand(TaskCompletionSource waiter)
    {
        _disconnectWaiters.Add(waiter);
        FireConnection(ConnectionTrigger.Disconnect, "DisconnectAsync");
    }

    private void OnDisposeCommand(TaskCompletionSource waiter)
    {
        _disconnectWaiters.Add(waiter);
        FireConnection(ConnectionTrigger.Dispose, "DisposeAsync");
    }

    private void OpenSocket()
    {
        ArmConnectionTimer(_options.ResponseTime, ConnectionTrigger.ResponseTimeout);
        StartConnecting();
    }

    /// <summary>Starts (or, after EINPROGRESS, restarts) opening a link; the outcome arrives as an event.</summary>
    private void StartConnecting()
    {
        CancelConnecting();
        int generation = ++_generation;
        var connecting = new CancellationTokenSource();
        _connecting = connecting;
        _ = Task.Factory.StartNew(
            async () =>
            {
                try
                {
                    IMqttLink link = await _transport.ConnectAsync(connecting.Token);
                    Post(new LoopEvent.LinkOpened(generation, link));
                }
                catch (Exception e)
                {
                    Post(new LoopEvent.ConnectFailed(generation, e));
                }
            },
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach,
            _scheduler).Unwrap();
    }

    private void CancelConnecting()
    {
        if (_connecting is { } connecting)
        {
            _connecting = null;
            connecting.Cancel();
            connecting.Dispose();
        }
    }

    private void OnLinkOpened(int generation, IMqttLink link)
    {
        if (generation != _generation || _connection.State != ConnectionState.Connecting)
        {
            _ = link.DisposeAsync().AsTask();
            return;
        }

        _connecting?.Dispose();
        _connecting = null;
        _link = new PacketLink(link, generation, _options.MaximumPacketSize, this);
        _link.Start(_scheduler);
        FireConnection(ConnectionTrigger.SocketOpened, "socket open");
    }

    private void OnConnectFailed(int generation, Exception exception)
    {
        if (generation != _generation || _connection.State != ConnectionState.Connecting)
        {
            return;
        }

        ConnectionTrigger trigger = exception is OperationCanceledException ? ConnectionTrigger.LinkLost : SocketErrorClassifier.Classify(exception);
        FireConnection(trigger, "connect failed: " + SocketErrorClassifier.Describe(exception), exception);
    }

    private void OnLinkFailed(Exception exception)
    {
        ConnectionTrigger trigger = SocketErrorClassifier.Classify(exception);
        // Once the socket is open, no error says the address is unusable: it is just a lost link.
        if (trigger == ConnectionTrigger.ConfigurationError)
        {
            trigger = ConnectionTrigger.LinkLost;
        }

        FireConnection(trigger, SocketErrorClassifier.Describe(exception), exception);
    }

    private void SendConnect()
    {
        ArmConnectionTimer(_options.ResponseTime, ConnectionTrigger.ResponseTimeout);
        bool clean = _options.CleanSession || (_options.CleanSessionOnFirstConnect && !_hasConnected);
        MqttWillMessage? will = _options.Will;
        _connectUnanswered = true;
        Send(new ConnectPacket(
            _options.ClientId,
            clean,
            (ushort)_options.KeepAlive.TotalSeconds,
            _options.UserName,
            _options.Password is null ? (ReadOnlyMemory<byte>?)null : Encoding.UTF8.GetBytes(_options.Password),
            will is null ? null : new MqttWill(will.Topic, will.Payload, will.QualityOfService, will.Retain)));
    }

    private void OnConnAck(ConnAckPacket connAck)
    {
        _refusal = connAck.ReturnCode;
        _connectUnanswered = false;
        switch (connAck.ReturnCode)
        {
            case ConnectReturnCode.Accepted:
                bool askedClean = _options.CleanSession || (_options.CleanSessionOnFirstConnect && !_hasConnected);
                if (askedClean && connAck.SessionPresent)
                {
                    FireConnection(ConnectionTrigger.ProtocolViolation, "CONNACK said session present for a clean session [MQTT-3.2.2-1]");
                    return;
                }

                FireConnection(connAck.SessionPresent ? ConnectionTrigger.ConnAckSessionPresent : ConnectionTrigger.ConnAckNewSession, "CONNACK accepted");
                break;
            case ConnectReturnCode.ServerUnavailable:
                FireConnection(ConnectionTrigger.ConnAckRefusedRetryable, "CONNACK refused: server unavailable (0x03)");
                break;
            default:
                FireConnection(ConnectionTrigger.ConnAckRefusedFatal, Refusal(connAck.ReturnCode));
                break;
        }
    }

    private void LinkUp(bool sessionPresent)
    {
        CancelConnectionTimer();
        _hasConnected = true;
        _linkUp = true;
        _sessionInDoubt = false;
        _metrics.Connected();
        _backoffAttempt = 0;
        _refusal = null;
        if (!sessionPresent)
        {
            // The broker forgot us: QoS 2 receipts it will never release, and every subscription.
            _inboundQos2.Clear();
        }

        _lastReceived = _time.GetUtcNow();
        _lastPingSent = DateTimeOffset.MinValue;
        _lastSent = _lastReceived;
        FireKeepAlive(KeepAliveTrigger.LinkUp);
        _logger.LogInformation("Connected to {Server}:{Port} (session present: {SessionPresent}).", _options.Server, _options.EffectivePort, sessionPresent);
        RaiseConnectionChanged(true, sessionPresent ? "connected, session resumed" : "connected, new session");
        if (!sessionPresent && _subscriptions.Count > 0)
        {
            RestoreSubscriptions();
        }

        SendRequests();
        PumpOutbound();
        CompleteConnectWaiters();
    }

    private void CloseAndBackoff()
    {
        bool wasUp = CloseLink();
        _metrics.LinkLost();
        _backoffAttempt++;
        TimeSpan delay = _options.ReconnectPolicy.NextDelay(_backoffAttempt);
        _logger.LogWarning("Link lost ({Reason}); reconnect attempt {Attempt} in {Delay} ms.", _reason, _backoffAttempt, (long)delay.TotalMilliseconds);
        if (wasUp)
        {
            RaiseConnectionChanged(false, _reason, _cause);
        }

        ArmConnectionTimer(delay, ConnectionTrigger.BackoffElapsed);
    }

    private void FailConnect()
    {
        CloseLink();
        CancelConnectionTimer();
        string message = _refusal is { } code && code != ConnectReturnCode.Accepted
            ? Refusal(code)
            : $"Cannot connect to {_options.Server}:{_options.EffectivePort}: {_reason}. Check the server name, port and TLS settings.";
        var failure = new MqttConnectException(message, _refusal is ConnectReturnCode.Accepted ? null : _refusal, _cause);
        _logger.LogError("{Message}", message);
        foreach (var waiter in _connectWaiters)
        {
            waiter.TrySetException(failure);
        }

        _connectWaiters.Clear();
    }

    private void SendDisconnect()
    {
        ArmConnectionTimer(_options.ResponseTime, ConnectionTrigger.ResponseTimeout);
        Send(DisconnectPacket.Instance, notifyWhenFlushed: true);
    }

    private void OnFlushed(MqttPacket packet)
    {
        if (packet is DisconnectPacket)
        {
            FireConnection(ConnectionTrigger.DisconnectFlushed, "disconnected by the application");
        }
    }

    private void CloseGracefully()
    {
        bool wasUp = CloseLink();
        CancelConnectionTimer();
        if (wasUp)
        {
            RaiseConnectionChanged(false, "disconnected by the application");
        }

        CompleteDisconnectWaiters();
    }

    private void RejectConnect()
    {
        // The newest ConnectAsync is the one this event came from.
        TaskCompletionSource waiter = _connectWaiters[^1];
        _connectWaiters.RemoveAt(_connectWaiters.Count - 1);
        waiter.TrySetException(new InvalidOperationException("DisconnectAsync is still in progress: await it before calling ConnectAsync again."));
    }

    private void StopReconnecting()
    {
        CloseLink();
        CancelConnectionTimer();
        foreach (var waiter in _connectWaiters)
        {
            waiter.TrySetException(new OperationCanceledException("ConnectAsync was abandoned because DisconnectAsync was called."));
        }

        _connectWaiters.Clear();
        CompleteDisconnectWaiters();
    }

    /// <summary>Closes whatever link exists and tells the other machines. Returns true when the link had been up.</summary>
    private bool CloseLink()
    {
        bool wasUp = _linkUp;
        _linkUp = false;
        // A CONNECT that dies unanswered may still have made the broker create a new, empty session.
        _sessionInDoubt |= _connectUnanswered;
        _connectUnanswered = false;
        CancelConnecting();
        if (_link is { } link)
        {
            _link = null;
            link.Close(_scheduler);
        }

        _generation++;
        FireKeepAlive(KeepAliveTrigger.LinkDown);
        OnLinkLostForFlows();
        return wasUp;
    }

    private void OnConnectionTimer(ConnectionTrigger trigger)
    {
        _connectionTimer?.Dispose();
        _connectionTimer = null;
        string reason = trigger == ConnectionTrigger.BackoffElapsed
            ? "reconnecting"
            : $"no answer within the response time ({_options.ResponseTime.TotalSeconds:0.###} s) in {_connection.State}";
        FireConnection(trigger, reason);
    }

    private void ArmConnectionTimer(TimeSpan due, ConnectionTrigger trigger)
    {
        CancelConnectionTimer();
        long token = ++_connectionTimerToken;
        _connectionTimer = _time.CreateTimer(_ => Post(new LoopEvent.ConnectionTimer(token, trigger)), null, due, Timeout.InfiniteTimeSpan);
    }

    private void CancelConnectionTimer()
    {
        _connectionTimerToken++;
        _connectionTimer?.Dispose();
        _connectionTimer = null;
    }

    private void CompleteConnectWaiters()
    {
        foreach (var waiter in _connectWaiters)
        {
            waiter.TrySetResult();
        }

        _connectWaiters.Clear();
    }

    private void CompleteDisconnectWaiters()
    {
        foreach (var waiter in _disconnectWaiters)
        {
            waiter.TrySetResult();
        }

        _disconnectWaiters.Clear();
    }

    private void RaiseConnectionChanged(bool isConnected, string reason, Exception? exception = null)
    {
        try
        {
            ConnectionChanged?.Invoke(this, new MqttConnectionEventArgs(isConnected, reason, exception));
        }
#pragma warning disable CA1031 // a handler's bug must not stop the loop
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.LogError(e, "A ConnectionChanged handler threw; the client carries on.");
        }
    }

    private string Refusal(ConnectReturnCode code) => code switch
    {
        ConnectReturnCode.UnacceptableProtocolVersion => "The broker refused the connection: it does not support MQTT 3.1.1 (CONNACK 0x01). Use a broker that speaks MQTT 3.1.1.",
        ConnectReturnCode.IdentifierRejected => $"The broker refused the client identifier \"{_options.ClientId}\" (CONNACK 0x02). Choose another ClientId.",
        ConnectReturnCode.BadUserNameOrPassword => "The broker refused the user name or password (CONNACK 0x04). Check UserName and Password.",
        ConnectReturnCode.NotAuthorized => "The broker says this client is not authorised to connect (CONNACK 0x05). Check the credentials and the broker's access rules.",
        _ => $"The broker refused the connection with CONNACK return code 0x{(byte)code:X2}.",
    };
}
