using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.PropertyTests.Simulation.Network;

namespace StateMachineMqtt.PropertyTests.Simulation.Broker;

/// <summary>Packet handling: what the broker does with each packet a client sends, and how it writes its answers.</summary>
internal sealed partial class SimulatedBroker
{
    internal void OnPacket(BrokerConnection connection, MqttPacket packet)
    {
        string clientId = connection.ClientId ?? (packet is ConnectPacket c ? EffectiveClientId(connection, c) : UnidentifiedClient);
        bool lostWithLink = Faults.TakeLoseIncomingWithLink(packet.Type);
        bool dropped = lostWithLink || Faults.TakeDropIncoming(packet.Type);
        ListFor(_received, clientId).Add(new PacketRecord(Now(), connection.Link.Id, packet, dropped));
        _log.Add("broker", $"link {connection.Link.Id} <- {Describe(packet)}{(lostWithLink ? " (lost with its link: reset by fault)" : dropped ? " (dropped by fault)" : "")}");
        if (lostWithLink)
        {
            connection.Link.Reset();
            return;
        }

        if (packet is ConnectPacket connect)
        {
            if (connection.ConnectReceived)
            {
                // [MQTT-3.1.0-2]: a second CONNECT is a protocol violation; the server disconnects.
                connection.Close();
                return;
            }

            connection.ConnectReceived = true;
            connection.ClientId = clientId;
            if (!dropped)
            {
                HandleConnect(connection, connect);
            }

            return;
        }

        if (packet is AuthPacket auth && !dropped && connection.Version == MqttProtocolVersion.V500 && Authentication is not null)
        {
            HandleAuth(connection, auth);
            return;
        }

        if (dropped || !connection.Accepted)
        {
            // Before an accepted CONNACK the broker ignores everything; the conformance checker reports it.
            return;
        }

        BrokerSession session = _sessions[connection.ClientId!];
        switch (packet)
        {
            case PublishPacket publish:
                HandlePublish(connection, session, publish);
                break;
            case PubAckPacket ack:
                session.Inflight.RemoveAll(p => p.PacketId == ack.PacketId && p.QualityOfService == MqttQualityOfService.AtLeastOnce);
                DeliverPending(session);
                break;
            case PubRecPacket received:
                // [MQTT-4.3.3-1] as a sender: PUBREC ends the PUBLISH's part; from now on only PUBREL is sent, until PUBCOMP.
                if (session.Inflight.RemoveAll(p => p.PacketId == received.PacketId && p.QualityOfService == MqttQualityOfService.ExactlyOnce) > 0)
                {
                    session.Releasing.Add(received.PacketId);
                }

                if (session.Releasing.Contains(received.PacketId))
                {
                    SendPubRel(connection, received.PacketId);
                }

                break;
            case PubCompPacket completed:
                session.Releasing.Remove(completed.PacketId);
                DeliverPending(session);
                break;
            case PubRelPacket release:
                // [MQTT-4.3.3-2]: forget the identifier, then PUBCOMP — for an identifier not held too (already released,
                // or held by a session since lost), so a client re-sending PUBREL always hears the end of its flow.
                session.Qos2Held.Remove(release.PacketId);
                string owner = session.ClientId;
                Send(connection, new PubCompPacket(release.PacketId), () => _checker.OnPubCompDelivered(owner, release.PacketId));
                break;
            case SubscribePacket subscribe:
                HandleSubscribe(connection, session, subscribe);
                break;
            case UnsubscribePacket unsubscribe:
                // MQTT 5 answers each filter: 0x00 Success, 0x11 No subscription existed [MQTT-3.11.3-1], or a refusal.
                byte[] reasons = [.. unsubscribe.TopicFilters.Select(filter =>
                    connection.Version == MqttProtocolVersion.V500 && Faults.RejectedFilters.Contains(filter) ? Faults.FilterRefusalCode
                    : session.Subscriptions.Remove(filter) ? (byte)0x00 : (byte)0x11)];
                bool refused = reasons.Any(code => code >= 0x80);
                Send(connection, new UnsubAckPacket(unsubscribe.PacketId, connection.Version == MqttProtocolVersion.V500 ? reasons : null,
                    refused ? new MqttProperties { ReasonString = "refused by the test's broker" } : null));
                break;
            case PingReqPacket:
                Send(connection, PingRespPacket.Instance);
                break;
            case DisconnectPacket disconnect:
                // A clean goodbye discards the will [MQTT-3.14.4-3], unless an MQTT 5 one asks for it (0x04); the server
                // closes the link, and publishes a will still there.
                _log.Add("broker", $"link {connection.Link.Id} <- DISCONNECT 0x{disconnect.ReasonCode:X2}");
                if (disconnect.ReasonCode != 0x04 || connection.Version != MqttProtocolVersion.V500)
                {
                    connection.Will = null;
                }

                connection.Close();
                break;
        }
    }

