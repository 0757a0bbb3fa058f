using StateMachineMqtt.Spec;
using System.Globalization;
using StateMachineMqtt.Engine;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt;

/// <summary>The engine's events, turned into completed tasks, exceptions that name their cause, ConnectionChanged and logs.</summary>
public sealed partial class MqttClient
{
    private Exception? _lastLinkException;
    private string _clientIdentifier;
    private string? _responseInformation;

    private const long NoOutage = long.MinValue;
    private MqttServerEndpoint _at = null!; // the server the last link event named, and its port; loop only
    private int _atPort;
    private long _outageStartedAt = NoOutage; // the clock's timestamp of the link's loss, while an outage lasts; loop only

    private void OnEngineEvent(EngineEvent e)
    {
        if (e.Kind is EventKind.LinkUp or EventKind.LinkDown or EventKind.ConnectAttemptFailed)
        {
            // Read once here: the logging calls below take plain values (CA1873).
            _at = ServerOf(e);
            _atPort = PortOf(_at);
        }

        switch (e.Kind)
        {
            case EventKind.ConnectCompleted: ((TaskCompletionSource)e.Caller).TrySetResult(); break;
            case EventKind.ConnectFailed: ((TaskCompletionSource)e.Caller).TrySetException(ConnectFailure(e)); break;
            case EventKind.ConnectAttemptFailed:
                if (e.WillRetry)
                {
                    _logger.ConnectAttemptFailed(e.Attempt, _at.Host, _atPort, e.Reason, e.DelayMs);
                }
                else
                {
                    _logger.ConnectGaveUp(e.Attempt, _at.Host, _atPort, e.Reason);
                }

                RaiseConnectionChanged(new MqttConnectionEventArgs(MqttConnectionChange.AttemptFailed, e.Reason, _lastLinkException, Retry(e), e.Attempt) { Server = _at });
                break;
            case EventKind.LinkUp:
                _isConnected = true;
                Volatile.Write(ref _clientIdentifier, _engine.ClientIdentifier(_options.ClientId));
                Volatile.Write(ref _responseInformation, _engine.ResponseInformation);
                _metrics.ClientId = _clientIdentifier;
                _logger.Connected(_at.Host, _atPort, e.SessionPresent);
                EndOutage();
                RaiseConnectionChanged(new MqttConnectionEventArgs(MqttConnectionChange.Connected, e.Reason, null, null, 0) { SessionPresent = e.SessionPresent, Server = _at });
                break;
            case EventKind.LinkDown:
                _isConnected = false;
                OnLinkDownForStreams();
                if (e.WillRetry)
                {
                    // An outage: the link was lost, not closed by the application, and the client reconnects by itself.
                    _logger.LinkLost(_at.Host, _atPort, e.Reason, e.DelayMs);
                    _outageStartedAt = _time.GetTimestamp();
                }
                else
                {
                    _logger.Disconnected(_at.Host, _atPort, e.Reason);
                    _outageStartedAt = NoOutage;
                }

                Exception? cause = e.SocketError != 0 || e.Reason.StartsWith("connection closed", StringComparison.Ordinal) ? _lastLinkException : null;
                RaiseConnectionChanged(new MqttConnectionEventArgs(MqttConnectionChange.LinkLost, e.Reason, cause, Retry(e), 0)
                {
                    DisconnectReasonCode = e.ReturnCode >= 0 ? e.ReturnCode : null,
                    ServerReference = e.ReturnCode >= 0 ? _engine.ServerReference : null,
                    Server = _at,
                });
                break;
            case EventKind.PublishCompleted: Finish((PublishCall)e.Caller).Succeed(); break;
            case EventKind.PublishCancelled: ((PublishCall)e.Caller).Cancel(); break;
            case EventKind.PublishFailed when e.Failure == FailureKind.TooLarge:
                PublishCall oversized = (PublishCall)e.Caller;
                _logger.PublishTooLarge(oversized.Message.Topic, e.Reason);
                Finish(oversized).Fail(TooLarge(oversized.Message));
                break;
            case EventKind.PublishFailed: Finish((PublishCall)e.Caller).Fail(PublishFailure(e)); break;
            case EventKind.RequestCompleted:
                RequestCall done = (RequestCall)e.Caller;
                OnStreamRequestEnded(done, (MqttQualityOfService)e.Granted);
                done.Cancellation.Dispose();
                done.Completion.TrySetResult((MqttQualityOfService)e.Granted);
                break;
            case EventKind.RequestFailed when e.Caller is RequestCall failed:
                OnStreamRequestEnded(failed, granted: null);
                failed.Cancellation.Dispose();
                failed.Completion.TrySetException(e.Failure switch
                {
                    FailureKind.SubscriptionRefused => new MqttSubscribeException(e.Filter, e.ReturnCode),
                    FailureKind.UnsubscribeRefused => new MqttUnsubscribeException(e.Filter, e.ReturnCode, e.Reason),
                    _ => Disposed(),
                });
                break;
            case EventKind.RequestFailed when e.Failure == FailureKind.UnsubscribeRefused:
                _logger.UnsubscribeRefused(e.Filter, e.ReturnCode);
                break;
            case EventKind.RequestFailed:
                _logger.SubscriptionRestoreRefused(e.Filter, e.ReturnCode);
                break;
            case EventKind.RequestCancelled:
                RequestCall withdrawn = (RequestCall)e.Caller;
                OnStreamRequestEnded(withdrawn, granted: null);
                withdrawn.Completion.TrySetCanceled(withdrawn.CallerToken);
                break;
            case EventKind.ReauthenticationCompleted: ((TaskCompletionSource)e.Caller).TrySetResult(); break;
            case EventKind.ReauthenticationFailed:
                ((TaskCompletionSource)e.Caller).TrySetException(e.Failure == FailureKind.Disposed ? Disposed() : new MqttAuthenticationException(e.Reason));
                break;
            case EventKind.DisconnectCompleted:
                _outageStartedAt = NoOutage; // stopped by the application: whatever follows is not an outage
                ((TaskCompletionSource)e.Caller).TrySetResult();
                break;
            case EventKind.DrainCompleted when e.Failure == FailureKind.Disposed: ((TaskCompletionSource)e.Caller).TrySetException(Disposed()); break;
            case EventKind.DrainCompleted: ((TaskCompletionSource)e.Caller).TrySetResult(); break;
            case EventKind.RoomAvailable: OfferWaitingPublishes(); break;
            case EventKind.MessageDropped when e.Caller is not null: _logger.OutboundMessageDropped(e.Reason); break;
            case EventKind.MessageDropped: _logger.ReceivedMessageDropped(e.Reason); break;
            case EventKind.PacketIgnored: _logger.PacketIgnored(e.Reason); break;
            case EventKind.MessageTooLarge: _logger.ReceivedMessageTooLarge(e.Reason); break;
            default: break;
        }
    }

