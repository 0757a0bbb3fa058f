using StateMachineMqtt.Machines;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Mutation;

/// <summary>Single-row mutations of test-only copies of the spec tables: each one a plausible slip in the specification.</summary>
internal static class TableMutations
{
    /// <summary>Name → the mutated tables. Each changes exactly one row's To and/or Effect.</summary>
    public static IReadOnlyDictionary<string, MachineTables> All { get; } = new Dictionary<string, MachineTables>
    {
        ["a link loss counts as a PUBACK"] = Publish(PublishState.AwaitingPubAck, PublishTrigger.LinkLost, PublishState.Acked, PublishEffect.CompletePublish),
        ["a re-send on reconnect forgets DUP"] = Publish(PublishState.Resend, PublishTrigger.Transmit, PublishState.AwaitingPubAck, PublishEffect.SendPublish),
        ["a re-send after the response time forgets DUP"] = Publish(PublishState.AwaitingPubAck, PublishTrigger.ResponseTimeout, PublishState.AwaitingPubAck, PublishEffect.SendPublish, PublishGuard.V311ResendsLeft),
        ["a queued message is dropped when the link goes"] = Publish(PublishState.Queued, PublishTrigger.LinkLost, PublishState.Withdrawn, PublishEffect.Withdraw),
        ["a new session is treated as resumed (no resubscribe)"] = Connection(ConnectionState.AwaitingConnAck, ConnectionTrigger.ConnAckNewSession, ConnectionState.Connected, ConnectionEffect.ResumeSession),
        ["a lost link stops the client instead of reconnecting"] = Connection(ConnectionState.Connected, ConnectionTrigger.LinkLost, ConnectionState.Closed, ConnectionEffect.StopReconnecting),
        ["silence for a keepalive period is ignored"] = KeepAlive(KeepAliveState.PingOutstanding, KeepAliveTrigger.Tick, KeepAliveState.PingOutstanding, KeepAliveEffect.ArmTimer, KeepAliveGuard.KeepAliveElapsed),
        ["an expired backoff does not reconnect"] = Connection(ConnectionState.Backoff, ConnectionTrigger.BackoffElapsed, ConnectionState.Backoff, ConnectionEffect.None, ConnectionGuard.RetryAllowed),
        ["a QoS 2 message completes at PUBREC, without PUBREL"] = Publish(PublishState.AwaitingPubRec, PublishTrigger.PubRec, PublishState.Acked, PublishEffect.CompletePublish),
        ["a QoS 2 re-send after the response time forgets DUP"] = Publish(PublishState.AwaitingPubRec, PublishTrigger.ResponseTimeout, PublishState.AwaitingPubRec, PublishEffect.SendPublish, PublishGuard.V311ResendsLeft),
        ["a QoS 2 message whose PUBREC came re-sends its PUBLISH on reconnect"] = Publish(PublishState.ResendPubRel, PublishTrigger.Transmit, PublishState.AwaitingPubRec, PublishEffect.SendPublishDup),
        ["a lost PUBCOMP is never asked for again on the same link"] = Publish(PublishState.AwaitingPubComp, PublishTrigger.ResponseTimeout, PublishState.AwaitingPubComp, PublishEffect.None, PublishGuard.V311ResendsLeft),
        ["an inbound QoS 2 re-delivery after PUBREC is delivered again"] = Receipt(ReceiptState.AwaitingPubRel, ReceiptTrigger.Publish, ReceiptState.Held, ReceiptEffect.Deliver, ReceiptGuard.Redelivery),
        ["an inbound QoS 2 message is acknowledged, not delivered"] = Receipt(ReceiptState.Unknown, ReceiptTrigger.Publish, ReceiptState.AwaitingPubRel, ReceiptEffect.SendPubRec),
        // "a PUBREC goes on a link its PUBLISH never came on" is the engine runner's to catch (EngineInvariantProperties):
        // the broker re-delivers on the new link before the application can take the message, nearly always.
        ["a PUBREL is never answered"] = Receipt(ReceiptState.AwaitingPubRel, ReceiptTrigger.PubRel, ReceiptState.Released, ReceiptEffect.Forget),
        ["a taken QoS 2 message is never acknowledged"] = Receipt(ReceiptState.Held, ReceiptTrigger.Taken, ReceiptState.AwaitingPubRel, ReceiptEffect.None, ReceiptGuard.OnItsLink),
    };

    private static MachineTables Publish(PublishState from, PublishTrigger trigger, PublishState to, PublishEffect effect, PublishGuard guard = PublishGuard.None) =>
        MachineTables.Spec with { Publish = Replace(MachineTables.Spec.Publish, r => r.From == from && r.Trigger == trigger && r.Guard == guard, r => r with { To = to, Effect = effect }) };

    private static MachineTables Receipt(ReceiptState from, ReceiptTrigger trigger, ReceiptState to, ReceiptEffect effect, ReceiptGuard guard = ReceiptGuard.None) =>
        MachineTables.Spec with { Receipt = Replace(MachineTables.Spec.Receipt, r => r.From == from && r.Trigger == trigger && r.Guard == guard, r => r with { To = to, Effect = effect }) };

    private static MachineTables Connection(ConnectionState from, ConnectionTrigger trigger, ConnectionState to, ConnectionEffect effect, ConnectionGuard guard = ConnectionGuard.None) =>
        MachineTables.Spec with { Connection = Replace(MachineTables.Spec.Connection, r => r.From == from && r.Trigger == trigger && (guard == ConnectionGuard.None || r.Guard == guard), r => r with { To = to, Effect = effect }) };

    private static MachineTables KeepAlive(KeepAliveState from, KeepAliveTrigger trigger, KeepAliveState to, KeepAliveEffect effect, KeepAliveGuard guard) =>
        MachineTables.Spec with { KeepAlive = Replace(MachineTables.Spec.KeepAlive, r => r.From == from && r.Trigger == trigger && r.Guard == guard, r => r with { To = to, Effect = effect }) };

    private static T[] Replace<T>(T[] rows, Func<T, bool> which, Func<T, T> change)
    {
        int index = Array.FindIndex(rows, r => which(r));
        if (index < 0 || Array.FindLastIndex(rows, r => which(r)) != index)
        {
            throw new InvalidOperationException("a mutation must select exactly one row");
        }

        T[] copy = [.. rows];
        copy[index] = change(copy[index]);
        return copy;
    }
}