    private void HandleConnect(BrokerConnection connection, ConnectPacket connect)
    {
        if (Faults.TakeIgnoreConnect())
        {
            _log.Add("broker", $"ignores CONNECT from {connect.ClientId} (fault)");
            return;
        }

        if (Faults.TakeRefusal())
        {
            Refuse(connection, Faults.RefusalCode);
            return;
        }

        if (connection.Version == MqttProtocolVersion.V500 && connect.Properties?.AuthenticationMethod is { } method && connection.PendingConnect is null && !BeginAuthentication(connection, connect, method))
        {
            return; // challenged, or refused
        }

        string clientId = connection.ClientId!;
        string? assigned = null;
        if (clientId.Length == 0)
        {
            if (connection.Version != MqttProtocolVersion.V500 && !connect.CleanSession)
            {
                // [MQTT-3.1.3-8]: under 3.1.1 an empty client id needs a clean session.
                Refuse(connection, ConnectReturnCode.IdentifierRejected);
                return;
            }

            // [MQTT-3.1.3-6]: the server assigns one; MQTT 5 tells the client in CONNACK [MQTT-3.2.2-16].
            clientId = assigned = $"sim-assigned-{++_assignedIdentifiers}";
            connection.ClientId = clientId;
        }

        if (_sessions.TryGetValue(clientId, out BrokerSession? existing) && existing.Connection is { } old && old != connection)
        {
            // [MQTT-3.1.4-2]: the new connection takes over; the old one is closed.
            _log.Add("broker", $"{clientId} takes over from link {old.Link.Id}");
            existing.Connection = null;
            old.Will = null;
            old.Close();
        }

        // A clean session ends with its link, so only a persistent one can be present [MQTT-3.2.2-2, 3.2.2-3].
        bool sessionPresent = !connect.CleanSession && existing is { CleanSession: false } && _sessions.ContainsKey(clientId);

        BrokerSession session;
        if (sessionPresent)
        {
            session = existing!;
        }
        else
        {
            session = new BrokerSession(clientId, connect.CleanSession, ++_sessionInstances);
            _sessions[clientId] = session;
            _sessionsStarted[clientId] = _sessionsStarted.GetValueOrDefault(clientId) + 1;
        }

        // A 3.1.1 clean session ends with its link; an MQTT 5 session ends with its link when its expiry interval is 0,
        // whatever Clean Start said (Clean Start only drops what was there before).
        session.CleanSession = connection.Version == MqttProtocolVersion.V500 ? (connect.Properties?.SessionExpiryInterval ?? 0) == 0 : connect.CleanSession;
        session.Connection = connection;
        connection.Accepted = true;
        connection.Will = connect.Will;
        connection.TopicAliasMaximum = connect.Properties?.TopicAliasMaximum ?? 0;
        connection.ReceiveMaximum = connect.Properties?.ReceiveMaximum ?? ushort.MaxValue;
        StateMachineMqtt.Protocol.V5.MqttProperties? terms = connection.Version == MqttProtocolVersion.V500 ? ConnAckProperties : null;
        if (connect.Properties?.RequestResponseInformation == 1 && ResponseInformation is not null)
        {
            terms = terms?.Copy() ?? new();
            terms.ResponseInformation = ResponseInformation; // only when asked [MQTT-3.1.2-28]
        }

        if (assigned is not null && connection.Version == MqttProtocolVersion.V500)
        {
            terms = terms?.Copy() ?? new();
            terms.AssignedClientIdentifier = assigned;
        }

        if (connect.Properties?.AuthenticationMethod is { } named && Authentication is { } authentication && authentication.Misbehaviour != AuthenticationMisbehaviour.ConnAckWithoutMethod)
        {
            terms = terms?.Copy() ?? new();
            terms.AuthenticationMethod = named; // [MQTT-4.12.0-5]
            terms.AuthenticationData = authentication.FinalData;
        }

        Send(connection, new ConnAckPacket(sessionPresent, ConnectReturnCode.Accepted, terms), () => _checker.OnAcceptedConnAckDelivered(connection.Link));

        // [MQTT-4.4.0-1]: unacknowledged messages are re-sent with DUP on reconnect, and unanswered PUBRELs again; then the queue drains.
        for (int i = 0; i < session.Inflight.Count; i++)
        {
            session.Inflight[i] = session.Inflight[i] with { Dup = true };
            SendToClient(connection, session.Inflight[i]);
        }

        foreach (ushort releasing in session.Releasing)
        {
            SendPubRel(connection, releasing);
        }

        DeliverPending(session);
    }

