using System.Buffers.Binary;

namespace StateMachineMqtt.Protocol.Wire;

/// <summary>
/// Reads the fields of one packet's body (everything after the fixed header). Every read checks it stays inside the
/// packet and throws MqttProtocolException naming the packet and field when it would not. Binary data is copied out,
/// because the network buffer is released once the packet is decoded.
/// </summary>
internal ref struct PacketBodyReader
{
    private readonly ReadOnlySpan<byte> body;
    private readonly string packetName;
    private int position;

    /// <summary>Reads <paramref name="body"/>, naming <paramref name="packetName"/> in messages.</summary>
    public PacketBodyReader(ReadOnlySpan<byte> body, string packetName)
    {
        this.body = body;
        this.packetName = packetName;
        position = 0;
    }

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => body.Length - position;

    /// <summary>Reads one byte.</summary>
    public byte ReadByte(string field) => Take(1, field)[0];

    /// <summary>Reads a two-byte big-endian integer [MQTT-1.5.2].</summary>
    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16BigEndian(Take(2, field));

    /// <summary>Reads a four-byte big-endian integer [MQTT-1.5.3].</summary>
    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32BigEndian(Take(4, field));

    /// <summary>
    /// Reads a Variable Byte Integer [MQTT-1.5.5]: at most four bytes, the fourth without a continuation bit, and no more
    /// bytes than the value needs [MQTT-1.5.5-1]. Only MQTT 5 has them in a packet's body, so that rule always applies.
    /// </summary>
    public int ReadVariableByteInteger(string field)
    {
        int value = 0;
        for (int i = 0; i < RemainingLength.MaximumByteCount; i++)
        {
            byte digit = Take(1, field)[0];
            value |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0)
            {
                if (digit == 0 && i > 0)
                {
                    throw RemainingLength.NotMinimal($"{packetName} {field}", value, i + 1);
                }

                return value;
            }
        }

        throw new MqttProtocolException($"{packetName} {field} is a Variable Byte Integer longer than four bytes [MQTT-1.5.5]: the packet is malformed.");
    }

    /// <summary>Reads <paramref name="count"/> raw bytes, in place.</summary>
    public ReadOnlySpan<byte> ReadSpan(int count, string field) => Take(count, field);

    /// <summary>Reads a packet identifier, which must not be 0 [MQTT-2.3.1-1].</summary>
    public ushort ReadPacketId()
    {
        ushort id = ReadUInt16("packet identifier");
        if (id == 0)
        {
            throw new MqttProtocolException($"{packetName} has packet identifier 0; identifiers must be non-zero [MQTT-2.3.1-1].");
        }

        return id;
    }

    /// <summary>Reads a length-prefixed UTF-8 string and checks it [MQTT-1.5.3].</summary>
    public string ReadString(string field)
    {
        int length = ReadUInt16(field + " length");
        return MqttStrings.Decode(Take(length, field), $"{packetName} {field}");
    }

    /// <summary>Reads and copies length-prefixed binary data.</summary>
    public ReadOnlyMemory<byte> ReadBinary(string field)
    {
        int length = ReadUInt16(field + " length");
        return Copy(Take(length, field));
    }

    /// <summary>Reads the raw bytes of a length-prefixed field without decoding them.</summary>
    public ReadOnlySpan<byte> ReadBinarySpan(string field)
    {
        int length = ReadUInt16(field + " length");
        return Take(length, field);
    }

    /// <summary>Copies out everything not read yet (a PUBLISH payload).</summary>
    public ReadOnlyMemory<byte> ReadRest() => Copy(Take(Remaining, "payload"));

    /// <summary>Throws unless the whole body has been read.</summary>
    public readonly void EnsureEnd()
    {
        if (Remaining != 0)
        {
            throw new MqttProtocolException($"{packetName} has {Remaining} unexpected byte(s) after its last field: its Remaining Length does not match its content.");
        }
    }

    private static ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? ReadOnlyMemory<byte>.Empty : bytes.ToArray();

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count > Remaining)
        {
            throw new MqttProtocolException($"{packetName} {field} needs {count} byte(s) but only {Remaining} remain in the packet: a length overruns the Remaining Length.");
        }

        ReadOnlySpan<byte> taken = body.Slice(position, count);
        position += count;
        return taken;
    }
}
