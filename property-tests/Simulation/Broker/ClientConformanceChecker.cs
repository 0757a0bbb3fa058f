using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;
using StateMachineMqtt.PropertyTests.Simulation.Network;

namespace StateMachineMqtt.PropertyTests.Simulation.Broker;

/// <summary>
/// Judges what clients send, packet by packet, as tapped at the client's end of each link (so network loss cannot hide a
/// send). Checks I3 (nothing but CONNECT before an accepted CONNACK; one CONNECT per link; nothing at all after DISCONNECT
/// [MQTT-3.14.4-2]) and I4 (DUP on every re-send of a PUBLISH, never on its first send; at QoS 2, no PUBLISH again once its
/// PUBREL was sent [MQTT-4.3.3-1]; under MQTT 5, no PUBLISH or PUBREL sent twice on one link [MQTT-4.4.0-1]), plus packet-id
/// and packet-type basics.
/// </summary>
/// <remarks>
/// "First send" is judged per client id over its whole history, clean sessions included: the client keeps an accepted
/// message across a clean reconnect (I1) and re-sends it with DUP, as the re-send it is [MQTT-3.3.1-1]. A DUP PUBLISH
/// whose packet id that client never sent is a violation. A reused id sent for a new message with DUP set is not detected.
/// An identifier is free for a new message once its PUBACK (QoS 1) or PUBCOMP (QoS 2) went onto a working link; from the
/// client's PUBREL until then, a PUBLISH with it is a violation. "Went onto" means written: an answer written and then lost
/// with a reset frees the identifier early, which can hide a violation but never reports a false one.
/// </remarks>
internal sealed class ClientConformanceChecker : IClientPacketObserver
{
    private readonly Dictionary<int, LinkView> _links = [];
    private readonly Dictionary<string, PublishIds> _clients = new(StringComparer.Ordinal);
    private readonly List<ProtocolViolation> _violations = [];
    private readonly Dictionary<string, List<MqttPacket>> _written = new(StringComparer.Ordinal);
    private readonly Func<TimeSpan> _now;
    private readonly SimulationLog _log;

    internal ClientConformanceChecker(Func<TimeSpan> now, SimulationLog log)
    {
        _now = now;
        _log = log;
    }

    internal IReadOnlyList<ProtocolViolation> Violations => _violations;

    /// <summary>Every packet a client wrote after its CONNECT, in order, as tapped at its end (so before any loss on the way).</summary>
    internal IReadOnlyList<MqttPacket> WrittenBy(string clientId) => _written.TryGetValue(clientId, out List<MqttPacket>? list) ? list : [];

    public void OnClientPacket(SimulatedLink link, MqttPacket packet, MqttProtocolVersion version)
    {
        LinkView view = View(link);
        view.Version = version;
        if (view.DisconnectSent)
        {
            Report(view, ProtocolViolationKind.PacketAfterDisconnect, $"{packet.Type} sent after DISCONNECT on the same link [MQTT-3.14.4-2]");
            return;
        }

        if (packet is DisconnectPacket)
        {
            view.DisconnectSent = true;
        }

        if (packet is ConnectPacket connect)
        {
            if (view.ConnectSent)
            {
                Report(view, ProtocolViolationKind.SecondConnect, "a second CONNECT on the same link [MQTT-3.1.0-2]");
                return;
            }

            view.ConnectSent = true;
            view.ClientId = connect.ClientId;
            view.AuthenticationMethod = connect.Properties?.AuthenticationMethod;
            return;
        }

        if (view.ClientId is { } writer)
        {
            if (!_written.TryGetValue(writer, out List<MqttPacket>? list))
            {
                list = [];
                _written[writer] = list;
            }

            list.Add(packet);
        }

        if (packet is AuthPacket auth && (view.AuthenticationMethod is null || auth.Properties?.AuthenticationMethod != view.AuthenticationMethod))
        {
            Report(view, ProtocolViolationKind.UnexpectedPacket, $"AUTH from a client whose CONNECT named {(view.AuthenticationMethod is null ? "no Authentication Method [MQTT-4.12.0-7]" : $"method '{view.AuthenticationMethod}', naming '{auth.Properties?.AuthenticationMethod}' [MQTT-4.12.0-5]")}");
        }

        if (!view.ConnectSent)
        {
            Report(view, ProtocolViolationKind.PacketBeforeConnect, $"{packet.Type} sent before CONNECT");
        }
        else if (!view.ConnAckDelivered && packet is AuthPacket { ReasonCode: 0x18 })
        {
            // [MQTT-4.12.0-3]: the answer to a challenge comes before CONNACK; only the broker's challenge asks for it.
            if (view.ChallengesDelivered <= view.AnswersSent++)
            {
                Report(view, ProtocolViolationKind.PacketBeforeConnAck, "AUTH 0x18 before CONNACK answering no challenge");
            }
        }
        else if (!view.ConnAckDelivered)
        {
            Report(view, ProtocolViolationKind.PacketBeforeConnAck, $"{packet.Type} sent before an accepted CONNACK reached the client");
        }

        switch (packet)
        {
            case PublishPacket publish:
                CheckPublish(view, publish);
                break;
            case SubscribePacket or UnsubscribePacket or PubAckPacket or PubRelPacket or PubRecPacket or PubCompPacket when ((IHasPacketId)packet).PacketId == 0:
                Report(view, ProtocolViolationKind.ZeroPacketId, $"{packet.Type} with packet identifier 0 [MQTT-2.3.1-1]");
                break;
            case PubRelPacket release:
                CheckPubRel(view, release);
                break;
            case ConnAckPacket or SubAckPacket or UnsubAckPacket or PingRespPacket:
                Report(view, ProtocolViolationKind.UnexpectedPacket, $"{packet.Type} is sent only by servers");
                break;
            case PubRecPacket received when !view.Qos2PublishesHere.Contains(received.PacketId):
                Report(view, ProtocolViolationKind.UnansweredAcknowledgement, $"PUBREC id {received.PacketId}, but no QoS 2 PUBLISH with that id reached the client on this link [MQTT-4.4.0-1]");
                break;
            case PubCompPacket completed when !view.PubRelsHere.Contains(completed.PacketId):
                Report(view, ProtocolViolationKind.UnansweredAcknowledgement, $"PUBCOMP id {completed.PacketId}, but no PUBREL with that id reached the client on this link [MQTT-4.4.0-1]");
                break;
        }
    }

