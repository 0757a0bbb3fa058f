using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt;

/// <summary>Everything the connection loop reacts to: API calls, link events and the timer, in one queue.</summary>
internal abstract record LoopEvent
{
    public sealed record Connect(TaskCompletionSource Waiter) : LoopEvent;
    public sealed record CancelConnect(TaskCompletionSource Waiter, CancellationToken Token) : LoopEvent;
    public sealed record Disconnect(TaskCompletionSource Waiter, int ReasonCode) : LoopEvent;
    public sealed record Drain(TaskCompletionSource Waiter) : LoopEvent;
    public sealed record CancelDrain(TaskCompletionSource Waiter, CancellationToken Token) : LoopEvent;
    public sealed record Dispose(TaskCompletionSource Waiter) : LoopEvent;
    public sealed record Reauthenticate(TaskCompletionSource Waiter) : LoopEvent;
    public sealed record CancelReauthenticate(TaskCompletionSource Waiter, CancellationToken Token) : LoopEvent;
    public sealed record AuthenticatorAnswered(int Link, int Question, ReadOnlyMemory<byte>? Answer, Exception? Exception) : LoopEvent;
    public sealed record Publish(PublishCall Call) : LoopEvent;
    public sealed record CancelPublish(PublishCall Call) : LoopEvent;
    public sealed record Request(RequestCall Call) : LoopEvent;
    public sealed record CancelRequest(RequestCall Call) : LoopEvent;

    /// <summary>A subscription stream is disposed: its queue ends, then its UNSUBSCRIBE (Call) goes as a request does.</summary>
    public sealed record CloseStream(RequestCall Call) : LoopEvent;
    public sealed record AppConsumed : LoopEvent;

    /// <summary>Link opened, with the credentials fetched for its CONNECT (never printed: see <see cref="LinkCredentials"/>).</summary>
    public sealed record LinkOpened(int Link, IMqttLink Opened, LinkCredentials Credentials) : LoopEvent;

    /// <summary>The credentials provider failed for a link, which was therefore not opened.</summary>
    public sealed record CredentialsFailed(int Link, Exception Exception) : LoopEvent;
    public sealed record ConnectFailed(int Link, Exception Exception) : LoopEvent;
    public sealed record PacketArrived(int Link, MqttPacket Packet) : LoopEvent;
    public sealed record Flushed(int Link, object Token) : LoopEvent;
    public sealed record LinkFailed(int Link, Exception Exception) : LoopEvent;
    public sealed record LinkPending(int Link) : LoopEvent;
    public sealed record PartReceived(int Link) : LoopEvent;

    /// <summary>The engine's deadline timer fired; Token identifies the arming.</summary>
    public sealed record Timer(long Token) : LoopEvent;
}