    private static PublishCall Finish(PublishCall call)
    {
        call.Cancellation.Dispose();
        return call;
    }

    /// <summary>A CONNACK accepted a link: if an outage was under way, it ends here and its length is recorded.</summary>
    private void EndOutage()
    {
        if (_outageStartedAt == NoOutage)
        {
            return;
        }

        double seconds = _time.GetElapsedTime(_outageStartedAt).TotalSeconds;
        _outageStartedAt = NoOutage;
        _metrics.RecordOutage(seconds);
        _logger.OutageEnded(_at.Host, _atPort, seconds);
    }

    private Exception ConnectFailure(EngineEvent e) => e.Failure switch
    {
        FailureKind.Refused => new MqttConnectException(Refusal((ConnectReturnCode)e.ReturnCode), (ConnectReturnCode)e.ReturnCode),
        FailureKind.Configuration => new MqttConnectException(
            $"Cannot connect to {Where()}: {e.Reason}. Check the server name, port and TLS settings.", null, _lastLinkException),
        FailureKind.GaveUp => new MqttConnectException(
            $"Could not connect to {Where()}: {e.Reason}. The first connect is bounded by {FirstConnectBound()}; "
            + "check that the broker is running and reachable at that address.",
            e.ReturnCode > 0 ? (ConnectReturnCode)e.ReturnCode : null, _lastLinkException),
        FailureKind.DisconnectInProgress => new InvalidOperationException("DisconnectAsync is still in progress: await it before calling ConnectAsync again."),
        FailureKind.Abandoned => new OperationCanceledException("ConnectAsync was abandoned because DisconnectAsync was called."),
        _ => Disposed(),
    };

    private Exception PublishFailure(EngineEvent e) => e.Failure switch
    {
        FailureKind.QueueFull => new InvalidOperationException(
            $"The message was dropped: the outbound queue was full (MaxQueuedMessages = {_options.MaxQueuedMessages}, MaxQueuedBytes = {_options.MaxQueuedBytes}) and OutboundOverflow is DropOldestQoS0."),
        FailureKind.Disposed => Disposed(),
        FailureKind.PublishRefused => new MqttPublishException(e.ReturnCode, e.Reason),
        _ => new MqttConnectionLostException(e.Reason),
    };

    private static ObjectDisposedException Disposed() => new(nameof(MqttClient), "The MQTT client was disposed before this call completed.");

