using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;
using EngineEventKind = StateMachineMqtt.Engine.EventKind;

namespace StateMachineMqtt.Verification.ModelChecking;

/// <summary>
/// The driver's half of a step: carry out the engine's actions on the environment and hear its events, checking the
/// invariants that concern a step as they happen (I1 at every completion or withdrawal, I3 at every write, I4 at every
/// PUBLISH and PUBREL, I9 at every QoS 2 delivery by the broker), then the ones that concern a state (I1, I2, I3's
/// refusal count, I8) once the step is over.
/// </summary>
internal sealed partial class World
{
    private object? _connectCaller;
    private object? _disconnectCaller;
    private int _published;
    /// <summary>Scratch of one step: the identifier of a PUBREL the engine took and must answer with PUBCOMP before the step ends (0: none).</summary>
    private int _pubCompOwed;

    private void Drain()
    {
        while (Engine.PollAction(out EngineAction action))
        {
            switch (action.Kind)
            {
                case ActionKind.OpenLink:
                    Log?.Add($"open link {action.Link}");
                    Phase = LinkPhase.Opening;
                    LinkNumber = action.Link;
                    Accepted = ConnectWritten = DisconnectWritten = BrokerClosed = BrokerConnected = false;
                    SubscribesWritten = 0;
                    ToBroker.Clear();
                    ToClient.Clear();
                    Unwritten.Clear();
                    break;
                case ActionKind.CloseLink:
                    Log?.Add($"close link {action.Link}");
                    if (action.Link == LinkNumber && Phase != LinkPhase.None)
                    {
                        // Closed by the client: what was still in flight is lost (the model's TCP does not deliver it).
                        Phase = LinkPhase.None;
                        ToBroker.Clear();
                        ToClient.Clear();
                        Unwritten.Clear();
                    }

                    break;
                default:
                    Sent(action);
                    break;
            }
        }

        while (Engine.PollEvent(out EngineEvent e))
        {
            Heard(e);
        }

        // A finished message is forgotten once no packet on its way names it and the broker holds no identifier for it.
        for (int i = Messages.Count - 1; i >= 0; i--)
        {
            if (Messages[i].Finished && !Names(ToBroker, Messages[i]) && !Names(Unwritten, Messages[i]) && Messages[i].BrokerHeldId == 0)
            {
                Messages.RemoveAt(i);
            }
        }
    }

    private static bool Names(List<Packet> packets, ModelMessage message)
    {
        foreach (Packet p in packets)
        {
            if (p.Message == message)
            {
                return true;
            }
        }

        return false;
    }

