using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>The Publish machines: the outbound pump and each message's effects (MqttClient.Publish.cs).</summary>
public sealed partial class Composition
{
    private void Pump()
    {
        for (int i = 0; i < _s.Count && _s.Connection == ConnectionState.Connected && _violation is null;)
        {
            HeldMessage m = _s.Get(i);
            if (m.State == PublishState.AwaitingPubAck)
            {
                i++;
                continue;
            }

            if (AwaitingPubAck() >= options.Window)
            {
                break;
            }

            if (m.PacketId == 0)
            {
                m.PacketId = FreePacketId();
                _s.Set(i, m);
            }

            i += FirePublish(i, PublishTrigger.Transmit) ? 0 : 1;
        }
    }

    /// <summary>FirePublish. Returns true when the message was removed from the held list.</summary>
    private bool FirePublish(int i, PublishTrigger trigger)
    {
        if (_violation is not null)
        {
            return false;
        }

        HeldMessage m = _s.Get(i);
        PublishState before = m.State;
        var rows = tables.Rows(before, trigger).Where(r => r.Guard switch
        {
            PublishGuard.RepublishesLeft => m.Republishes < options.MaxRepublishes,
            PublishGuard.RepublishesExhausted => m.Republishes >= options.MaxRepublishes,
            _ => true,
        }).ToArray();
        if (!Chosen(rows.Length, $"Publish(m{i})", before, trigger))
        {
            return false;
        }

        var row = rows[0];
        m.State = row.To;
        _s.Set(i, m);
        _log?.Add($"Publish(m{i})[{row.Index}] {before} --{trigger}--> {row.To} / {row.Effect}");
        switch (row.Effect)
        {
            case PublishEffect.SendPublish: Transmit(i, dup: false, before); break;
            case PublishEffect.SendPublishDup: Transmit(i, dup: true, before); break;
            case PublishEffect.CompletePublish:
                Remove(i, trigger == PublishTrigger.PubAck ? "acknowledged" : $"completed on {trigger}");
                return true;
            case PublishEffect.Withdraw:
                Remove(i, trigger == PublishTrigger.Cancel ? "withdrawn" : $"withdrawn on {trigger}");
                return true;
            case PublishEffect.DeclareLinkDead: FireConnection(ConnectionTrigger.RepublishLimitReached); break;
            default: break; // None, DetachCaller: the message stays held
        }

        return false;
    }

    /// <summary>Transmit: count re-sends on this link, write the PUBLISH (I4: DUP exactly when it was written before).</summary>
    private void Transmit(int i, bool dup, PublishState before)
    {
        HeldMessage m = _s.Get(i);
        if (dup != m.Sent)
        {
            Fail("I4", dup ? $"m{i} was written with DUP = 1 on its first send" : $"m{i} was re-sent with DUP = 0");
        }

        m.Republishes = before == PublishState.AwaitingPubAck ? (byte)Math.Min(m.Republishes + 1, options.MaxRepublishes) : (byte)0;
        m.Sent = true;
        m.PublishInFlight |= Send($"PUBLISH(m{i})");
        _s.Set(i, m);
    }

    /// <summary>Forget: the message leaves the client. I1: only once the broker has it (PUBACK), or withdrawn before its first send.</summary>
    private void Remove(int i, string how)
    {
        HeldMessage m = _s.Get(i);
        bool legal = how == "acknowledged" ? m.BrokerHasIt : how == "withdrawn" && !m.Sent;
        if (!legal)
        {
            Fail("I1", $"m{i} left the client ({how}) in state {m.State}, {(m.BrokerHasIt ? "received by the broker" : "never received by the broker")}, {(m.Sent ? "sent before" : "never sent")}");
        }

        _s.RemoveAt(i);
    }

    private int AwaitingPubAck()
    {
        int n = 0;
        for (int i = 0; i < _s.Count; i++)
        {
            n += _s.Get(i).State == PublishState.AwaitingPubAck ? 1 : 0;
        }

        return n;
    }

    /// <summary>The lowest identifier no held message uses (the model's allocator; core's rotates, which only delays reuse).</summary>
    private byte FreePacketId()
    {
        for (byte id = 1; ; id++)
        {
            bool used = false;
            for (int i = 0; i < _s.Count; i++)
            {
                used |= _s.Get(i).PacketId == id;
            }

            if (!used)
            {
                return id;
            }
        }
    }
}
