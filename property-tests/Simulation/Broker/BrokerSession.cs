using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Simulation.Broker;

/// <summary>
/// The broker's state for one client id: subscriptions, QoS 1 and 2 messages to the client, and the packet identifiers of
/// QoS 2 messages received from it and not yet released.
/// </summary>
internal sealed class BrokerSession
{
    private ushort _lastPacketId;

    internal BrokerSession(string clientId, bool cleanSession, int instance)
    {
        ClientId = clientId;
        CleanSession = cleanSession;
        Instance = instance;
    }

    internal string ClientId { get; }

    /// <summary>Which session this is, counted over the broker's life (1, 2, ...): a new one for every session started.</summary>
    internal int Instance { get; }

    /// <summary>Clean sessions end with their link; persistent ones outlive it.</summary>
    internal bool CleanSession { get; set; }

    /// <summary>The link currently attached, or null while the client is offline.</summary>
    internal BrokerConnection? Connection { get; set; }

    /// <summary>Topic filter to granted QoS, in the order subscribed.</summary>
    internal Dictionary<string, MqttQualityOfService> Subscriptions { get; } = new(StringComparer.Ordinal);

    /// <summary>QoS 1 and 2 messages for the client not yet sent (queued while offline).</summary>
    internal Queue<PublishPacket> Pending { get; } = new();

    /// <summary>QoS 1 and 2 messages sent to the client and not yet acknowledged (PUBACK, PUBREC), in send order; re-sent with DUP on reconnect.</summary>
    internal List<PublishPacket> Inflight { get; } = [];

    /// <summary>Identifiers of QoS 2 messages to the client whose PUBREC came and PUBREL went, awaiting PUBCOMP; PUBREL is re-sent on reconnect.</summary>
    internal List<ushort> Releasing { get; } = [];

    /// <summary>
    /// Identifiers of QoS 2 PUBLISHes from the client that were stored and forwarded, answered with PUBREC, and not yet
    /// released by PUBREL [MQTT-4.3.3-2, method B]: a PUBLISH with one of them is the same message again.
    /// </summary>
    internal HashSet<ushort> Qos2Held { get; } = [];

    internal ushort NextPacketId()
    {
        // Skip 0 and identifiers still in flight [MQTT-2.3.1-1, 2.3.1-2].
        do
        {
            _lastPacketId = _lastPacketId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastPacketId + 1);
        }
        while (Inflight.Exists(p => p.PacketId == _lastPacketId) || Releasing.Contains(_lastPacketId));

        return _lastPacketId;
    }
}