    private void Sent(EngineAction action)
    {
        // A PUBREL names its message by packet identifier only: the held QoS 2 message with that identifier.
        ModelMessage? record = action.Message is not null ? Record(action.Message)
            : action.Packet == PacketKind.PubRel ? Messages.Find(m => m.Qos == 2 && !m.Finished && m.Message.PacketId == action.PacketId && action.PacketId != 0) : null;
        var packet = new Packet
        {
            Kind = action.Packet, Message = record, Dup = action.Dup, CleanSession = action.CleanSession, Link = action.Link,
            PacketId = action.Packet == PacketKind.Publish ? action.Message!.PacketId : action.Request?.PacketId ?? action.PacketId,
            Filters = action.Request?.Filters,
        };
        Log?.Add($"sent {Name(packet)}");
        bool onLink = action.Link == LinkNumber && Phase is LinkPhase.Open or LinkPhase.Dead or LinkPhase.Gone;
        if (!onLink)
        {
            Fail("I3", $"{Name(packet)} was written on link {action.Link}, which is not open (the link is {Phase} {LinkNumber})");
        }

        // I3: nothing after DISCONNECT [MQTT-3.14.4-2]; CONNECT first and once; nothing else before an accepted CONNACK.
        if (DisconnectWritten)
        {
            Fail("I3", $"{Name(packet)} was written after DISCONNECT [MQTT-3.14.4-2]");
        }

        if (action.Packet == PacketKind.Connect)
        {
            if (ConnectWritten)
            {
                Fail("I3", "a second CONNECT was written on the link");
            }

            ConnectWritten = true;
        }
        else if (!Accepted)
        {
            Fail("I3", $"{Name(packet)} was written before a CONNACK accepted the link");
        }

        DisconnectWritten |= action.Packet == PacketKind.Disconnect;
        if (action.Packet is PacketKind.PubAck or PacketKind.PubRec or PacketKind.PubComp)
        {
            SentInboundAnswer(action, packet);
        }

        if (action.Packet == PacketKind.Subscribe && ++SubscribesWritten > 1)
        {
            // One subscription, one SUBSCRIBE per link: more means requests pile up in the engine (I10, memory is bounded).
            Fail("I10", $"{SubscribesWritten} SUBSCRIBEs were written on one link for the application's one subscription: the engine's requests pile up");
        }

        if (action.Packet == PacketKind.Publish)
        {
            if (record is null)
            {
                Fail("I1", "a PUBLISH was written for a message the application never published");
                return;
            }

            if (record.Qos == 0)
            {
                // At most once [MQTT-4.3.1]: handed to a link once, never with DUP.
                if (record.Sent || action.Dup)
                {
                    Fail("I9", $"the QoS 0 message m{record.Number} was {(record.Sent ? "sent a second time" : "sent with DUP = 1")}: at most once");
                }
            }
            else
            {
                if (action.Dup != record.Sent)
                {
                    Fail("I4", record.Sent ? $"m{record.Number} was re-sent with DUP = 0" : $"m{record.Number} was written with DUP = 1 on its first send");
                }

                if (record.PubRelSent)
                {
                    // After PUBREL the broker may have released the identifier: the PUBLISH would be a new message to it.
                    Fail("I4", $"m{record.Number}'s PUBLISH was re-sent after its PUBREL was sent [MQTT-4.3.3-1]");
                }

                if (packet.PacketId == 0)
                {
                    Fail("I2", $"m{record.Number} was written with packet identifier 0");
                }
            }

            record.Sent = true;
        }

        if (action.Packet == PacketKind.PubRel)
        {
            if (record is null)
            {
                Fail("I2", $"PUBREL was written for packet identifier {action.PacketId}, which no held QoS 2 message has");
                return;
            }

            if (!record.AtBroker)
            {
                Fail("I1", $"PUBREL for m{record.Number} was written, but the broker never received its PUBLISH (no PUBREC can have come)");
            }

            record.PubRelSent = true;
        }

        if (Phase == LinkPhase.Open && onLink && !BrokerClosed)
        {
            ToBroker.Add(packet);
        }

        if (action.NotifyWritten && onLink)
        {
            Unwritten.Add(packet);
        }
    }

    /// <summary>
    /// The engine answers a message the broker published: PUBACK and PUBREC only once the application has it, and only on
    /// the link its PUBLISH came on [MQTT-4.4.0-1]; a PUBCOMP settles the PUBREL it answers.
    /// </summary>
    private void SentInboundAnswer(EngineAction action, Packet packet)
    {
        int qos = action.Packet == PacketKind.PubAck ? 1 : 2;
        InboundRecord? record = Inbound.Find(r => r.Qos == qos && r.Id == action.PacketId && r.HeldByBroker);
        packet.Inbound = record;
        if (action.Packet == PacketKind.PubComp)
        {
            _pubCompOwed = _pubCompOwed == action.PacketId ? 0 : _pubCompOwed;
            return;
        }

        if (record is null)
        {
            return; // for an exchange the broker's session no longer holds: it ignores the answer
        }

        if (!record.Taken)
        {
            Fail("I1", $"{Name(packet)} was written for in{record.Number} before the application took it: the broker counts it delivered, so it is lost if the engine loses it");
        }

        if (action.Link != record.ClientLink)
        {
            Fail("I3", $"{Name(packet)} for in{record.Number} was written on link {action.Link}, but its PUBLISH came on link {record.ClientLink}: an acknowledgement goes only on its PUBLISH's link [MQTT-4.4.0-1]");
        }
    }

    /// <summary>
    /// The inbound invariants of a state: a QoS 2 message reaches the application at most once (queued or taken, I9); nothing
    /// the broker counts as delivered (PUBACK or PUBREC taken) is missing from the application (I1 for inbound); the engine
    /// holds the receipt of every QoS 2 message it received while the broker's session holds the exchange, until PUBREL (I9).
    /// </summary>
    private void CheckInbound()
    {
        if (_pubCompOwed != 0)
        {
            Fail("I9", $"the engine took PUBREL {_pubCompOwed} while connected and answered no PUBCOMP: the broker re-sends it forever [MQTT-4.3.3-2]");
            _pubCompOwed = 0;
        }

        InboundMessage[] queued = Engine.SnapshotReceived();
        foreach (InboundRecord r in Inbound)
        {
            int copies = Array.FindAll(queued, m => m.Topic == r.Topic).Length;
            if (r.Qos == 2 && copies + (r.Taken ? 1 : 0) > 1)
            {
                Fail("I9", $"the QoS 2 message in{r.Number} is queued for the application {copies} time(s){(r.Taken ? " after it was taken" : "")}: exactly once");
            }

            if (r.Phase is BrokerPhase.AwaitingPubComp or BrokerPhase.Done && !r.Taken && copies == 0)
            {
                Fail("I1", $"the broker's exchange for in{r.Number} got its {(r.Qos == 1 ? "PUBACK" : "PUBREC")}, yet the application neither took it nor has it queued: lost while the session was kept");
            }

            if (r.Qos == 2 && r.HeldByBroker && r.Received && !r.PubRelHandled && !Engine.HoldsReceipt(r.Id))
            {
                Fail("I9", $"the engine holds no receipt for in{r.Number} (identifier {r.Id}), received while the broker's session holds its exchange and before its PUBREL: a re-send with DUP would be delivered again");
            }
        }
    }

