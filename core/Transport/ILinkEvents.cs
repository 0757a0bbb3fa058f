using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.Transport;

/// <summary>What a <see cref="PacketLink"/> reports to its owner. Calls come from the link's own tasks and must not block.</summary>
internal interface ILinkEvents
{
    /// <summary>
    /// A whole packet arrived on link <paramref name="generation"/>. The reader awaits the result before decoding the next:
    /// the owner bounds how many packets wait for it, so a flood is held back in the socket, not in memory.
    /// </summary>
    ValueTask PacketArrivedAsync(int generation, MqttPacket packet, CancellationToken cancellationToken);

    /// <summary>Bytes arrived on link <paramref name="generation"/> and no packet is whole yet: the link is alive.</summary>
    void PartReceived(int generation);

    /// <summary>A packet queued with a token has been written and flushed; the token is handed back.</summary>
    void Flushed(int generation, object token);

    /// <summary>The link failed: socket error, end of stream, or bytes that break the protocol.</summary>
    void Failed(int generation, Exception exception);

    /// <summary>A socket operation reported EWOULDBLOCK / EINPROGRESS: the pump retries by itself.</summary>
    void Pending(int generation);
}
