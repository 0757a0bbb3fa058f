using System.Buffers;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// Whole MQTT 5 packets built around a property section given as raw bytes, one minimal valid packet per place a section
/// appears, so hostile sections are met through MqttPacketReader exactly as off the wire (the packet decoder's choice of
/// context included), not through PropertyDecoder alone. <see cref="EveryPropertyRoundTripTests"/> proves each template
/// is what the writer itself writes around a section.
/// </summary>
internal static class HostileV5Packets
{
    public static readonly PropertyRow[] Rows = PropertyTable.CreateRows();
    public static readonly ReasonCodeRow[] Codes = ReasonCodeTable.CreateRows();

    /// <summary>Every place a property section appears.</summary>
    public static readonly PropertyContext[] Contexts = PropertySets.Contexts;

    private static readonly byte[] Mqtt5Header = [0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x05];

    /// <summary>The first byte, the body before the section and the body after it, for the packet carrying <paramref name="context"/>.</summary>
    public static (byte First, byte[] Before, byte[] After) Template(PropertyContext context) => context switch
    {
        // Clean start, keep alive 60, client id "c".
        PropertyContext.Connect => (0x10, [.. Mqtt5Header, 0x02, 0x00, 0x3C], [0x00, 0x01, (byte)'c']),
        // Will flag too: an empty CONNECT section and the client id, then the Will's section, its topic "t" and an empty message.
        PropertyContext.Will => (0x10, [.. Mqtt5Header, 0x06, 0x00, 0x3C, 0x00, 0x00, 0x01, (byte)'c'], [0x00, 0x01, (byte)'t', 0x00, 0x00]),
        PropertyContext.ConnAck => (0x20, [0x00, 0x00], []),
        // QoS 1, topic "t", packet identifier 1, payload "p".
        PropertyContext.Publish => (0x32, [0x00, 0x01, (byte)'t', 0x00, 0x01], [(byte)'p']),
        PropertyContext.PubAck => (0x40, [0x00, 0x01, 0x00], []),
        PropertyContext.PubRec => (0x50, [0x00, 0x01, 0x00], []),
        PropertyContext.PubRel => (0x62, [0x00, 0x01, 0x00], []),
        PropertyContext.PubComp => (0x70, [0x00, 0x01, 0x00], []),
        PropertyContext.Subscribe => (0x82, [0x00, 0x01], [0x00, 0x01, (byte)'t', 0x01]),
        PropertyContext.SubAck => (0x90, [0x00, 0x01], [0x00]),
        PropertyContext.Unsubscribe => (0xA2, [0x00, 0x01], [0x00, 0x01, (byte)'t']),
        PropertyContext.UnsubAck => (0xB0, [0x00, 0x01], [0x00]),
        PropertyContext.Disconnect => (0xE0, [0x00], []),
        PropertyContext.Auth => (0xF0, [0x00], []),
        _ => throw new ArgumentOutOfRangeException(nameof(context), context, "not a single place"),
    };

    /// <summary>The packet for <paramref name="context"/> with <paramref name="section"/> (length field included) as its section.</summary>
    public static byte[] Packet(PropertyContext context, byte[] section)
    {
        (byte first, byte[] before, byte[] after) = Template(context);
        return [first, .. Vbi(before.Length + section.Length + after.Length), .. before, .. section, .. after];
    }

    /// <summary>A section holding <paramref name="entries"/> (each an identifier and its value), with the length they take.</summary>
    public static byte[] Section(params byte[][] entries)
    {
        byte[] all = [.. entries.SelectMany(e => e)];
        return [.. Vbi(all.Length), .. all];
    }

    /// <summary>One property's bytes (identifier and value) as our encoder writes it: a valid value in a place it is allowed.</summary>
    public static byte[] Entry(PropertyRow row, object value)
    {
        var set = new StateMachineMqtt.Protocol.V5.MqttProperties();
        set.Add(row.Id, value);
        bool data = row.Id == PropertyId.AuthenticationData;
        if (data)
        {
            set.AuthenticationMethod = "m"; // the encoder writes no data without its method; that entry, first, is cut off below
        }

        PropertyContext allowed = Contexts.First(c => (row.AllowedIn & c) != 0);
        byte[] section = PropertySets.Encode(set, allowed);
        byte[] entries = section[Vbi(section.Length - 1).Length..];
        return data ? entries[4..] : entries; // 0x15, a length of 1, 'm'
    }

    /// <summary>
    /// The entries <paramref name="row"/>'s property needs beside it to be valid: an Authentication Method for Authentication
    /// Data (MQTT 5, 3.1.2.11.10); none for the others.
    /// </summary>
    public static byte[][] Companions(PropertyRow row) =>
        row.Id == PropertyId.AuthenticationData ? [Entry(PropertyTable.Find(Rows, (int)PropertyId.AuthenticationMethod)!, "m")] : [];