    private void Heard(EngineEvent e)
    {
        ModelMessage? record = e.Caller is null ? null : Messages.Find(m => ReferenceEquals(m.Message.Caller, e.Caller));
        string who = record is null ? "" : $" m{record.Number}";
        Log?.Add($"event {e.Kind}{who}{(e.Reason is { Length: > 0 } ? ": " + e.Reason : "")}");
        switch (e.Kind)
        {
            case EngineEventKind.ConnectCompleted or EngineEventKind.ConnectFailed:
                if (!ReferenceEquals(e.Caller, _connectCaller))
                {
                    Fail("I7", $"{e.Kind} for a connect call that is not waiting");
                }

                ConnectPending = false;
                WantsConnect = e.Kind == EngineEventKind.ConnectFailed;
                _connectCaller = null;
                break;
            case EngineEventKind.DisconnectCompleted:
                if (!ReferenceEquals(e.Caller, _disconnectCaller))
                {
                    Fail("I7", "DisconnectCompleted for a disconnect call that is not waiting");
                }

                DisconnectPending = false;
                WantsConnect = true;
                _disconnectCaller = null;
                break;
            case EngineEventKind.PublishCompleted:
                if (record is { Qos: 0 })
                {
                    // QoS 0 completes once written, and only then.
                    if (!record.Written)
                    {
                        Fail("I7", $"PublishAsync{who} at QoS 0 completed before its PUBLISH was written");
                    }

                    record.Completed = true;
                }
                else if (record is null || !record.AtBroker)
                {
                    Fail("I1", $"PublishAsync{who} completed, but the broker never received the message");
                }
                else if (!record.Acknowledged)
                {
                    Fail("I1", $"PublishAsync{who} at QoS 2 completed before the broker released it (no PUBCOMP can have come)");
                }
                else
                {
                    record.Completed = true;
                }

                break;
            case EngineEventKind.PublishFailed when record is { Qos: 0, Written: false, Sent: true }:
                // QoS 0 handed to a link that died before saying it was written: it fails, and is never sent again.
                record.Completed = true;
                break;
            case EngineEventKind.PublishCancelled when record is not null && !record.Message.IsHeldBy(Engine):
                if (record.Sent)
                {
                    Fail("I1", $"m{record.Number} was withdrawn although it had been sent (the broker may have it, or will never get it)");
                }
                else if (!record.Cancelled)
                {
                    Fail("I1", $"m{record.Number} was withdrawn although its caller never cancelled");
                }

                record.Withdrawn = true;
                break;
            case EngineEventKind.PublishFailed:
                Fail("I1", $"PublishAsync{who} failed: {e.Reason}");
                break;
            case EngineEventKind.RequestCompleted when ReferenceEquals(e.Caller, Subscription.Caller):
                Subscribed = true;
                break;
            case EngineEventKind.RequestCompleted when Unsubscription is not null && ReferenceEquals(e.Caller, Unsubscription.Caller):
                Unsubscribed = true;
                break;
            case EngineEventKind.RequestFailed or EngineEventKind.RequestCancelled:
                Fail("I8", $"the subscription request failed: {e.Reason}");
                break;
            case EngineEventKind.MessageDropped:
                Fail("I10", $"a message was dropped under no policy that drops: {e.Reason}");
                break;
            default:
                break; // LinkUp, LinkDown, ConnectAttemptFailed, RoomAvailable, PacketIgnored, a detached cancel
        }
    }