    /// <summary>The MQTT 5 reason code for a 3.1.1 refusal (section 3.2.2.2's table 3-1 against 3.1.1's 3.2.2.3).</summary>
    private static ConnectReturnCode V5Refusal(ConnectReturnCode code) => (ConnectReturnCode)(code switch
    {
        ConnectReturnCode.UnacceptableProtocolVersion => 0x84,
        ConnectReturnCode.IdentifierRejected => 0x85,
        ConnectReturnCode.ServerUnavailable => 0x88,
        ConnectReturnCode.BadUserNameOrPassword => 0x86,
        ConnectReturnCode.NotAuthorized => 0x87,
        _ => 0x80,
    });

    private void Refuse(BrokerConnection connection, ConnectReturnCode code)
    {
        _log.Add("broker", $"refuses CONNECT on link {connection.Link.Id} with {code}");
        Send(connection, new ConnAckPacket(false, connection.Version == MqttProtocolVersion.V500 ? V5Refusal(code) : code));

        // [MQTT-3.2.2-5]: after a refusing CONNACK the server closes the link.
        connection.Close();
    }

    private void HandlePublish(BrokerConnection connection, BrokerSession session, PublishPacket publish)
    {
        if (publish.Properties?.TopicAlias is { } alias)
        {
            // [MQTT-3.3.2-9]: no alias above the Topic Alias Maximum this broker's CONNACK gave; an empty topic needs a set one.
            int maximum = connection.Version == MqttProtocolVersion.V500 ? ConnAckProperties?.TopicAliasMaximum ?? 0 : 0;
            if (alias == 0 || alias > maximum || (publish.Topic.Length == 0 && !connection.ClientTopicAliases.ContainsKey(alias)))
            {
                _checker.Report(connection.Link, ProtocolViolationKind.InvalidTopic, $"Topic Alias {alias} (maximum {maximum}) is not one the client may use here");
                connection.Close();
                return;
            }

            if (publish.Topic.Length > 0)
            {
                connection.ClientTopicAliases[alias] = publish.Topic;
            }
            else
            {
                publish = publish with { Topic = connection.ClientTopicAliases[alias] };
            }
        }

        try
        {
            TopicValidation.EnsureTopicName(publish.Topic, "topic");
        }
        catch (ArgumentException ex)
        {
            _checker.Report(connection.Link, ProtocolViolationKind.InvalidTopic, ex.Message);
            connection.Close();
            return;
        }

        string clientId = session.ClientId;
        if (connection.Version == MqttProtocolVersion.V500 && publish.QualityOfService != MqttQualityOfService.AtMostOnce && Faults.PublishRefusal(publish.Topic) is byte refusal)
        {
            // A refusal ends the flow at once: nothing forwarded, no identifier held (a QoS 2 sender sends no PUBREL).
            _log.Add("broker", $"refuses PUBLISH id={publish.PacketId} to {publish.Topic} with 0x{refusal:X2}");
            var properties = new StateMachineMqtt.Protocol.V5.MqttProperties { ReasonString = "refused by the simulated broker" };
            if (publish.QualityOfService == MqttQualityOfService.AtLeastOnce)
            {
                Send(connection, new PubAckPacket(publish.PacketId, refusal, properties), () => _checker.OnPubAckDelivered(clientId, publish.PacketId));
            }
            else
            {
                Send(connection, new PubRecPacket(publish.PacketId, refusal, properties), () => _checker.OnPubCompDelivered(clientId, publish.PacketId));
            }

            return;
        }

        if (publish.QualityOfService == MqttQualityOfService.ExactlyOnce)
        {
            // Method B [MQTT-4.3.3-2]: the first PUBLISH with an identifier is stored and forwarded; until PUBREL releases
            // the identifier, a PUBLISH with it (DUP or not) is that message again: PUBREC again, never forwarded again.
            if (!session.Qos2Held.Add(publish.PacketId))
            {
                _log.Add("broker", $"QoS 2 id={publish.PacketId} is held: not forwarded again");
                Send(connection, new PubRecPacket(publish.PacketId), () => _checker.OnPubRecDelivered(clientId, publish.PacketId));
                return;
            }

            _accepted.Add(new AcceptedMessage(Now(), clientId, publish.Topic, publish.Payload, publish.QualityOfService, publish.PacketId, publish.Dup, session.Instance));
            Route(publish.Topic, publish.Payload, publish.QualityOfService, publish.Properties);
            Send(connection, new PubRecPacket(publish.PacketId), () => _checker.OnPubRecDelivered(clientId, publish.PacketId));
            return;
        }

        _accepted.Add(new AcceptedMessage(Now(), clientId, publish.Topic, publish.Payload, publish.QualityOfService, publish.PacketId, publish.Dup, session.Instance));
        Route(publish.Topic, publish.Payload, publish.QualityOfService, publish.Properties);
        if (publish.QualityOfService == MqttQualityOfService.AtLeastOnce)
        {
            Send(connection, new PubAckPacket(publish.PacketId), () => _checker.OnPubAckDelivered(clientId, publish.PacketId));
        }
    }

