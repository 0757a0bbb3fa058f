using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Session;
using StateMachineMqtt.Spec;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt;

/// <summary>Everything the connection loop reacts to: API calls, link events and timers, in one queue.</summary>
internal abstract record LoopEvent
{
    public sealed record Connect(TaskCompletionSource Waiter) : LoopEvent;
    public sealed record Disconnect(TaskCompletionSource Waiter) : LoopEvent;
    public sealed record Dispose(TaskCompletionSource Waiter) : LoopEvent;
    public sealed record Publish(OutboundMessage Message) : LoopEvent;
    public sealed record CancelPublish(OutboundMessage Message) : LoopEvent;
    public sealed record Request(PendingRequest Pending) : LoopEvent;
    public sealed record CancelRequest(PendingRequest Pending) : LoopEvent;
    public sealed record CancelConnect(TaskCompletionSource Waiter) : LoopEvent;
    public sealed record AppConsumed : LoopEvent;

    public sealed record LinkOpened(int Generation, IMqttLink Link) : LoopEvent;
    public sealed record ConnectFailed(int Generation, Exception Exception) : LoopEvent;
    public sealed record PacketArrived(int Generation, MqttPacket Packet) : LoopEvent;
    public sealed record Flushed(int Generation, MqttPacket Packet) : LoopEvent;
    public sealed record LinkFailed(int Generation, Exception Exception) : LoopEvent;
    public sealed record LinkPending(int Generation) : LoopEvent;

    /// <summary>The connection timer (socket open, CONNACK, backoff, DISCONNECT) fired; Token identifies the arming.</summary>
    public sealed record ConnectionTimer(long Token, ConnectionTrigger Trigger) : LoopEvent;
    public sealed record KeepAliveTimer(long Token) : LoopEvent;
    public sealed record ResponseTimer(long Token) : LoopEvent;
}