    public void OnClientMalformed(SimulatedLink link, MqttProtocolException error)
    {
        Report(View(link), ProtocolViolationKind.MalformedPacket, error.Message);
    }

    /// <summary>The broker wrote a QoS 2 PUBLISH to the client onto a working link: the client may answer it there with PUBREC.</summary>
    internal void OnQos2PublishDelivered(SimulatedLink link, ushort packetId) => View(link).Qos2PublishesHere.Add(packetId);

    /// <summary>The broker wrote a PUBREL to the client onto a working link: the client may answer it there with PUBCOMP.</summary>
    internal void OnPubRelDelivered(SimulatedLink link, ushort packetId) => View(link).PubRelsHere.Add(packetId);

    /// <summary>The broker wrote an accepted CONNACK onto a working link: the client may now send anything.</summary>
    internal void OnAcceptedConnAckDelivered(SimulatedLink link) => View(link).ConnAckDelivered = true;

    /// <summary>The broker wrote an AUTH 0x18 challenge before CONNACK onto a working link: the client may answer it.</summary>
    internal void OnChallengeDelivered(SimulatedLink link) => View(link).ChallengesDelivered++;

    /// <summary>The broker wrote a PUBACK onto a working link: the client may reuse the id for a new message.</summary>
    internal void OnPubAckDelivered(string clientId, ushort packetId)
    {
        if (_clients.TryGetValue(clientId, out PublishIds? ids))
        {
            ids.Outstanding.Remove(packetId);
        }

        ForgetSentHere(clientId, packetId);
    }

    /// <summary>The broker wrote a PUBREC onto a working link: the client may now send PUBREL for the id.</summary>
    internal void OnPubRecDelivered(string clientId, ushort packetId) => Ids(clientId).EverReceived.Add(packetId);

    /// <summary>The broker wrote a PUBCOMP onto a working link: the QoS 2 flow is over, the client may reuse the id.</summary>
    internal void OnPubCompDelivered(string clientId, ushort packetId)
    {
        if (_clients.TryGetValue(clientId, out PublishIds? ids))
        {
            ids.Outstanding.Remove(packetId);
            ids.Released.Remove(packetId);
        }

        ForgetSentHere(clientId, packetId);
    }

    /// <summary>The flow of <paramref name="packetId"/> ended: the identifier may start a new one on the same link.</summary>
    private void ForgetSentHere(string clientId, ushort packetId)
    {
        foreach (LinkView view in _links.Values)
        {
            if (view.ClientId == clientId)
            {
                view.SentHere.Remove((MqttPacketType.Publish, packetId));
                view.SentHere.Remove((MqttPacketType.PubRel, packetId));
            }
        }
    }

    /// <summary>Records a violation the broker found while processing (e.g. an invalid topic).</summary>
    internal void Report(SimulatedLink link, ProtocolViolationKind kind, string detail) => Report(View(link), kind, detail);