    private void HandleSubscribe(BrokerConnection connection, BrokerSession session, SubscribePacket subscribe)
    {
        var codes = new List<byte>(subscribe.Subscriptions.Count);
        foreach (TopicSubscription subscription in subscribe.Subscriptions)
        {
            try
            {
                TopicValidation.EnsureTopicFilter(subscription.TopicFilter, "filter");
            }
            catch (ArgumentException ex)
            {
                _checker.Report(connection.Link, ProtocolViolationKind.InvalidTopic, ex.Message);
                codes.Add(SubAckPacket.Failure);
                continue;
            }

            if (Faults.RejectedFilters.Contains(subscription.TopicFilter))
            {
                codes.Add(connection.Version == MqttProtocolVersion.V500 ? Faults.FilterRefusalCode : SubAckPacket.Failure);
                continue;
            }

            MqttQualityOfService granted = (MqttQualityOfService)Math.Min((int)subscription.QualityOfService, (int)MaximumGrantedQos);
            session.Subscriptions[subscription.TopicFilter] = granted;
            codes.Add((byte)granted);
        }

        Send(connection, new SubAckPacket(subscribe.PacketId, codes));
    }

    /// <summary>Forwards to every matching session; the publisher's MQTT 5 properties go with it to MQTT 5 subscribers [MQTT-3.3.2-17].</summary>
    private void Route(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService, StateMachineMqtt.Protocol.V5.MqttProperties? properties = null)
    {
        foreach (BrokerSession session in _sessions.Values.ToList())
        {
            MqttQualityOfService? granted = null;
            foreach ((string filter, MqttQualityOfService qos) in session.Subscriptions)
            {
                if (TopicMatcher.Matches(filter, topic) && (granted is null || qos > granted))
                {
                    granted = qos;
                }
            }

            if (granted is null)
            {
                continue;
            }

            var effective = (MqttQualityOfService)Math.Min((int)granted.Value, (int)qualityOfService);
            if (effective == MqttQualityOfService.AtMostOnce)
            {
                if (session.Connection is { } online)
                {
                    Send(online, new PublishPacket(topic, payload, MqttQualityOfService.AtMostOnce, Retain: false, Dup: false, PacketId: 0, online.Version == MqttProtocolVersion.V500 ? properties : null));
                }
            }
            else
            {
                session.Pending.Enqueue(new PublishPacket(topic, payload, effective, Retain: false, Dup: false, PacketId: 0, properties));
                _routed.Add(new RoutedMessage(session.ClientId, session.Instance, topic, payload, effective));
                DeliverPending(session);
            }
        }
    }

