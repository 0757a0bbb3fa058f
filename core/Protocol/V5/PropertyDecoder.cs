using System.Globalization;
using StateMachineMqtt.Protocol.Wire;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Protocol.V5;

/// <summary>
/// Decodes an MQTT 5 property set and holds it to spec/'s PropertyTable for the packet it came in. Anything the table
/// forbids — an unknown identifier, a property that packet may not carry, a second copy of one that may not repeat, a value
/// out of range, a length that overruns — is a protocol error (MqttProtocolException): the link closes [MQTT-4.13].
/// </summary>
internal static class PropertyDecoder
{
    private static readonly PropertyRow[] Rows = PropertyTable.CreateRows();

    /// <summary>Reads the property section at <paramref name="reader"/>'s position: its length, then that many bytes of properties.</summary>
    public static MqttProperties Read(ref PacketBodyReader reader, PropertyContext context, string packetName)
    {
        int length = reader.ReadVariableByteInteger("property length");
        var properties = new MqttProperties();
        if (length == 0)
        {
            return properties;
        }

        var inner = new PacketBodyReader(reader.ReadSpan(length, "properties"), packetName + " properties");
        var counts = new int[64];
        while (inner.Remaining > 0)
        {
            int id = inner.ReadVariableByteInteger("property identifier");
            PropertyRow? row = PropertyTable.Find(Rows, id);
            if (row is null)
            {
                throw new MqttProtocolException(string.Create(CultureInfo.InvariantCulture, $"{packetName} carries property identifier 0x{id:X2}, which MQTT 5 does not define [MQTT-2.2.2.2]: the packet is malformed."));
            }

            if ((row.AllowedIn & context) == 0)
            {
                throw new MqttProtocolException($"{packetName} carries the {row.Id} property, which it may not [MQTT-2.2.2.2]: a protocol error.");
            }

            if (++counts[id] > 1 && (row.RepeatableIn & context) == 0)
            {
                throw new MqttProtocolException($"{packetName} carries the {row.Id} property more than once, which is a protocol error [MQTT-2.2.2.2].");
            }

            properties.Add(row.Id, ReadValue(ref inner, row, packetName));
        }

        if (properties.AuthenticationData is not null && properties.AuthenticationMethod is null)
        {
            throw new MqttProtocolException($"{packetName} carries Authentication Data but no Authentication Method: a protocol error ({AuthenticationRules.Section(context)}).");
        }

        return properties;
    }

    private static object ReadValue(ref PacketBodyReader reader, PropertyRow row, string packetName)
    {
        string field = row.Id.ToString();
        switch (row.Type)
        {
            case PropertyType.Byte: return (byte)InRange(reader.ReadByte(field), row, packetName);
            case PropertyType.TwoByteInteger: return (ushort)InRange(reader.ReadUInt16(field), row, packetName);
            case PropertyType.FourByteInteger: return (uint)InRange(reader.ReadUInt32(field), row, packetName);
            case PropertyType.VariableByteInteger: return (uint)InRange(reader.ReadVariableByteInteger(field), row, packetName);
            case PropertyType.Utf8String: return reader.ReadString(field);
            case PropertyType.Utf8StringPair: return new MqttUserProperty(reader.ReadString(field + " name"), reader.ReadString(field + " value"));
            default: return reader.ReadBinary(field);
        }
    }

    private static long InRange(long value, PropertyRow row, string packetName)
    {
        if (value < row.Minimum || value > row.Maximum)
        {
            throw new MqttProtocolException(string.Create(CultureInfo.InvariantCulture, $"{packetName} {row.Id} is {value}, outside {row.Minimum} to {row.Maximum} ({row.Rule}): a protocol error."));
        }

        return value;
    }
}
