using System.Buffers;
using System.Buffers.Binary;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.TestKit.Proxy;

/// <summary>
/// One whole MQTT control packet as raw bytes, cut out of a stream by its fixed header and remaining length
/// [MQTT-2.2]. The proxy looks no deeper than it must: the type, a PUBLISH's QoS and the packet identifier.
/// </summary>
public sealed class MqttFrame
{
    private MqttFrame(byte[] bytes, int headerLength)
    {
        Bytes = bytes;
        HeaderLength = headerLength;
    }

    /// <summary>The packet as it came off the wire.</summary>
    public byte[] Bytes { get; }

    /// <summary>Length of the fixed header (1 type byte plus 1–4 remaining-length bytes).</summary>
    public int HeaderLength { get; }

    /// <summary>Packet type (high nibble of the first byte). Type 0 and 15 are reserved and never produced.</summary>
    internal MqttPacketType Type => (MqttPacketType)(Bytes[0] >> 4);

    /// <summary>QoS of a PUBLISH (bits 1–2 of the first byte); 0 for other packets.</summary>
    public int PublishQos => Type == MqttPacketType.Publish ? (Bytes[0] >> 1) & 3 : 0;

    /// <summary>DUP flag of a PUBLISH.</summary>
    public bool Dup => Type == MqttPacketType.Publish && (Bytes[0] & 0x08) != 0;

    /// <summary>The packet identifier, for packets that carry one (PUBLISH with QoS &gt; 0, the acks, (UN)SUBSCRIBE).</summary>
    public ushort? PacketIdentifier
    {
        get
        {
            ReadOnlySpan<byte> body = Bytes.AsSpan(HeaderLength);
            switch (Type)
            {
                case MqttPacketType.Publish when PublishQos > 0 && body.Length >= 2:
                    int topicLength = BinaryPrimitives.ReadUInt16BigEndian(body);
                    return body.Length >= 4 + topicLength ? BinaryPrimitives.ReadUInt16BigEndian(body[(2 + topicLength)..]) : null;
                case MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp
                    or MqttPacketType.Subscribe or MqttPacketType.SubAck or MqttPacketType.Unsubscribe or MqttPacketType.UnsubAck
                    when body.Length >= 2:
                    return BinaryPrimitives.ReadUInt16BigEndian(body);
                default:
                    return null;
            }
        }
    }

    /// <summary>A PUBLISH's topic name (MQTT 3.1.1 layout); null for other packets or a truncated one.</summary>
    public string? PublishTopic =>
        TryPublishParts(out int topicStart, out int topicLength, out _) ? System.Text.Encoding.UTF8.GetString(Bytes, topicStart, topicLength) : null;

    /// <summary>A PUBLISH's application payload (MQTT 3.1.1 layout: no properties); empty for other packets.</summary>
    public ReadOnlyMemory<byte> PublishPayload =>
        TryPublishParts(out _, out _, out int payloadStart) ? Bytes.AsMemory(payloadStart) : ReadOnlyMemory<byte>.Empty;

    /// <summary>The result of <see cref="TryRead"/>.</summary>
    public enum ReadStatus
    {
        /// <summary>A whole frame was taken off the front of the buffer.</summary>
        Complete,
        /// <summary>More bytes are needed.</summary>
        Incomplete,
        /// <summary>Not MQTT: a reserved type, a remaining length over 4 bytes, or a packet over the size limit.</summary>
        Malformed,
    }

    /// <summary>Takes one frame off the front of <paramref name="buffer"/> when it holds a whole one.</summary>
    public static ReadStatus TryRead(ref ReadOnlySequence<byte> buffer, int maximumSize, out MqttFrame? frame)
    {
        frame = null;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out byte first))
        {
            return ReadStatus.Incomplete;
        }

        int type = first >> 4;
        if (type is 0 or 15)
        {
            return ReadStatus.Malformed;
        }

        int remaining = 0;
        for (int i = 0; ; i++)
        {
            if (i == 4)
            {
                return ReadStatus.Malformed; // [MQTT-2.2.3]: at most four length bytes
            }

            if (!reader.TryRead(out byte b))
            {
                return ReadStatus.Incomplete;
            }

            remaining |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        int headerLength = (int)reader.Consumed;
        long total = headerLength + (long)remaining;
        if (total > maximumSize)
        {
            return ReadStatus.Malformed;
        }

        if (buffer.Length < total)
        {
            return ReadStatus.Incomplete;
        }

        var whole = buffer.Slice(0, total);
        frame = new MqttFrame(whole.ToArray(), headerLength);
        buffer = buffer.Slice(whole.End);
        return ReadStatus.Complete;
    }

    private bool TryPublishParts(out int topicStart, out int topicLength, out int payloadStart)
    {
        topicStart = HeaderLength + 2;
        topicLength = 0;
        payloadStart = 0;
        if (Type != MqttPacketType.Publish || Bytes.Length < topicStart)
        {
            return false;
        }

        topicLength = BinaryPrimitives.ReadUInt16BigEndian(Bytes.AsSpan(HeaderLength));
        payloadStart = topicStart + topicLength + (PublishQos > 0 ? 2 : 0);
        return payloadStart <= Bytes.Length;
    }
}
