using System.Globalization;
using StateMachineMqtt.Protocol.Wire;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Protocol.V5;

/// <summary>
/// Encodes an MQTT 5 property set (its Variable Byte Integer length, then each property) [MQTT-2.2.2]. Measuring checks the
/// set against spec/'s PropertyTable for the packet it goes in, and throws ArgumentException naming the property and what to
/// change: a property that packet may not carry, one repeated that may not be, a value out of range, or a bad string.
/// </summary>
internal static class PropertyEncoder
{
    private static readonly PropertyRow[] Rows = PropertyTable.CreateRows();
    private static readonly string Blamed = "properties"; // the writer's callers pass the set as their "properties" argument

    /// <summary>
    /// Checks <paramref name="properties"/> for <paramref name="context"/> and returns the byte count of the properties alone
    /// (what the length field says); the whole section is that plus the length field's own bytes (<see cref="SectionSize"/>).
    /// </summary>
    public static int Measure(MqttProperties properties, PropertyContext context, string packetName)
    {
        long length = 0;
        var counts = new int[64]; // by identifier byte: every defined one is below 0x40
        foreach ((PropertyId id, object value) in properties.Present())
        {
            PropertyRow row = PropertyTable.Find(Rows, (int)id)!;
            string what = $"{packetName} property {id}";
            if ((row.AllowedIn & context) == 0)
            {
                throw new ArgumentException($"The {what} is not allowed in {packetName} [MQTT-2.2.2.2]. Remove it.", nameof(properties));
            }

            if (++counts[(int)id] > 1 && (row.RepeatableIn & context) == 0)
            {
                throw new ArgumentException($"The {what} appears more than once; {packetName} may carry it once only [MQTT-2.2.2.2]. Keep one.", nameof(properties));
            }

            length += 1 + ValueSize(row, value, what);
        }

        if (properties.AuthenticationData is not null && properties.AuthenticationMethod is null)
        {
            throw new ArgumentException($"The {packetName} properties carry Authentication Data but no Authentication Method, which is a protocol error ({AuthenticationRules.Section(context)}). Name the method the data belongs to, or leave the data out.", nameof(properties));
        }

        if (length > RemainingLength.Maximum)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The {packetName} properties take {length:N0} bytes; MQTT allows at most 268,435,455. Send fewer or shorter ones."), nameof(properties));
        }

        return (int)length;
    }

    /// <summary>The whole property section's size: the length field and <paramref name="propertiesLength"/> bytes.</summary>
    public static int SectionSize(int propertiesLength) => RemainingLength.GetByteCount(propertiesLength) + propertiesLength;

    /// <summary>Writes the section whose properties <see cref="Measure"/> measured at <paramref name="propertiesLength"/> bytes.</summary>
    public static void Write(ref BufferWriterCursor cursor, MqttProperties properties, int propertiesLength)
    {
        cursor.WriteVariableByteInteger(propertiesLength);
        foreach ((PropertyId id, object value) in properties.Present())
        {
            PropertyRow row = PropertyTable.Find(Rows, (int)id)!;
            cursor.WriteVariableByteInteger((int)id);
            switch (row.Type)
            {
                case PropertyType.Byte: cursor.WriteByte((byte)value); break;
                case PropertyType.TwoByteInteger: cursor.WriteUInt16((ushort)value); break;
                case PropertyType.FourByteInteger: cursor.WriteUInt32((uint)value); break;
                case PropertyType.VariableByteInteger: cursor.WriteVariableByteInteger((int)(uint)value); break;
                case PropertyType.Utf8String:
                    string text = (string)value;
                    cursor.WriteString(text, MqttStrings.MeasureForWriting(text, "property", nameof(properties)));
                    break;
                case PropertyType.Utf8StringPair:
                    var pair = (MqttUserProperty)value;
                    cursor.WriteString(pair.Name, MqttStrings.MeasureForWriting(pair.Name, "property", nameof(properties)));
                    cursor.WriteString(pair.Value, MqttStrings.MeasureForWriting(pair.Value, "property", nameof(properties)));
                    break;
                default: cursor.WriteBinary(((ReadOnlyMemory<byte>)value).Span); break;
            }
        }
    }

    private static int ValueSize(PropertyRow row, object value, string what)
    {
        switch (row.Type)
        {
            case PropertyType.Byte: return CheckRange(row, (byte)value, what, 1);
            case PropertyType.TwoByteInteger: return CheckRange(row, (ushort)value, what, 2);
            case PropertyType.FourByteInteger: return CheckRange(row, (uint)value, what, 4);
            case PropertyType.VariableByteInteger:
                uint number = (uint)value;
                CheckRange(row, number, what, 0);
                return RemainingLength.GetByteCount((int)number);
            case PropertyType.Utf8String: return 2 + MqttStrings.MeasureForWriting((string)value, what, Blamed);
            case PropertyType.Utf8StringPair:
                var pair = (MqttUserProperty)value;
                return 4 + MqttStrings.MeasureForWriting(pair.Name, what + " name", Blamed) + MqttStrings.MeasureForWriting(pair.Value, what + " value", Blamed);
            default:
                int bytes = ((ReadOnlyMemory<byte>)value).Length;
                if (bytes > MqttStrings.MaximumByteCount)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The {what} is {bytes:N0} bytes; binary data holds at most 65,535 [MQTT-1.5.6]. Shorten it."), Blamed);
                }

                return 2 + bytes;
        }
    }

    private static int CheckRange(PropertyRow row, long value, string what, int size)
    {
        if (value < row.Minimum || value > row.Maximum)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The {what} is {value}; it must be from {row.Minimum} to {row.Maximum} ({row.Rule})."), Blamed);
        }

        return size;
    }
}