    private void DeliverPending(BrokerSession session)
    {
        if (session.Connection is not { Accepted: true, Detached: false } connection)
        {
            return;
        }

        // [MQTT-3.3.4-9]: no more unacknowledged QoS 1 and 2 messages than the client's Receive Maximum.
        while (session.Pending.Count > 0 && session.Inflight.Count + session.Releasing.Count < connection.ReceiveMaximum)
        {
            PublishPacket message = session.Pending.Dequeue() with { PacketId = session.NextPacketId() };
            if (connection.Version != MqttProtocolVersion.V500)
            {
                message = message with { Properties = null }; // a 3.1.1 subscriber gets the message without them
            }

            session.Inflight.Add(message);
            SendToClient(connection, message);
        }
    }

    /// <summary>A QoS 1 or 2 PUBLISH to the client; the checker learns of a QoS 2 one once it is on a working link, so PUBREC may answer it there.</summary>
    private void SendToClient(BrokerConnection connection, PublishPacket publish) =>
        Send(connection, publish, publish.QualityOfService == MqttQualityOfService.ExactlyOnce ? () => _checker.OnQos2PublishDelivered(connection.Link, publish.PacketId) : null);

    private void SendPubRel(BrokerConnection connection, ushort packetId) =>
        Send(connection, new PubRelPacket(packetId), () => _checker.OnPubRelDelivered(connection.Link, packetId));

    /// <summary>
    /// Writes a packet, applying the outgoing faults; <paramref name="delivered"/> runs once it went onto a working link
    /// (at once, or when a delay fault lets it go).
    /// </summary>
    private void Send(BrokerConnection connection, MqttPacket packet, Action? delivered = null)
    {
        if (Faults.TakeDelayOutgoing(packet.Type, out TimeSpan delay))
        {
            _log.Add("broker", $"link {connection.Link.Id} -> {Describe(packet)} held back {delay.TotalMilliseconds:0.###} ms (fault)");
            _ = Task.Factory.StartNew(
                    async () =>
                    {
                        await Task.Delay(delay, _time);
                        Write(connection, packet, delivered, delayed: true);
                    },
                    CancellationToken.None,
                    TaskCreationOptions.DenyChildAttach,
                    _scheduler)
                .Unwrap()
                .ContinueWith(t => _internalErrors.Add(t.Exception!), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, _scheduler);
            return;
        }

        Write(connection, packet, delivered, delayed: false);
    }

