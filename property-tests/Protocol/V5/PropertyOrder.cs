using System.Text;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// Puts the properties of an encoded MQTT 5 packet's section (each of CONNECT's two) in identifier order, keeping repeats in
/// their own order and every other byte (the section's length field included) as it was, and drops an empty section the
/// packet may leave out.
/// MQTT 5 leaves both free, so two codecs may differ there and nowhere else; comparing packets after this is byte for byte
/// in all but those two freedoms.
/// </summary>
internal static class PropertyOrder
{
    /// <summary>The bytes of <paramref name="packet"/>'s encoding <paramref name="bytes"/>, its section sorted; as given when it has none or it does not parse.</summary>
    public static string Canonical(MqttPacket packet, byte[] bytes)
    {
        int header = 1;
        while (header < bytes.Length && (bytes[header] & 0x80) != 0)
        {
            header++;
        }

        header++;
        if (packet is ConnectPacket)
        {
            return Convert.ToHexString(ConnectSorted(bytes, header));
        }

        int remaining = bytes.Length - header;
        int? offset = packet switch
        {
            ConnAckPacket => 2,
            PublishPacket p => 2 + Encoding.UTF8.GetByteCount(p.Topic) + (p.QualityOfService == MqttQualityOfService.AtMostOnce ? 0 : 2),
            PubAckPacket or PubRecPacket or PubRelPacket or PubCompPacket => remaining > 3 ? 3 : null,
            SubscribePacket or SubAckPacket or UnsubscribePacket or UnsubAckPacket => 2,
            DisconnectPacket or AuthPacket => remaining > 1 ? 1 : null,
            _ => null,
        };
        if (offset is { } emptyAt && packet is not (ConnAckPacket or PublishPacket or SubscribePacket or SubAckPacket or UnsubscribePacket or UnsubAckPacket) && remaining == emptyAt + 1 && bytes[^1] == 0 && header == 2)
        {
            // An empty section last in an acknowledgement, DISCONNECT or AUTH may be left out [MQTT-3.4.2.2.1], [MQTT-3.14.2.2.1]:
            // the same packet, so it is compared without it.
            return Convert.ToHexString([bytes[0], (byte)(bytes[1] - 1), .. bytes[2..^1]]);
        }

        return Convert.ToHexString(offset is { } at ? Sorted(bytes, header + at) : bytes);
    }

    /// <summary>
    /// CONNECT has two sections, neither of which may be left out: its own after the keep alive (10 bytes into the variable
    /// header), and, with the Will Flag, the will's after the client identifier [MQTT-3.1.3-1]; each is sorted.
    /// </summary>
    private static byte[] ConnectSorted(byte[] bytes, int header)
    {
        int at = header + 10;
        if (bytes.Length <= at)
        {
            return bytes;
        }

        bool will = (bytes[header + 7] & 0x04) != 0;
        bytes = Sorted(bytes, at);
        try
        {
            int length = 0, shift = 0;
            while ((bytes[at] & 0x80) != 0)
            {
                length |= (bytes[at++] & 0x7F) << shift;
                shift += 7;
            }

            length |= bytes[at++] << shift;
            at += length;
            at += 2 + ((bytes[at] << 8) | bytes[at + 1]); // the client identifier
            return will ? Sorted(bytes, at) : bytes;
        }
        catch (IndexOutOfRangeException)
        {
            return bytes; // not a CONNECT this can read: compared as it is, so any difference still shows
        }
    }

    private static byte[] Sorted(byte[] bytes, int at)
    {
        try
        {
            int length = 0, lengthBytes = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = bytes[at + lengthBytes++];
                length |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    break;
                }
            }

            int start = at + lengthBytes, position = start, end = start + length;
            var entries = new List<(int Id, byte[] Bytes)>();
            while (position < end)
            {
                int from = position;
                PropertyRow row = PropertyTable.Find(HostileV5Packets.Rows, bytes[position++])!;
                int Two(int i) => (bytes[i] << 8) | bytes[i + 1];
                position += row.Type switch
                {
                    PropertyType.Byte => 1,
                    PropertyType.TwoByteInteger => 2,
                    PropertyType.FourByteInteger => 4,
                    PropertyType.VariableByteInteger => bytes.AsSpan(position).IndexOfAnyInRange((byte)0, (byte)0x7F) + 1,
                    PropertyType.Utf8StringPair => 4 + Two(position) + Two(position + 2 + Two(position)),
                    _ => 2 + Two(position),
                };
                entries.Add(((int)row.Id, bytes[from..position]));
            }

            if (position != end)
            {
                return bytes;
            }

            // OrderBy is stable: repeated properties (User Properties, Subscription Identifiers) keep their order.
            return [.. bytes[..start], .. entries.OrderBy(e => e.Id).SelectMany(e => e.Bytes), .. bytes[end..]];
        }
        catch (Exception e) when (e is IndexOutOfRangeException or NullReferenceException or ArgumentOutOfRangeException)
        {
            return bytes; // not a section this can read: compared as it is, so any difference still shows
        }
    }
}