    /// <summary>The invariants of a state, checked once every step has been carried out.</summary>
    private void CheckState()
    {
        OutboundMessage[] held = Engine.SnapshotHeld();
        foreach (ModelMessage m in Messages)
        {
            bool isHeld = Array.IndexOf(held, m.Message) >= 0;
            if (!m.Finished && !isHeld && m.Acknowledged)
            {
                // Acknowledged: its caller hears PublishCompleted, unless it stopped waiting (DetachCaller).
                if (!m.Cancelled)
                {
                    Fail("I7", $"m{m.Number} left the engine acknowledged, but its PublishAsync never heard PublishCompleted");
                }

                m.Completed = true;
            }
            else if (!m.Finished && !isHeld)
            {
                // I1: an accepted QoS 1 or 2 message is held by the engine until the broker has acknowledged it (PUBACK, PUBCOMP).
                Fail("I1", $"m{m.Number} is no longer held, yet it was neither acknowledged nor withdrawn{(m.AtBroker ? "" : "; the broker never received it")}");
            }
            else if (m.Finished && isHeld)
            {
                Fail("I1", $"m{m.Number} is still held after its call {(m.Completed ? "completed" : "was withdrawn")}");
            }
        }

        for (int i = 0; i < held.Length; i++)
        {
            if (Record(held[i]) is null)
            {
                Fail("I1", $"the engine holds a message the application never published (position {i})");
            }

            if (held[i].State is PublishState.Acked or PublishState.Withdrawn && Record(held[i]) is { } final)
            {
                // A held message in a final state is never sent again, nor does its call complete.
                Fail(final.Acknowledged ? "I7" : "I1", $"m{final.Number} is held in the final state {held[i].State}{(final.Acknowledged ? ": its PublishAsync never completes" : ", yet the broker never acknowledged it")}");
            }

            // I2: in-flight packet identifiers are non-zero and unique.
            if (held[i].State is PublishState.AwaitingPubAck or PublishState.Resend or PublishState.AwaitingPubRec or PublishState.ResendQos2
                or PublishState.AwaitingPubComp or PublishState.ResendPubRel && held[i].PacketId == 0)
            {
                Fail("I2", $"the held message at position {i} is {held[i].State} with packet identifier 0");
            }

            for (int j = 0; j < i; j++)
            {
                if (held[i].PacketId != 0 && held[i].PacketId == held[j].PacketId)
                {
                    Fail("I2", $"the held messages at positions {j} and {i} both use packet identifier {held[i].PacketId}");
                }
            }
        }

        // I5: a link counts as up only while something was heard from it within the keepalive period, and something must
        // be watching it: connected with keepalive on, a deadline is always armed.
        if (Engine.IsConnected && Now - LastHeard > _options.KeepAliveMs)
        {
            Fail("I5", $"still connected, with nothing heard for {Now - LastHeard} ms (keepalive {_options.KeepAliveMs} ms)");
        }

        if (Engine.IsConnected && Engine.PollTimeout() == SessionEngine.Never)
        {
            Fail("I5", "connected with no deadline armed: nothing would notice the link going silent");
        }

        if (_options.Inbound)
        {
            CheckInbound();
        }

        if (Engine.Statistics.SendsRefused != 0)
        {
            Fail("I3", $"the engine's send rules refused {Engine.Statistics.SendsRefused} packet(s): an effect tried to send where it may not");
        }

        // I8: once a (re)connect has settled — connected, link open, nothing of a SUBSCRIBE on its way — the subscription
        // the application asked for is in force at the broker.
        bool settled = Engine.IsConnected && Phase == LinkPhase.Open && Accepted && Healthy && !BrokerClosed
            && !ToBroker.Exists(p => p.Kind is PacketKind.Subscribe or PacketKind.Unsubscribe) && !ToClient.Exists(p => p.Kind is PacketKind.SubAck or PacketKind.UnsubAck);
        if (settled && Unsubscription is null && !BrokerSubscribed)
        {
            Fail("I8", $"connected and settled, but the broker's {(BrokerSession ? "session" : "(missing) session")} does not hold the subscription to \"{Filter}\" and none is on its way");
        }

        if (settled && Unsubscribed && BrokerSubscribed)
        {
            Fail("I8", $"connected and settled after UnsubscribeAsync completed, yet the broker holds the subscription to \"{Filter}\" again");
        }
    }

    private ModelMessage? Record(OutboundMessage message)
    {
        foreach (ModelMessage m in Messages)
        {
            if (ReferenceEquals(m.Message, message))
            {
                return m;
            }
        }

        return null;
    }

    private void Fail(string invariant, string message) => _violation ??= new Violation(invariant, message);
}

/// <summary>Helpers over the engine's public view.</summary>
internal static class OutboundMessageExtensions
{
    /// <summary>True while <paramref name="engine"/> holds the message.</summary>
    public static bool IsHeldBy(this OutboundMessage message, SessionEngine engine) => Array.IndexOf(engine.SnapshotHeld(), message) >= 0;
}
