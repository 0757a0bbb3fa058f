using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Verification.ModelChecking;

/// <summary>The events: when each can happen, and what it does — to the environment, and to the engine through its public handlers.</summary>
internal sealed partial class World
{
    private Violation? _violation;
    private long _eventMask = -1;

    /// <summary>The events possible now, in a fixed order.</summary>
    public void Enabled(List<ModelEvent> into)
    {
        long mask = _eventMask;
        void Add(bool when, ModelEventKind kind, int argument = 0)
        {
            if (when && (mask & (1L << (int)kind)) != 0)
            {
                into.Add(new ModelEvent(kind, argument));
            }
        }

        bool open = Phase == LinkPhase.Open;
        bool toBroker = open && ToBroker.Count > 0 && !BrokerClosed;
        Add(!ConnectPending && !WantsConnect, ModelEventKind.AppConnect);
        Add(!ConnectPending && WantsConnect, ModelEventKind.AppRetryConnect);
        Add(!DisconnectPending, ModelEventKind.AppDisconnect);
        OutboundMessage[] held = Engine.SnapshotHeld();
        int qos0 = 0, qos2 = 0;
        foreach (OutboundMessage m in held)
        {
            qos0 += m.Qos == 0 ? 1 : 0;
            qos2 += m.Qos == 2 ? 1 : 0;
        }

        Add(held.Length - qos0 - qos2 < _options.MaxMessages, ModelEventKind.AppPublish);
        Add(qos0 < _options.Qos0Messages, ModelEventKind.AppPublishQos0);
        Add(qos2 < _options.Qos2Messages, ModelEventKind.AppPublishQos2);
        Add(_options.Unsubscribe && Unsubscription is null, ModelEventKind.AppUnsubscribe);
        for (int i = 0; i < held.Length; i++)
        {
            Add(Record(held[i]) is { Cancelled: false }, ModelEventKind.AppCancel, i);
        }

        bool deadline = Engine.PollTimeout() != SessionEngine.Never;
        Add(deadline && !AnswerOnItsWay, ModelEventKind.Timeout);
        // A slow link holds a bounded backlog: a deadline may pass with at most SlowBacklog packets on their way.
        Add(deadline && AnswerOnItsWay && _options.SlowLink && ToBroker.Count + ToClient.Count <= ModelOptions.SlowBacklog, ModelEventKind.LateTimeout);
        Add(Phase == LinkPhase.Opening && Healthy, ModelEventKind.SocketOpened);
        Add(Phase is LinkPhase.Opening or LinkPhase.Open or LinkPhase.Dead, ModelEventKind.SocketPending);
        Add(Phase == LinkPhase.Opening && !Healthy, ModelEventKind.ConnectFailed);
        Add(Phase == LinkPhase.Dead && Net != Network.HalfOpen, ModelEventKind.LinkError);
        Add(Unwritten.Count > 0 && Phase is LinkPhase.Open or LinkPhase.Dead or LinkPhase.Gone, ModelEventKind.Written);
        Add(toBroker, ModelEventKind.DeliverToBroker);
        Add(open && ToClient.Count > 0, ModelEventKind.DeliverToClient);
        Add(Net != Network.Down, ModelEventKind.NetDown);
        Add(Net != Network.HalfOpen, ModelEventKind.NetHalfOpen);
        Add(Net != Network.Up, ModelEventKind.NetUp);
        Add(BrokerUp, ModelEventKind.BrokerCrashKeepSession);
        Add(BrokerUp, ModelEventKind.BrokerCrashLoseSession);
        Add(!BrokerUp, ModelEventKind.BrokerRestart);
        Add(toBroker && ToBroker[0].Kind == PacketKind.Connect, ModelEventKind.RefuseRetryable);
        Add(toBroker && ToBroker[0].Kind == PacketKind.Connect, ModelEventKind.RefuseFatal);
        Add(Phase == LinkPhase.Opening && Net == Network.Down, ModelEventKind.DnsFailure);
        Add(open, ModelEventKind.LinkReset);
        Add(open, ModelEventKind.Malformed);
        bool answer = open && ToClient.Count > 0 && ToClient[0].Kind is PacketKind.PubAck or PacketKind.PubRec or PacketKind.PubComp or PacketKind.SubAck or PacketKind.PingResp or PacketKind.PubRel;
        Add(_options.LossyBroker && answer, ModelEventKind.LoseAnswer);
        Add(_options.LossyBroker && answer && ToClient[0].Kind is PacketKind.PubAck or PacketKind.PubRec or PacketKind.PubComp or PacketKind.PubRel && !ToClient[0].Duplicated, ModelEventKind.DuplicateAck);
        if (_options.Inbound)
        {
            // The broker publishes to a client it accepted on this link, through the subscription its session holds.
            bool publishes = open && BrokerConnected && !BrokerClosed && BrokerSession && BrokerSubscribed;
            int inbound2 = 0, inbound1 = 0;
            foreach (InboundRecord r in Inbound)
            {
                inbound2 += r.Qos == 2 ? 1 : 0;
                inbound1 += r.Qos == 1 ? 1 : 0;
            }

            Add(publishes && inbound2 < _options.InboundQos2Messages, ModelEventKind.BrokerPublishQos2);
            Add(publishes && inbound1 < _options.InboundQos1Messages, ModelEventKind.BrokerPublishQos1);
            Add(Engine.HasMessage, ModelEventKind.AppTake);
        }
    }

