using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt;

/// <summary>
/// The connection loop: the one owner of the engine. Each event is handed to the engine with the time, then the engine's
/// polls are carried out — actions on the link, events for the callers, messages for the reader, the next deadline.
/// </summary>
public sealed partial class MqttClient : ILinkEvents
{
    /// <summary>At most this many received packets wait in the inbox for the loop; the link's reader waits for room.</summary>
    internal const int PacketsWaitingBound = 256;

    /// <summary>At most this many publish and subscription calls wait in the inbox for the loop; callers wait for room.</summary>
    internal const int CallsWaitingBound = 1024;

    private readonly SemaphoreSlim _packetCredits = new(PacketsWaitingBound, PacketsWaitingBound);
    private readonly SemaphoreSlim _callCredits = new(CallsWaitingBound, CallsWaitingBound);
    private ITimer? _timer;
    private long _timerToken;
    private long _timerDue = long.MaxValue;

    private async Task RunLoopAsync()
    {
        try
        {
            // Awaits here deliberately resume on _scheduler (no ConfigureAwait(false)), so tests can drive the loop deterministically.
            while (await _inbox.Reader.WaitToReadAsync())
            {
                while (_inbox.Reader.TryRead(out LoopEvent? loopEvent))
                {
                    Handle(loopEvent);
                    Pump();
                    if (_engine.State == ConnectionState.Disposed)
                    {
                        _inbox.Writer.TryComplete();
                        _metrics.Retire();
                        DisarmTimer();
                        EndReaders();
                        DrainAfterShutdown();
                        return;
                    }
                }
            }
        }
#pragma warning disable CA1031 // every caller is failed with the cause instead
        catch (Exception e)
#pragma warning restore CA1031
        {
            // A hole in a table or a bug: fail everything loudly rather than hang callers (I7).
            _logger.LoopFailed(e);
            _inbox.Writer.TryComplete();
            FailEverything(new InvalidOperationException("The MQTT client failed internally: " + e.Message, e));
            _metrics.Retire();
            DrainAfterShutdown();
        }
    }

    private long Now() => (long)(_time.GetUtcNow() - _epoch).TotalMilliseconds;

    private void Handle(LoopEvent loopEvent)
    {
        long now = Now();
        switch (loopEvent)
        {
            case LoopEvent.Connect e: _engine.Connect(e.Waiter, now); break;
            case LoopEvent.CancelConnect e:
                // Only the caller's wait ends: the client keeps trying, as a later ConnectAsync or publish expects.
                _engine.CancelConnect(e.Waiter, now);
                e.Waiter.TrySetException(ConnectCancelled(now, e.Token));
                break;
            case LoopEvent.Disconnect e: _engine.Disconnect(e.Waiter, e.ReasonCode, now); break;
            case LoopEvent.Drain e: _engine.Drain(e.Waiter, now); break;
            case LoopEvent.CancelDrain e:
                _engine.CancelDrain(e.Waiter, now);
                e.Waiter.TrySetCanceled(e.Token);
                break;
            case LoopEvent.Dispose e: _engine.Dispose(now); e.Waiter.TrySetResult(); break;
            case LoopEvent.Reauthenticate e: _engine.Reauthenticate(e.Waiter, now); break;
            case LoopEvent.CancelReauthenticate e:
                // Only the wait ends: an exchange under way goes on.
                _engine.CancelReauthenticate(e.Waiter, now);
                e.Waiter.TrySetCanceled(e.Token);
                break;
            case LoopEvent.AuthenticatorAnswered e: OnAuthenticatorAnswered(e, now); break;
            case LoopEvent.Publish e:
                _callCredits.Release();
                OnPublishCommand(e.Call, now);
                break;
            case LoopEvent.CancelPublish e: OnPublishCancelled(e.Call, now); break;
            case LoopEvent.Request e:
                _callCredits.Release();
                OnRequestCommand(e.Call, now);
                break;
            case LoopEvent.CancelRequest e: _engine.CancelRequest(e.Call.Request, now); break;
            case LoopEvent.CloseStream e: OnCloseStream(e.Call, now); break;
            case LoopEvent.AppConsumed: break; // Pump moves the next messages into the readers' queues

            case LoopEvent.LinkOpened e: OnLinkOpened(e.Link, e.Opened, e.Credentials, now); break;
            case LoopEvent.CredentialsFailed e: OnCredentialsFailed(e.Link, e.Exception, now); break;
            case LoopEvent.ConnectFailed e: OnLinkFailed(e.Link, e.Exception, now); break;
            case LoopEvent.PacketArrived e:
                _packetCredits.Release();
                OnPacket(e.Link, e.Packet, now);
                break;
            case LoopEvent.Flushed e: _engine.HandleWritten((Engine.EngineAction)e.Token, now); break;
            case LoopEvent.LinkFailed e: OnLinkFailed(e.Link, e.Exception, now); break;
            case LoopEvent.LinkPending e: _engine.HandleLinkPending(e.Link, now); break;
            case LoopEvent.PartReceived e: _engine.HandleBytesReceived(e.Link, now); break;

            case LoopEvent.Timer e when e.Token == _timerToken:
                _timerDue = long.MaxValue;
                _engine.HandleTimeout(now);
                break;

            default:
                // A timer that has since been re-armed: it no longer describes anything.
                break;
        }
    }

