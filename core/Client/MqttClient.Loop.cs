using Microsoft.Extensions.Logging;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt;

/// <summary>The connection loop: the one owner of the machines, the link and the session state.</summary>
public sealed partial class MqttClient : ILinkEvents
{
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
                    if (_connection.State == ConnectionState.Disposed)
                    {
                        _inbox.Writer.TryComplete();
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
            _logger.LogCritical(e, "The MQTT client loop failed; the client is unusable.");
            _inbox.Writer.TryComplete();
            ShutdownEverything(new InvalidOperationException("The MQTT client failed internally: " + e.Message, e));
            DrainAfterShutdown();
        }
    }

    private void Handle(LoopEvent loopEvent)
    {
        switch (loopEvent)
        {
            case LoopEvent.Connect e: OnConnectCommand(e.Waiter); break;
            case LoopEvent.CancelConnect e: OnConnectCancelled(e.Waiter); break;
            case LoopEvent.Disconnect e: OnDisconnectCommand(e.Waiter); break;
            case LoopEvent.Dispose e: OnDisposeCommand(e.Waiter); break;
            case LoopEvent.Publish e: OnPublishCommand(e.Message); break;
            case LoopEvent.CancelPublish e: OnPublishCancelled(e.Message); break;
            case LoopEvent.Request e: OnRequestCommand(e.Pending); break;
            case LoopEvent.CancelRequest e: OnRequestCancelled(e.Pending); break;
            case LoopEvent.AppConsumed: DeliverUndelivered(); break;

            case LoopEvent.LinkOpened e: OnLinkOpened(e.Generation, e.Link); break;
            case LoopEvent.ConnectFailed e: OnConnectFailed(e.Generation, e.Exception); break;
            case LoopEvent.PacketArrived e when e.Generation == _generation: OnPacket(e.Packet); break;
            case LoopEvent.Flushed e when e.Generation == _generation: OnFlushed(e.Packet); break;
            case LoopEvent.LinkFailed e when e.Generation == _generation: OnLinkFailed(e.Exception); break;
            case LoopEvent.LinkPending e when e.Generation == _generation: FireConnection(ConnectionTrigger.SocketPending); break;

            case LoopEvent.ConnectionTimer e when e.Token == _connectionTimerToken: OnConnectionTimer(e.Trigger); break;
            case LoopEvent.KeepAliveTimer e when e.Token == _keepAliveTimerToken: FireKeepAlive(KeepAliveTrigger.Tick); break;
            case LoopEvent.ResponseTimer e when e.Token == _responseTimerToken: OnResponseTimer(); break;

            default:
                // An event from a link or timer that has since been replaced: it no longer describes anything.
                break;
        }
    }

    void ILinkEvents.PacketArrived(int generation, MqttPacket packet) => Post(new LoopEvent.PacketArrived(generation, packet));

    void ILinkEvents.Flushed(int generation, MqttPacket packet) => Post(new LoopEvent.Flushed(generation, packet));

    void ILinkEvents.Failed(int generation, Exception exception) => Post(new LoopEvent.LinkFailed(generation, exception));

    void ILinkEvents.Pending(int generation) => Post(new LoopEvent.LinkPending(generation));

    /// <summary>Events posted after shutdown: answer any caller waiting on them.</summary>
    private static void FailAfterShutdown(LoopEvent loopEvent)
    {
        var disposed = new ObjectDisposedException(nameof(MqttClient), "The MQTT client has been disposed; create a new one.");
        switch (loopEvent)
        {
            case LoopEvent.Connect e: e.Waiter.TrySetException(disposed); break;
            case LoopEvent.Disconnect e: e.Waiter.TrySetResult(); break;
            case LoopEvent.Dispose e: e.Waiter.TrySetResult(); break;
            case LoopEvent.Publish e: e.Message.Completion.TrySetException(disposed); break;
            case LoopEvent.Request e: e.Pending.Completion.TrySetException(disposed); break;
            case LoopEvent.LinkOpened e: _ = e.Link.DisposeAsync().AsTask(); break;
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