    /// <summary>
    /// Applies <paramref name="e"/> (which must be enabled), carries out what the engine then asks, and checks the
    /// invariants. Returns the first violation, or null. A table hole or a throwing engine is a violation too.
    /// </summary>
    public Violation? Apply(ModelEvent e)
    {
        _violation = null;
        _pubCompOwed = 0;
        try
        {
            Step(e);
            Drain();
            if (e.Kind is ModelEventKind.Timeout or ModelEventKind.LateTimeout && Engine.PollTimeout() <= Now)
            {
                Fail("Livelock", $"after HandleTimeout({Now}) in {Engine.State} the next deadline is still due ({Engine.PollTimeout()}): a driver would spin");
            }

            CheckState();
        }
        catch (InvalidOperationException ex)
        {
            string message = ex.Message;
            Fail(message.Contains("no row handles", StringComparison.Ordinal) ? "NoRow" : message.Contains("both apply", StringComparison.Ordinal) ? "Ambiguous" : "EngineThrew", message);
        }

        return _violation;
    }

    private void Step(ModelEvent e)
    {
        switch (e.Kind)
        {
            case ModelEventKind.AppConnect or ModelEventKind.AppRetryConnect:
                ConnectPending = true;
                _connectCaller = new object();
                Engine.Connect(_connectCaller, Now);
                break;
            case ModelEventKind.AppDisconnect:
                DisconnectPending = true;
                _disconnectCaller = new object();
                Engine.Disconnect(_disconnectCaller, Now);
                break;
            case ModelEventKind.AppPublish:
                Publish(1);
                break;
            case ModelEventKind.AppPublishQos0:
                Publish(0);
                break;
            case ModelEventKind.AppPublishQos2:
                Publish(2);
                break;
            case ModelEventKind.AppUnsubscribe:
                Unsubscription = SubscriptionRequest.Unsubscribe([Filter], new object());
                Engine.Request(Unsubscription, Now);
                break;
            case ModelEventKind.AppCancel:
                OutboundMessage message = Engine.SnapshotHeld()[e.Argument];
                Record(message)!.Cancelled = true;
                Engine.CancelPublish(message, Now);
                break;
            case ModelEventKind.Timeout or ModelEventKind.LateTimeout:
                Now = Engine.PollTimeout();
                Engine.HandleTimeout(Now);
                break;
            case ModelEventKind.SocketOpened:
                Phase = LinkPhase.Open;
                Engine.HandleLinkOpened(LinkNumber, Now);
                break;
            case ModelEventKind.SocketPending:
                Engine.HandleLinkPending(LinkNumber, Now);
                break;
            case ModelEventKind.ConnectFailed:
                Phase = LinkPhase.Gone;
                Engine.HandleLinkError(LinkNumber, (int)(Net == Network.Down ? SocketErrorCode.NetworkUnreachable : Net == Network.HalfOpen ? SocketErrorCode.TimedOut : SocketErrorCode.ConnectionRefused), "connect failed", Now);
                break;
            case ModelEventKind.LinkError:
                Phase = LinkPhase.Gone;
                Engine.HandleLinkError(LinkNumber, (int)(BrokerUp ? SocketErrorCode.NetworkUnreachable : SocketErrorCode.ConnectionReset), "the dead link's error surfaces", Now);
                break;
            case ModelEventKind.Written:
                Packet written = Unwritten[0];
                Unwritten.RemoveAt(0);
                if (written.Message is { } wrote)
                {
                    wrote.Written = true;
                }

                Engine.HandleWritten(new EngineAction { Kind = ActionKind.Send, Link = written.Link, Packet = written.Kind, Message = written.Message?.Message!, NotifyWritten = true }, Now);
                break;
            case ModelEventKind.DeliverToBroker:
                Packet toBroker = ToBroker[0];
                ToBroker.RemoveAt(0);
                BrokerReceives(toBroker);
                break;
            case ModelEventKind.DeliverToClient:
                Packet toClient = ToClient[0];
                ToClient.RemoveAt(0);
                ClientReceives(toClient);
                break;
            case ModelEventKind.NetDown:
                Net = Network.Down;
                KillLink();
                break;
            case ModelEventKind.NetHalfOpen:
                Net = Network.HalfOpen;
                KillLink();
                break;
            case ModelEventKind.NetUp:
                Net = Network.Up;
                break;
            case ModelEventKind.BrokerCrashKeepSession:
                BrokerUp = false;
                KillLink();
                break;
            case ModelEventKind.BrokerCrashLoseSession:
                BrokerUp = false;
                ForgetBrokerSession();
                KillLink();
                break;
            case ModelEventKind.BrokerRestart:
                BrokerUp = true;
                break;
            case ModelEventKind.RefuseRetryable or ModelEventKind.RefuseFatal:
                // [MQTT-3.2.2-5]: the broker answers with the refusal and closes the link.
                ToBroker.Clear();
                BrokerClosed = true;
                ToClient.Add(new Packet { Kind = PacketKind.ConnAck, ReturnCode = e.Kind == ModelEventKind.RefuseRetryable ? 3 : 5, Link = LinkNumber });
                ToClient.Add(new Packet { Kind = PacketKind.None, Link = LinkNumber });
                break;
            case ModelEventKind.DnsFailure:
                Phase = LinkPhase.Gone;
                Engine.HandleLinkError(LinkNumber, (int)SocketErrorCode.HostNotFound, "the broker's name does not resolve", Now);
                break;
            case ModelEventKind.LinkReset:
                Phase = LinkPhase.Gone;
                ToBroker.Clear();
                ToClient.Clear();
                Engine.HandleLinkError(LinkNumber, (int)SocketErrorCode.ConnectionReset, "reset", Now);
                break;
            case ModelEventKind.Malformed:
                Engine.HandleMalformed(LinkNumber, "malformed packet", Now);
                break;
            case ModelEventKind.LoseAnswer:
                ToClient.RemoveAt(0);
                break;
            case ModelEventKind.DuplicateAck:
                ToClient[0].Duplicated = true;
                ToClient.Insert(1, new Packet { Kind = ToClient[0].Kind, PacketId = ToClient[0].PacketId, Duplicated = true, Link = LinkNumber, Inbound = ToClient[0].Inbound });
                break;
            case ModelEventKind.BrokerPublishQos2 or ModelEventKind.BrokerPublishQos1:
                BrokerPublishes(e.Kind == ModelEventKind.BrokerPublishQos2 ? 2 : 1);
                break;
            case ModelEventKind.AppTake:
                Take();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(e), e, "no such event");
        }
    }

    private void Publish(int qos)
    {
        var message = new OutboundMessage("t", [1], qos, false, new object());
        var record = new ModelMessage { Message = message, Number = _published++, Qos = qos };
        Messages.Add(record);
        AdmitVerdict verdict = Engine.Publish(message, Now);
        if (verdict != AdmitVerdict.Accept)
        {
            Messages.Remove(record);
            Fail("I10", $"the engine did not accept a publish below every bound ({verdict})");
        }
    }

    /// <summary>The broker takes a packet and answers as an MQTT 3.1.1 broker does.</summary>
    private void BrokerReceives(Packet p)
    {
        switch (p.Kind)
        {
            case PacketKind.Connect:
                bool present = !p.CleanSession && BrokerSession; // [MQTT-3.2.2-1] / [MQTT-3.2.2-2]
                if (!present)
                {
                    ForgetBrokerSession();
                    BrokerSession = true;
                }

                ToClient.Add(new Packet { Kind = PacketKind.ConnAck, SessionPresent = present, Link = LinkNumber });
                BrokerConnected = true;
                if (present)
                {
                    ResendInbound();
                }

                break;
            case PacketKind.Publish:
                p.Message!.AtBroker = true;
                if (p.Message.Qos == 1)
                {
                    ToClient.Add(new Packet { Kind = PacketKind.PubAck, PacketId = p.PacketId, Link = LinkNumber });
                }
                else if (p.Message.Qos == 2)
                {
                    BrokerReceivesQos2(p);
                }

                break;
            case PacketKind.PubRel:
                // [MQTT-4.3.3-2]: the identifier is released, and PUBREL is answered with PUBCOMP even when it is not held.
                foreach (ModelMessage m in Messages)
                {
                    if (m.BrokerHeldId == p.PacketId)
                    {
                        m.BrokerHeldId = 0;
                    }
                }

                if (p.Message is not null)
                {
                    p.Message.Released = true;
                }

                ToClient.Add(new Packet { Kind = PacketKind.PubComp, PacketId = p.PacketId, Link = LinkNumber });
                break;
            case PacketKind.PingReq:
                ToClient.Add(new Packet { Kind = PacketKind.PingResp, Link = LinkNumber });
                break;
            case PacketKind.Subscribe:
                BrokerSubscribed |= p.Filters!.Contains(Filter);
                ToClient.Add(new Packet { Kind = PacketKind.SubAck, PacketId = p.PacketId, Filters = p.Filters, Link = LinkNumber });
                break;
            case PacketKind.Unsubscribe:
                BrokerSubscribed &= !p.Filters!.Contains(Filter);
                ToClient.Add(new Packet { Kind = PacketKind.UnsubAck, PacketId = p.PacketId, Link = LinkNumber });
                break;
            case PacketKind.Disconnect:
                BrokerClosed = true; // [MQTT-3.14.4-1]: the broker closes the link
                ToBroker.Clear();
                ToClient.Add(new Packet { Kind = PacketKind.None, Link = LinkNumber });
                break;
            case PacketKind.PubAck:
                // QoS 1 [MQTT-4.3.2-2]: the exchange is over.
                if (Inbound.Find(r => r.Qos == 1 && r.Id == p.PacketId && r.Phase == BrokerPhase.AwaitingAck) is { } acked)
                {
                    acked.Phase = BrokerPhase.Done;
                    acked.Id = 0;
                }

                break;
            case PacketKind.PubRec:
                // [MQTT-4.3.3-1]: the broker stops re-sending the PUBLISH and sends PUBREL (again, for a repeated PUBREC).
                if (Inbound.Find(r => r.Qos == 2 && r.Id == p.PacketId && r.HeldByBroker) is { } recd)
                {
                    recd.Phase = BrokerPhase.AwaitingPubComp;
                    ToClient.Add(new Packet { Kind = PacketKind.PubRel, PacketId = recd.Id, Link = LinkNumber, Inbound = recd });
                }

                break;
            case PacketKind.PubComp:
                if (Inbound.Find(r => r.Qos == 2 && r.Id == p.PacketId && r.Phase == BrokerPhase.AwaitingPubComp) is { } completed)
                {
                    completed.Phase = BrokerPhase.Done;
                    completed.Id = 0;
                }

                break;
            default:
                break;
        }
    }

    /// <summary>The broker publishes its next message at <paramref name="qos"/>: the lowest identifier its session does not hold.</summary>
    private void BrokerPublishes(int qos)
    {
        int id = 1;
        while (Inbound.Exists(r => r.Id == id))
        {
            id++;
        }

        var record = new InboundRecord { Number = Inbound.Count, Qos = qos, Phase = BrokerPhase.AwaitingAck, Id = id };
        Inbound.Add(record);
        ToClient.Add(new Packet { Kind = PacketKind.Publish, PacketId = id, Link = LinkNumber, Inbound = record });
    }

    /// <summary>
    /// A reconnect with the session present: the broker re-sends, in order, every PUBLISH not yet acknowledged, with DUP, and
    /// every PUBREL not yet completed [MQTT-4.4.0-1].
    /// </summary>
    private void ResendInbound()
    {
        foreach (InboundRecord r in Inbound)
        {
            if (r.Phase == BrokerPhase.AwaitingAck)
            {
                ToClient.Add(new Packet { Kind = PacketKind.Publish, PacketId = r.Id, Dup = true, Link = LinkNumber, Inbound = r });
            }
            else if (r.Phase == BrokerPhase.AwaitingPubComp)
            {
                ToClient.Add(new Packet { Kind = PacketKind.PubRel, PacketId = r.Id, Link = LinkNumber, Inbound = r });
            }
        }
    }

    /// <summary>The application takes the oldest received message; a QoS 2 message taken twice breaks exactly once (I9).</summary>
    private void Take()
    {
        InboundMessage? message = Engine.TakeMessage(Now);
        InboundRecord? record = message is null ? null : Inbound.Find(r => r.Topic == message.Topic);
        Log?.Add($"taken {message?.Topic ?? "nothing"}{(message?.Dup == true ? " (dup)" : "")}");
        if (record is null || record.Qos != message!.Qos)
        {
            Fail("I9", $"the application took {(message is null ? "nothing, though a message was waiting" : $"\"{message.Topic}\" at QoS {message.Qos}, which the broker never published so")}");
            return;
        }

        if (record.Qos == 2 && record.Taken)
        {
            Fail("I9", $"the application took the QoS 2 message in{record.Number} a second time: exactly once");
        }

        record.Taken = true;
    }

    private void ClientReceives(Packet p)
    {
        LastHeard = Now;
        switch (p.Kind)
        {
            case PacketKind.ConnAck:
                Accepted |= p.ReturnCode == 0;
                Engine.HandleConnAck(LinkNumber, p.SessionPresent, p.ReturnCode, Now);
                break;
            case PacketKind.PubAck:
                Engine.HandlePubAck(LinkNumber, p.PacketId, Now);
                break;
            case PacketKind.PubRec:
                Engine.HandlePubRec(LinkNumber, p.PacketId, Now);
                break;
            case PacketKind.PubComp:
                Engine.HandlePubComp(LinkNumber, p.PacketId, Now);
                break;
            case PacketKind.PingResp:
                Engine.HandlePingResp(LinkNumber, Now);
                break;
            case PacketKind.SubAck:
                Engine.HandleSubAck(LinkNumber, p.PacketId, [.. p.Filters!.Select(_ => (byte)1)], Now);
                break;
            case PacketKind.UnsubAck:
                Engine.HandleUnsubAck(LinkNumber, p.PacketId, Now);
                break;
            case PacketKind.Publish:
                bool accepting = Engine.State == ConnectionState.Connected;
                Engine.HandlePublish(LinkNumber, p.Inbound!.Topic, [1], p.Inbound.Qos, false, p.Dup, p.PacketId, Now);
                if (accepting)
                {
                    p.Inbound.Received = true;
                    p.Inbound.ClientLink = LinkNumber;
                }

                break;
            case PacketKind.PubRel:
                // Connected (and DISCONNECT not yet written), every PUBREL is answered with PUBCOMP in this step [MQTT-4.3.3-2].
                bool answers = Engine.State == ConnectionState.Connected && !DisconnectWritten;
                _pubCompOwed = answers ? p.PacketId : 0;
                Engine.HandlePubRel(LinkNumber, p.PacketId, Now);
                if (answers && p.Inbound is not null)
                {
                    p.Inbound.PubRelHandled = true;
                }

                break;
            default:
                Phase = LinkPhase.Gone;
                ToClient.Clear();
                Engine.HandleLinkClosed(LinkNumber, "end of stream", Now);
                break;
        }
    }

    /// <summary>
    /// A QoS 2 PUBLISH at the broker: an identifier its session does not hold is a new message, delivered onward once and
    /// held until PUBREL; one it holds is a re-send of that message, not delivered again [MQTT-4.3.3-2]. Either way: PUBREC.
    /// </summary>
    private void BrokerReceivesQos2(Packet p)
    {
        ModelMessage message = p.Message!;
        ModelMessage? holder = Messages.Find(m => m.BrokerHeldId == p.PacketId);
        if (holder is null)
        {
            if (message.DeliveredInSession)
            {
                Fail("I9", $"the broker delivered the QoS 2 message m{message.Number} a second time in one session: exactly once");
            }

            message.DeliveredInSession = true;
            message.BrokerHeldId = p.PacketId;
        }
        else if (holder != message)
        {
            // The broker takes it for a re-send of the held one, so it is never delivered, yet PUBREC, PUBREL and PUBCOMP follow.
            Fail("I2", $"m{message.Number} was sent with packet identifier {p.PacketId}, which the broker still holds for m{holder.Number} until its PUBREL: m{message.Number} would never be delivered");
        }

        ToClient.Add(new Packet { Kind = PacketKind.PubRec, PacketId = p.PacketId, Link = LinkNumber });
    }

    /// <summary>The broker's session ends (a clean or new session, a restart without persistence): its subscriptions and held QoS 2 identifiers go with it.</summary>
    private void ForgetBrokerSession()
    {
        BrokerSession = false;
        BrokerSubscribed = false;
        foreach (InboundRecord r in Inbound)
        {
            if (r.HeldByBroker)
            {
                r.Phase = BrokerPhase.Dropped;
                r.Id = 0;
            }
        }

        foreach (ModelMessage m in Messages)
        {
            m.BrokerHeldId = 0;
            m.DeliveredInSession = false;
        }
    }

    /// <summary>A fault kills the flow: everything in flight is lost (writes already accepted by the kernel still complete).</summary>
    private void KillLink()
    {
        if (Phase == LinkPhase.Open)
        {
            Phase = LinkPhase.Dead;
            ToBroker.Clear();
            ToClient.Clear();
        }
    }
}