    /// <summary>Carries out everything the engine now asks for.</summary>
    private void Pump()
    {
        while (true)
        {
            StoreRecords(); // first: a record is on its way to the store before the packet it describes goes on the link
            while (_engine.PollAction(out Engine.EngineAction action))
            {
                Perform(action);
            }

            while (_engine.PollEvent(out Engine.EngineEvent engineEvent))
            {
                OnEngineEvent(engineEvent);
            }

            // Handing messages over sends their acknowledgements: more actions, so go round again.
            if (!DeliverMessages())
            {
                break;
            }
        }

        _isConnected = _engine.IsConnected;
        PublishBacklog();
        _link?.SetReading(_engine.WantsToRead);
        _metrics.Sync(_engine);
        ArmTimer(_engine.PollTimeout());
    }

    private void ArmTimer(long due)
    {
        if (due == _timerDue)
        {
            return;
        }

        DisarmTimer();
        if (due == long.MaxValue)
        {
            return;
        }

        _timerDue = due;
        long token = _timerToken;
        TimeSpan delay = TimeSpan.FromMilliseconds(Math.Max(0, due - Now()));
        _timer = _time.CreateTimer(_ => Post(new LoopEvent.Timer(token)), null, delay, Timeout.InfiniteTimeSpan);
    }

    private void DisarmTimer()
    {
        _timerToken++;
        _timerDue = long.MaxValue;
        _timer?.Dispose();
        _timer = null;
    }

    async ValueTask ILinkEvents.PacketArrivedAsync(int generation, MqttPacket packet, CancellationToken cancellationToken)
    {
        // One credit per packet waiting for the loop (released when the loop takes it): the inbox holds at most
        // PacketsWaitingBound of them, and the link's reader waits, leaving the rest in the socket.
        if (!_packetCredits.Wait(0, CancellationToken.None))
        {
            await _packetCredits.WaitAsync(cancellationToken); // a closed link stops waiting
        }

        Post(new LoopEvent.PacketArrived(generation, packet));
    }

    void ILinkEvents.Flushed(int generation, object token) => Post(new LoopEvent.Flushed(generation, token));

    void ILinkEvents.Failed(int generation, Exception exception) => Post(new LoopEvent.LinkFailed(generation, exception));

    void ILinkEvents.Pending(int generation) => Post(new LoopEvent.LinkPending(generation));

    void ILinkEvents.PartReceived(int generation) => Post(new LoopEvent.PartReceived(generation));

    /// <summary>Events posted after shutdown: answer any caller waiting on them.</summary>
    private static void FailAfterShutdown(LoopEvent loopEvent)
    {
        var disposed = new ObjectDisposedException(nameof(MqttClient), "The MQTT client has been disposed; create a new one.");
        switch (loopEvent)
        {
            case LoopEvent.Connect e: e.Waiter.TrySetException(disposed); break;
            case LoopEvent.Disconnect e: e.Waiter.TrySetResult(); break;
            case LoopEvent.Drain e: e.Waiter.TrySetException(disposed); break;
            case LoopEvent.Dispose e: e.Waiter.TrySetResult(); break;
            case LoopEvent.Reauthenticate e: e.Waiter.TrySetException(disposed); break;
            case LoopEvent.Publish e: e.Call.Cancellation.Dispose(); e.Call.Fail(disposed); break;
            case LoopEvent.Request e: e.Call.Cancellation.Dispose(); e.Call.Completion.TrySetException(disposed); break;
            case LoopEvent.CloseStream e: CloseStreamAfterShutdown(e.Call, disposed); break;
            case LoopEvent.LinkOpened e: _ = e.Opened.DisposeAsync().AsTask(); break;
            default: break;
        }
    }

    private void DrainAfterShutdown()
    {
        while (_inbox.Reader.TryRead(out LoopEvent? loopEvent))
        {
            FailAfterShutdown(loopEvent);
        }
    }
}