    /// <summary>A valid value of <paramref name="row"/>'s type, valid in every packet that may carry it: its minimum (0) or maximum (1).</summary>
    public static object Valid(PropertyRow row, int which) => row.Type switch
    {
        PropertyType.Byte => (byte)(which == 0 ? row.Minimum : row.Maximum),
        PropertyType.TwoByteInteger => (ushort)(which == 0 ? row.Minimum : row.Maximum),
        PropertyType.FourByteInteger or PropertyType.VariableByteInteger => (uint)(which == 0 ? row.Minimum : row.Maximum),
        PropertyType.Utf8String => which == 0 ? "r" : "reply/température", // a topic name too, for the Response Topic
        PropertyType.Utf8StringPair => new StateMachineMqtt.MqttUserProperty("k", which == 0 ? "v" : "w"),
        _ => (ReadOnlyMemory<byte>)(which == 0 ? new byte[] { 1 } : new byte[] { 2, 3 }),
    };

    /// <summary>A User Property entry: allowed everywhere, repeatable, so it can sit between two copies of another.</summary>
    public static byte[] UserEntry() => Entry(PropertyTable.Find(Rows, (int)PropertyId.UserProperty)!, Valid(PropertyTable.Find(Rows, (int)PropertyId.UserProperty)!, 0));

    /// <summary>A Variable Byte Integer, minimal [MQTT-1.5.5].</summary>
    public static byte[] Vbi(int value)
    {
        var bytes = new List<byte>();
        do
        {
            byte digit = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (value > 0);

        return [.. bytes];
    }

    /// <summary>
    /// <paramref name="value"/> as a Variable Byte Integer of <paramref name="byteCount"/> bytes, at least its minimum: the
    /// bytes past the minimum are padding, a continuation bit on each byte but the last and digits of 0 — a form MQTT 5 forbids
    /// [MQTT-1.5.5-1] (0x80 0x00 for 0).
    /// </summary>
    public static byte[] Vbi(int value, int byteCount)
    {
        byte[] minimal = Vbi(value);
        ArgumentOutOfRangeException.ThrowIfLessThan(byteCount, minimal.Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(byteCount, 4);
        byte[] bytes = new byte[byteCount];
        minimal.CopyTo(bytes, 0);
        for (int i = minimal.Length - 1; i < byteCount - 1; i++)
        {
            bytes[i] |= 0x80;
        }

        return bytes;
    }

    /// <summary>The one packet in <paramref name="bytes"/>, decoded as MQTT 5; fails if it is refused or is not whole.</summary>
    public static StateMachineMqtt.Protocol.Packets.MqttPacket Accept(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        bool read;
        StateMachineMqtt.Protocol.Packets.MqttPacket? packet;
        try
        {
            read = MqttPacketReader.TryRead(ref buffer, int.MaxValue, MqttProtocolVersion.V500, out packet);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{Convert.ToHexString(bytes)} should decode but raised {e.GetType().Name}: {e.Message}");
        }

        Assert.True(read, $"{Convert.ToHexString(bytes)} should be one whole packet");
        Assert.Equal(0, buffer.Length);
        return packet!;
    }

    /// <summary>
    /// Asserts the reader refuses <paramref name="bytes"/> with MqttProtocolException and nothing else: not another
    /// exception, not a packet, not a request for more bytes (the packet is whole), and within a bound (no hang). The
    /// bytes also go in cut in two segments, since a split packet takes another path (a pooled copy).
    /// </summary>
    public static MqttProtocolException Refuse(byte[] bytes, string because)
    {
        MqttProtocolException? first = null;
        var run = Task.Run(() =>
        {
            first = RefuseOnce(new ReadOnlySequence<byte>(bytes), bytes, because);
            int cut = bytes.Length / 2;
            RefuseOnce(SegmentedSequence.Create([bytes[..cut], bytes[cut..]]), bytes, because + " (in two segments)");
        });
        if (!run.Wait(TimeSpan.FromSeconds(10)))
        {
            throw new Xunit.Sdk.XunitException($"decoding {Convert.ToHexString(bytes)} ({because}) did not end within 10 s");
        }

        return first!;
    }

    private static MqttProtocolException RefuseOnce(ReadOnlySequence<byte> buffer, byte[] bytes, string because)
    {
        string hex = Convert.ToHexString(bytes);
        try
        {
            bool read = MqttPacketReader.TryRead(ref buffer, int.MaxValue, MqttProtocolVersion.V500, out var packet);
            throw new Xunit.Sdk.XunitException(read
                ? $"{hex} ({because}) was accepted as {packet}; it must raise MqttProtocolException"
                : $"{hex} ({because}) asked for more bytes; it is a whole packet and must raise MqttProtocolException");
        }
        catch (MqttProtocolException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            return e;
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{hex} ({because}) raised {e.GetType().Name}, not MqttProtocolException: {e.Message}");
        }
    }
}