    private void CheckPublish(LinkView view, PublishPacket publish)
    {
        switch (publish.QualityOfService)
        {
            case MqttQualityOfService.AtMostOnce:
                if (publish.Dup)
                {
                    Report(view, ProtocolViolationKind.DupOnQos0, $"QoS 0 PUBLISH to \"{publish.Topic}\" with DUP set [MQTT-3.3.1-2]");
                }

                return;
        }

        if (publish.PacketId == 0)
        {
            Report(view, ProtocolViolationKind.ZeroPacketId, $"QoS {(int)publish.QualityOfService} PUBLISH to \"{publish.Topic}\" with packet identifier 0 [MQTT-2.3.1-1]");
            return;
        }

        if (view.ClientId is null)
        {
            return;
        }

        PublishIds ids = Ids(view.ClientId);
        if (ids.Released.Contains(publish.PacketId))
        {
            Report(view, ProtocolViolationKind.PublishAfterPubRel, $"PUBLISH id {publish.PacketId} to \"{publish.Topic}\" sent after its PUBREL, before PUBCOMP: the broker has released the id and would take it as a new message [MQTT-4.3.3-1]");
        }
        else if (publish.Dup && !ids.EverSent.Contains(publish.PacketId))
        {
            Report(view, ProtocolViolationKind.DupOnFirstSend, $"PUBLISH id {publish.PacketId} to \"{publish.Topic}\" has DUP set but was never sent before");
        }
        else if (!publish.Dup && ids.Outstanding.Contains(publish.PacketId))
        {
            Report(view, ProtocolViolationKind.ResendWithoutDup, $"PUBLISH id {publish.PacketId} to \"{publish.Topic}\" re-sent (still unacknowledged) without DUP");
        }

        if (view.Version == MqttProtocolVersion.V500 && !view.SentHere.Add((MqttPacketType.Publish, publish.PacketId)))
        {
            Report(view, ProtocolViolationKind.ResendOnSameLink, $"PUBLISH id {publish.PacketId} to \"{publish.Topic}\" sent again on the same link: MQTT 5 re-sends only on a new connection [MQTT-4.4.0-1]");
        }

        ids.EverSent.Add(publish.PacketId);
        ids.Outstanding.Add(publish.PacketId);
    }

    private void CheckPubRel(LinkView view, PubRelPacket release)
    {
        if (view.ClientId is null)
        {
            return;
        }

        PublishIds ids = Ids(view.ClientId);
        if (!ids.EverReceived.Contains(release.PacketId))
        {
            Report(view, ProtocolViolationKind.PubRelWithoutPubRec, $"PUBREL id {release.PacketId}, but no PUBREC with that id ever reached this client [MQTT-4.3.3-1]");
        }

        if (view.Version == MqttProtocolVersion.V500 && !view.SentHere.Add((MqttPacketType.PubRel, release.PacketId)))
        {
            Report(view, ProtocolViolationKind.ResendOnSameLink, $"PUBREL id {release.PacketId} sent again on the same link: MQTT 5 re-sends only on a new connection [MQTT-4.4.0-1]");
        }

        ids.Released.Add(release.PacketId);
    }

    private PublishIds Ids(string clientId)
    {
        if (!_clients.TryGetValue(clientId, out PublishIds? ids))
        {
            ids = new PublishIds();
            _clients[clientId] = ids;
        }

        return ids;
    }

    private void Report(LinkView view, ProtocolViolationKind kind, string detail)
    {
        var violation = new ProtocolViolation(_now(), view.ClientId, view.LinkId, kind, detail);
        _violations.Add(violation);
        _log.Add("broker", $"VIOLATION {violation}");
    }

    private LinkView View(SimulatedLink link)
    {
        if (!_links.TryGetValue(link.Id, out LinkView? view))
        {
            view = new LinkView(link.Id);
            _links[link.Id] = view;
        }

        return view;
    }

    private sealed class LinkView(int linkId)
    {
        public int LinkId { get; } = linkId;

        public string? ClientId { get; set; }

        public bool ConnectSent { get; set; }

        public bool ConnAckDelivered { get; set; }

        public bool DisconnectSent { get; set; }

        /// <summary>MQTT 5: the Authentication Method the link's CONNECT named, or null.</summary>
        public string? AuthenticationMethod { get; set; }

        /// <summary>AUTH 0x18 challenges the broker delivered on this link before CONNACK, and the client's answers to them.</summary>
        public int ChallengesDelivered { get; set; }

        public int AnswersSent { get; set; }

        public MqttProtocolVersion Version { get; set; }

        /// <summary>PUBLISH and PUBREL identifiers sent on this link and not yet answered: MQTT 5 may not send them again here.</summary>
        public HashSet<(MqttPacketType, ushort)> SentHere { get; } = [];

        /// <summary>Identifiers of QoS 2 PUBLISHes the broker delivered to the client on this link: PUBREC may answer them here.</summary>
        public HashSet<ushort> Qos2PublishesHere { get; } = [];

        /// <summary>Identifiers of PUBRELs the broker delivered to the client on this link: PUBCOMP may answer them here.</summary>
        public HashSet<ushort> PubRelsHere { get; } = [];
    }

    private sealed class PublishIds
    {
        public HashSet<ushort> EverSent { get; } = [];

        public HashSet<ushort> Outstanding { get; } = [];

        /// <summary>Identifiers a PUBREC was ever delivered for.</summary>
        public HashSet<ushort> EverReceived { get; } = [];

        /// <summary>Identifiers the client sent PUBREL for and whose PUBCOMP has not yet gone onto a working link.</summary>
        public HashSet<ushort> Released { get; } = [];
    }
}
