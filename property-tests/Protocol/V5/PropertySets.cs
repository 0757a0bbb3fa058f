using System.Buffers;
using System.Globalization;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Protocol.Wire;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>Property sets for the codec tests: random valid ones drawn from spec/'s table, encoding, decoding, and a canonical text.</summary>
internal static class PropertySets
{
    public static readonly PropertyRow[] Rows = PropertyTable.CreateRows();

    /// <summary>Every single place a property set appears.</summary>
    public static readonly PropertyContext[] Contexts = [.. Enum.GetValues<PropertyContext>().Where(c => c != PropertyContext.None)];

    /// <summary>
    /// A valid set for <paramref name="context"/>: each allowed property present or not, the repeatable ones up to three
    /// times, and Authentication Data only with an Authentication Method.
    /// </summary>
    public static MqttProperties Random(PropertyContext context, Random random)
    {
        var set = new MqttProperties();
        foreach (PropertyRow row in Rows.Where(r => (r.AllowedIn & context) != 0))
        {
            int copies = random.Next(2) == 0 ? 0 : (row.RepeatableIn & context) != 0 ? random.Next(1, 4) : 1;
            for (int i = 0; i < copies; i++)
            {
                set.Add(row.Id, Value(row, random));
            }
        }

        if (set.AuthenticationData is not null && set.AuthenticationMethod is null)
        {
            set.AuthenticationMethod = "SCRAM-SHA-256"; // the data is its method's (3.1.2.11.10): valid sets name one
        }

        return set;
    }

    /// <summary>A value of <paramref name="row"/>'s type within its range, its bounds more often than chance.</summary>
    public static object Value(PropertyRow row, Random random)
    {
        long Pick() => random.Next(4) switch
        {
            0 => row.Minimum,
            1 => row.Maximum,
            _ => row.Minimum + (long)(random.NextDouble() * (row.Maximum - row.Minimum)),
        };

        return row.Type switch
        {
            PropertyType.Byte => (byte)Pick(),
            PropertyType.TwoByteInteger => (ushort)Pick(),
            PropertyType.FourByteInteger => (uint)Pick(),
            PropertyType.VariableByteInteger => (uint)Pick(),
            PropertyType.Utf8String => Text(random),
            PropertyType.Utf8StringPair => new MqttUserProperty(Text(random), Text(random)),
            _ => (ReadOnlyMemory<byte>)Enumerable.Range(0, random.Next(0, 40)).Select(_ => (byte)random.Next(256)).ToArray(),
        };
    }

    /// <summary>The whole section (length field and properties) as bytes.</summary>
    public static byte[] Encode(MqttProperties set, PropertyContext context)
    {
        int length = PropertyEncoder.Measure(set, context, context.ToString());
        var output = new ArrayBufferWriter<byte>();
        var cursor = new BufferWriterCursor(output, PropertyEncoder.SectionSize(length));
        PropertyEncoder.Write(ref cursor, set, length);
        cursor.Commit();
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a section and checks it was read to its end.</summary>
    public static MqttProperties Decode(byte[] section, PropertyContext context)
    {
        var reader = new PacketBodyReader(section, context.ToString());
        MqttProperties set = PropertyDecoder.Read(ref reader, context, context.ToString());
        reader.EnsureEnd();
        return set;
    }

    /// <summary>One line per property present, in encoding order: what two sets are compared by.</summary>
    public static string Describe(MqttProperties set) => string.Join("\n", set.Present().Select(p => p.Id + "=" + p.Value switch
    {
        ReadOnlyMemory<byte> bytes => Convert.ToHexString(bytes.Span),
        MqttUserProperty pair => pair.Name + ":" + pair.Value,
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    }));

    private static string Text(Random random) => random.Next(5) switch
    {
        0 => "",
        1 => "température/€/漢字",
        _ => new string([.. Enumerable.Range(0, random.Next(1, 20)).Select(_ => (char)random.Next('a', 'z' + 1))]),
    };
}
