using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;
using StateMachineMqtt.PropertyTests.Fixtures.Seeds;
using StateMachineMqtt.PropertyTests.Protocol.V5;

namespace StateMachineMqtt.PropertyTests.Nano.Mqtt5;

/// <summary>
/// Conformance of the device's MQTT 5 codec with core's, on packets drawn from spec/'s tables (Mqtt5Packets): every packet
/// the device writes encodes to core's bytes and decodes with core's reader to the same packet; every packet it reads,
/// written by core, decodes on the device to the same fields (the properties it keeps) and waits on every proper prefix;
/// hostile and corrupted v5 bytes are judged alike, and raise NanoProtocolException and nothing else.
/// </summary>
public sealed class CodecAgreement5Properties
{
    private static readonly byte[] Small = [0, 1, 2, 3, 4, 5, 0x7F, 0x80, 0x81, 0x87, 0xFF];

    [Property(Arbitrary = new[] { typeof(WholeRangeSeeds) }, MaxTest = 600)]
    public Property Packets_the_device_writes_are_core_s_bytes_and_decode_with_core_to_the_same_packet(int seed)
    {
        MqttPacket? packet = NanoPacketTranslation5.DeviceWritable(Mqtt5Packets.Random(new Random(seed)));
        if (packet is null)
        {
            return true.ToProperty().Classify(true, "broker's packet");
        }

        byte[] core = Mqtt5Packets.Encode(packet);
        byte[] nano = NanoPacketTranslation5.Encode(packet);
        if (!core.AsSpan().SequenceEqual(nano))
        {
            return false.Label($"{Mqtt5Packets.Describe(packet)}: core wrote {Convert.ToHexString(core)}, nano wrote {Convert.ToHexString(nano)}");
        }

        string decoded = Mqtt5Packets.Describe(Mqtt5Packets.Decode(nano));
        return (decoded == Mqtt5Packets.Describe(packet)).Label($"core read nano's {Mqtt5Packets.Describe(packet)} as {decoded}").Classify(true, packet.GetType().Name);
    }

    [Property(Arbitrary = new[] { typeof(WholeRangeSeeds) }, MaxTest = 600)]
    public Property Packets_the_device_reads_decode_on_the_device_as_core_wrote_them(int seed)
    {
        MqttPacket packet = Mqtt5Packets.Random(new Random(seed));
        byte[] bytes = Mqtt5Packets.Encode(packet);
        if (NanoPacketTranslation5.IsClientOnly(bytes[0]))
        {
            return true.ToProperty().Classify(true, "client's packet");
        }

        var decoded = new NanoPacket();
        int taken = NanoPacketReader.TryRead5(bytes, 0, bytes.Length, bytes.Length, decoded, out NanoProperties? properties);
        string expected = Mqtt5Packets.Describe(NanoPacketTranslation5.Comparable(packet));
        string actual = Mqtt5Packets.Describe(NanoPacketTranslation5.ToCore(decoded, properties));
        if (taken != bytes.Length || actual != expected)
        {
            return false.Label($"nano read {Convert.ToHexString(bytes)} ({expected}) as {actual}, taking {taken} of {bytes.Length}");
        }

        for (int prefix = 0; prefix < bytes.Length; prefix++)
        {
            if (NanoPacketReader.TryRead5(bytes, 0, prefix, bytes.Length, new NanoPacket(), out _) != 0)
            {
                return false.Label($"nano decoded a packet from the first {prefix} of {bytes.Length} bytes");
            }
        }

        return true.ToProperty().Classify(true, packet.GetType().Name);
    }

    [Property(MaxTest = 400)]
    public Property Hostile_bytes_are_judged_alike_by_both_v5_codecs(byte[] bytes) => JudgedAlike(bytes ?? [], 4096);

    [Property(Arbitrary = new[] { typeof(WholeRangeSeeds) }, MaxTest = 1500)]
    public Property Corrupted_v5_packets_are_judged_alike_by_both_codecs(int seed, int position, int value, bool truncate, byte limit)
    {
        // One byte changed (or the tail cut off) in a valid packet — property lengths, identifiers, reason codes, counts —
        // sometimes under a small packet limit.
        byte[] bytes = Mqtt5Packets.Encode(Mqtt5Packets.Random(new Random(seed)));
        int at = Math.Abs(position % bytes.Length);
        if (truncate)
        {
            bytes = bytes[..at];
        }
        else
        {
            bytes[at] = value % 4 == 0 ? (byte)(value >> 2) : Small[Math.Abs((value >> 2) % Small.Length)];
        }

        return JudgedAlike(bytes, limit % 3 == 0 ? Math.Max(2, (int)limit) : 4096);
    }