    private void Write(BrokerConnection connection, MqttPacket packet, Action? delivered, bool delayed)
    {
        string clientId = connection.ClientId ?? UnidentifiedClient;
        packet = Aliased(connection, packet);
        // A packet held back by a delay fault is lost with the link it was meant for (it was never written).
        bool lostWithLink = delayed && (connection.Detached || connection.Link.State != LinkState.Open);
        bool dropped = lostWithLink || Faults.TakeDropOutgoing(packet.Type);
        ListFor(_sent, clientId).Add(new PacketRecord(Now(), connection.Link.Id, packet, dropped));
        string note = lostWithLink ? " (late: lost with its link)" : dropped ? " (dropped by fault)" : delayed ? " (late)" : "";
        _log.Add("broker", $"link {connection.Link.Id} -> {Describe(packet)}{note}");
        if (dropped)
        {
            return;
        }

        connection.Write(packet);
        if (Faults.TakeDuplicateOutgoing(packet.Type))
        {
            ListFor(_sent, clientId).Add(new PacketRecord(Now(), connection.Link.Id, packet));
            _log.Add("broker", $"link {connection.Link.Id} -> {Describe(packet)} (duplicated by fault)");
            connection.Write(packet);
        }

        if (!connection.Detached && connection.Link.State == LinkState.Open)
        {
            delivered?.Invoke();
        }
    }

    /// <summary>
    /// Under <see cref="BrokerFaults.UseTopicAliases"/>, a PUBLISH to an MQTT 5 client that takes aliases: the first to a
    /// topic sets an alias, later ones send only the alias and an empty topic [MQTT-3.3.2.3.4].
    /// </summary>
    private PublishPacket AliasedPublish(BrokerConnection connection, PublishPacket publish)
    {
        StateMachineMqtt.Protocol.V5.MqttProperties properties = publish.Properties?.Copy() ?? new();

        if (Faults.NextAliasOutOfRange)
        {
            Faults.NextAliasOutOfRange = false;
            properties.TopicAlias = (ushort)(connection.TopicAliasMaximum + 1);
            return publish with { Properties = properties };
        }

        if (connection.TopicAliases.TryGetValue(publish.Topic, out ushort alias))
        {
            properties.TopicAlias = alias;
            return publish with { Topic = "", Properties = properties };
        }

        if (connection.TopicAliases.Count >= connection.TopicAliasMaximum)
        {
            return publish;
        }

        properties.TopicAlias = (ushort)(connection.TopicAliases.Count + 1);
        connection.TopicAliases[publish.Topic] = properties.TopicAlias.Value;
        return publish with { Properties = properties };
    }

    private MqttPacket Aliased(BrokerConnection connection, MqttPacket packet) =>
        packet is PublishPacket publish && Faults.UseTopicAliases && connection.Version == MqttProtocolVersion.V500 && connection.TopicAliasMaximum > 0
            ? AliasedPublish(connection, publish)
            : packet;

    /// <summary>The id a CONNECT gets: its own, or for an empty one with a clean session, one assigned by the broker [MQTT-3.1.3-6].</summary>
    private static string EffectiveClientId(BrokerConnection connection, ConnectPacket connect) =>
        connect.ClientId.Length == 0 && connect.CleanSession ? $"auto-{connection.Link.Id}" : connect.ClientId;

    private static string Describe(MqttPacket packet) => packet switch
    {
        ConnectPacket c => $"CONNECT {c.ClientId} clean={c.CleanSession} keepalive={c.KeepAliveSeconds}s",
        ConnAckPacket a => $"CONNACK present={a.SessionPresent} {a.ReturnCode}",
        PublishPacket p => $"PUBLISH \"{p.Topic}\" QoS {(int)p.QualityOfService} id={p.PacketId}{(p.Dup ? " DUP" : "")} ({p.Payload.Length} bytes)",
        IHasPacketId withId => $"{packet.Type.ToString().ToUpperInvariant()} id={withId.PacketId}",
        _ => packet.Type.ToString().ToUpperInvariant(),
    };
}