    /// <summary>
    /// What a ConnectAsync whose token fired says: still an OperationCanceledException, as .NET callers expect, but naming
    /// the server, the time spent, the attempts and the last error (its inner exception), so a refused port is visible.
    /// </summary>
    private OperationCanceledException ConnectCancelled(long now, CancellationToken token)
    {
        double seconds = Math.Max(0, now - _engine.ConnectStartedAt) / 1000.0;
        int attempts = _engine.ConnectAttempts;
        string last = _engine.LastAttemptReason;
        string message = string.Create(CultureInfo.InvariantCulture,
            $"ConnectAsync to {Where()} was cancelled after {seconds:0.0} s and {attempts} {(attempts == 1 ? "attempt" : "attempts")}")
            + (_engine.IsConnected ? "." : last.Length > 0 ? $"; the last attempt failed: {last}. The client keeps trying until DisconnectAsync."
                : "; no attempt has failed yet (no answer so far). The client keeps trying until DisconnectAsync.");
        return new OperationCanceledException(message, last.Length > 0 ? _lastLinkException : null, token);
    }

    /// <summary>The options that bound the first connect, in words.</summary>
    private string FirstConnectBound()
    {
        var bounds = new List<string>(2);
        if (_options.FirstConnectTimeout is { } timeout)
        {
            bounds.Add(string.Create(CultureInfo.InvariantCulture, $"FirstConnectTimeout ({timeout.TotalSeconds:0.###} s)"));
        }

        if (_options.FirstConnectAttempts is { } attempts)
        {
            bounds.Add(string.Create(CultureInfo.InvariantCulture, $"FirstConnectAttempts ({attempts})"));
        }

        return string.Join(" and ", bounds);
    }

    private static TimeSpan? Retry(EngineEvent e) => e.WillRetry ? TimeSpan.FromMilliseconds(e.DelayMs) : null;

    private void RaiseConnectionChanged(MqttConnectionEventArgs args)
    {
        try
        {
            ConnectionChanged?.Invoke(this, args);
        }
#pragma warning disable CA1031 // a handler's bug must not stop the loop
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.ConnectionChangedHandlerFailed(e);
        }
    }

    private string Refusal(ConnectReturnCode code) => _options.ProtocolVersion == MqttProtocolVersion.V500 ? RefusalV5((int)code) : code switch
    {
        ConnectReturnCode.UnacceptableProtocolVersion => "The broker refused the connection: it does not support MQTT 3.1.1 (CONNACK 0x01). Use a broker that speaks MQTT 3.1.1.",
        ConnectReturnCode.IdentifierRejected => $"The broker refused the client identifier \"{_options.ClientId}\" (CONNACK 0x02). Choose another ClientId.",
        ConnectReturnCode.BadUserNameOrPassword => "The broker refused the user name or password (CONNACK 0x04). Check UserName and Password.",
        ConnectReturnCode.NotAuthorized => "The broker says this client is not authorised to connect (CONNACK 0x05). Check the credentials and the broker's access rules.",
        _ => $"The broker refused the connection with CONNACK return code 0x{(byte)code:X2}.",
    };

    /// <summary>An MQTT 5 refusal, named and explained by spec/'s CONNACK refusal table.</summary>
    private string RefusalV5(int code)
    {
        string at = string.Create(CultureInfo.InvariantCulture, $"CONNACK reason code 0x{code:X2}");
        return code switch
        {
            0x84 => $"The broker refused the connection: it does not support MQTT 5 ({at}). Set ProtocolVersion = MqttProtocolVersion.V311, or use a broker that speaks MQTT 5.",
            0x85 => $"The broker refused the client identifier \"{_options.ClientId}\" ({at}, Client Identifier not valid). Choose another ClientId.",
            _ when ConnAckRefusalTable.Find(RefusalRows, MqttProtocolVersion.V500, code) is { } row => $"The broker refused the connection: {row.Name} ({at}). {row.Why}.",
            _ => $"The broker refused the connection with {at}, which MQTT 5 does not define for CONNACK.",
        };
    }

    private static readonly ConnAckRefusalRow[] RefusalRows = ConnAckRefusalTable.CreateRows();

    /// <summary>The loop itself failed: end every call the engine still holds, with the cause.</summary>
    private void FailEverything(Exception reason)
    {
        foreach (OutboundMessage message in _engine.SnapshotHeld())
        {
            ((PublishCall)message.Caller).Fail(reason);
        }

        foreach (PublishCall call in _waitingForRoom)
        {
            call.Fail(reason);
        }

        _waitingForRoom.Clear();
        _link?.Close(_scheduler);
        _link = null;
        CancelConnecting();
        DisarmTimer();
        _isConnected = false;
        EndReaders();
    }
}
