using System.Collections.Concurrent;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.TestKit.Proxy;

namespace StateMachineMqtt.TestKit.Soak;

/// <summary>
/// Watches the packets crossing the two proxies of a soak run and tells the ledger what only the wire shows: which
/// messages the broker PUBACKed to the publisher, and which the subscriber client PUBACKed to the broker. PUBLISHes are
/// mapped to their packet identifiers per connection before they are written, so the answering PUBACK always finds them.
/// </summary>
public sealed class ProxyTap
{
    private readonly DeliveryLedger _ledger;
    private readonly SoakPayload _payload;
    private readonly ConcurrentDictionary<(int Connection, ushort PacketId), int> _publisherSent = new();
    private readonly ConcurrentDictionary<(int Connection, ushort PacketId), int> _subscriberGot = new();
    private readonly ConcurrentDictionary<int, int> _brokerLifeOfConnection = new();

    private ProxyTap(DeliveryLedger ledger, SoakPayload payload)
    {
        _ledger = ledger;
        _payload = payload;
    }

    /// <summary>Attaches to the publisher's and the subscriber's proxies.</summary>
    public static ProxyTap Attach(FaultProxy publisherProxy, FaultProxy subscriberProxy, DeliveryLedger ledger, SoakPayload payload)
    {
        ArgumentNullException.ThrowIfNull(publisherProxy);
        ArgumentNullException.ThrowIfNull(subscriberProxy);
        var tap = new ProxyTap(ledger, payload);
        // A connection is joined only to a live broker, so its life is the one at opening, even for a PUBACK read after a kill.
        publisherProxy.ConnectionOpened += c => tap._brokerLifeOfConnection[c.Id] = ledger.BrokerKills;
        publisherProxy.ConnectionClosed += c => tap._brokerLifeOfConnection.TryRemove(c.Id, out _);
        publisherProxy.PacketForwarding += tap.OnPublisherForwarding;
        publisherProxy.PacketForwarded += tap.OnPublisherPacket;
        publisherProxy.PacketDropped += tap.OnPublisherPacket;
        subscriberProxy.PacketForwarding += tap.OnSubscriberForwarding;
        subscriberProxy.PacketForwarded += tap.OnSubscriberPacket;
        subscriberProxy.PacketDropped += tap.OnSubscriberPacket;
        return tap;
    }

    private void OnPublisherForwarding(ProxyConnection connection, ProxyDirection direction, MqttFrame frame) =>
        Map(_publisherSent, ProxyDirection.ClientToBroker, connection, direction, frame);

    private void OnSubscriberForwarding(ProxyConnection connection, ProxyDirection direction, MqttFrame frame) =>
        Map(_subscriberGot, ProxyDirection.BrokerToClient, connection, direction, frame);

    // A PUBACK the broker sent counts whether the proxy passed it on or swallowed it (cut, half-open link).
    private void OnPublisherPacket(ProxyConnection connection, ProxyDirection direction, MqttFrame frame)
    {
        if (direction == ProxyDirection.BrokerToClient && Acked(_publisherSent, connection, frame) is { } sequence)
        {
            _ledger.BrokerAcknowledged(sequence, _brokerLifeOfConnection.GetValueOrDefault(connection.Id, _ledger.BrokerKills));
        }
    }

    private void OnSubscriberPacket(ProxyConnection connection, ProxyDirection direction, MqttFrame frame)
    {
        if (direction == ProxyDirection.ClientToBroker && Acked(_subscriberGot, connection, frame) is { } sequence)
        {
            _ledger.SubscriberAcknowledged(sequence);
        }
    }

    private void Map(ConcurrentDictionary<(int, ushort), int> map, ProxyDirection publishDirection, ProxyConnection connection, ProxyDirection direction, MqttFrame frame)
    {
        if (direction == publishDirection && frame.Type == MqttPacketType.Publish && frame.PacketIdentifier is { } id
            && _payload.TryParse(frame.PublishPayload.Span, out int sequence))
        {
            map[(connection.Id, id)] = sequence;
        }
    }

    private static int? Acked(ConcurrentDictionary<(int, ushort), int> map, ProxyConnection connection, MqttFrame frame) =>
        frame.Type == MqttPacketType.PubAck && frame.PacketIdentifier is { } id && map.TryRemove((connection.Id, id), out int sequence)
            ? sequence
            : null;
}