    [Property(Arbitrary = new[] { typeof(WholeRangeSeeds) }, MaxTest = 600)]
    public Property Padded_integers_and_data_without_its_method_are_refused_by_both_codecs(int seed)
    {
        // The rules both readers gained, met in every packet the device reads: a Variable Byte Integer in more bytes than it
        // needs [MQTT-1.5.5-1] (Remaining Length, section length, identifier, Subscription Identifier), and Authentication
        // Data without its Authentication Method (3.2.2.3.18, 3.15.2.2.3). One time in five the packet is left valid.
        var random = new Random(seed);
        PropertyContext context = DeviceRead[random.Next(DeviceRead.Length)];
        List<byte[]> entries = HostileV5PropertyProperties.ValidEntries(context, random);
        byte[] all = [.. entries.SelectMany(e => e)];
        bool authentication = context is PropertyContext.ConnAck or PropertyContext.Auth;
        int kind = random.Next(authentication ? 6 : context == PropertyContext.Publish ? 5 : 4);
        (string defect, byte[] bytes) = kind switch
        {
            0 => ("none", HostileV5Packets.Packet(context, HostileV5Packets.Section([.. entries]))),
            1 => ("a padded Remaining Length", PadRemainingLength(HostileV5Packets.Packet(context, HostileV5Packets.Section([.. entries])), random)),
            2 => ("a padded section length", HostileV5Packets.Packet(context, [.. HostileV5Packets.Vbi(all.Length, random.Next(HostileV5Packets.Vbi(all.Length).Length + 1, 5)), .. all])),
            3 => ("a padded identifier", HostileV5Packets.Packet(context, HostileV5Packets.Section([.. entries, [.. HostileV5Packets.Vbi(0x26, random.Next(2, 5)), .. HostileV5Packets.UserEntry()[1..]]]))),
            4 when context == PropertyContext.Publish => ("a padded Subscription Identifier", HostileV5Packets.Packet(context, HostileV5Packets.Section([.. entries, [0x0B, .. HostileV5Packets.Vbi(1, random.Next(2, 5))]]))),
            _ => ("Authentication Data without its method", HostileV5Packets.Packet(context, HostileV5Packets.Section([
                .. entries.Where(e => e[0] is not ((byte)PropertyId.AuthenticationMethod or (byte)PropertyId.AuthenticationData)), [0x16, 0x00, 0x01, 0xAA]]))),
        };

        (string core, string nano) = NanoPacketTranslation5.Verdicts(bytes);
        bool refused = defect == "none" ? core.StartsWith("packet ", StringComparison.Ordinal) : core == CodecVerdict.Refused;
        return (refused && core == nano).Label($"{context}, {defect}: {Convert.ToHexString(bytes)}: core {core}, nano {nano}").Classify(true, defect);
    }

    private static readonly PropertyContext[] DeviceRead =
    [
        PropertyContext.ConnAck, PropertyContext.Publish, PropertyContext.PubAck, PropertyContext.PubRec, PropertyContext.PubRel,
        PropertyContext.PubComp, PropertyContext.SubAck, PropertyContext.UnsubAck, PropertyContext.Disconnect, PropertyContext.Auth,
    ];

    private static byte[] PadRemainingLength(byte[] packet, Random random)
    {
        int header = 1;
        while ((packet[header] & 0x80) != 0)
        {
            header++;
        }

        byte[] body = packet[(header + 1)..];
        int minimal = HostileV5Packets.Vbi(body.Length).Length;
        return minimal == 4 ? packet : [packet[0], .. HostileV5Packets.Vbi(body.Length, random.Next(minimal + 1, 5)), .. body];
    }

    private static Property JudgedAlike(byte[] bytes, int maximumPacketSize)
    {
        (string core, string nano) = NanoPacketTranslation5.Verdicts(bytes, maximumPacketSize);
        if (bytes.Length > 0 && NanoPacketTranslation5.IsClientOnly(bytes[0]))
        {
            // Read as their type alone (any closes the link): the device may not refuse what core refuses, but it may
            // never take a packet core does not see whole, nor throw anything but NanoProtocolException.
            bool fine = nano == "more" || nano == CodecVerdict.Refused || (nano.StartsWith("client-only", StringComparison.Ordinal) && core != "more");
            return fine.Label($"{Convert.ToHexString(bytes)}: core {core}, nano {nano}").Classify(true, "client's packet");
        }

        return (core == nano).Label($"{Convert.ToHexString(bytes)}: core {core}, nano {nano}");
    }
}
