using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Protocol;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// Conformance (b): the device codec and core's codec agree byte for byte on every MQTT 3.1.1 packet, QoS 2's PUBREC, PUBREL
/// and PUBCOMP included — each encodes the same bytes, each decodes the other's bytes to the same packet, and the device
/// reader waits on every proper prefix. Hostile and corrupted bytes are accepted or refused alike.
/// </summary>
public sealed class CodecAgreementProperties
{
    private static readonly byte[] Small = [0, 1, 2, 3, 4, 5, 6, 0x7F, 0x80, 0x81, 0xFF];

    [Property(Arbitrary = new[] { typeof(PacketArbitraries) }, MaxTest = 500)]
    public Property Device_and_core_codecs_agree_byte_for_byte(PacketCase packetCase)
    {
        MqttPacket packet = packetCase.Packet;
        byte[] core = PacketBytes.Encode(packet);
        byte[] nano = NanoPacketTranslation.Encode(packet);
        if (!core.AsSpan().SequenceEqual(nano))
        {
            return false.Label($"{PacketEquality.Describe(packet)}: core wrote {Convert.ToHexString(core)}, nano wrote {Convert.ToHexString(nano)}");
        }

        var decoded = new NanoPacket();
        int taken = NanoPacketReader.TryRead(core, 0, core.Length, core.Length, decoded);
        if (taken != core.Length || !PacketEquality.AreEqual(packet, NanoPacketTranslation.ToCore(decoded)))
        {
            return false.Label($"nano decoded core's bytes of {PacketEquality.Describe(packet)} as {PacketEquality.Describe(NanoPacketTranslation.ToCore(decoded))} ({taken} of {core.Length} bytes)");
        }

        if (!PacketEquality.AreEqual(packet, PacketBytes.DecodeSingle(nano)))
        {
            return false.Label($"core decoded nano's bytes of {PacketEquality.Describe(packet)} differently");
        }

        for (int prefix = 0; prefix < nano.Length; prefix++)
        {
            if (NanoPacketReader.TryRead(nano, 0, prefix, nano.Length, new NanoPacket()) != 0)
            {
                return false.Label($"nano decoded a packet from the first {prefix} of {nano.Length} bytes");
            }
        }

        return true.ToProperty().Classify(true, packet.GetType().Name);
    }

    [Fact]
    public void The_device_writes_QoS_2_PUBLISH_and_PUBREL_and_reads_PUBREC_and_PUBCOMP_as_the_standard_gives_them()
    {
        // Fixed vectors beside the agreement with core: both codecs could agree on a wrong byte.
        var buffer = new byte[32];
        int length = NanoPacketWriter.WritePublish(buffer, 0, "a", [0xFF], 2, retain: true, dup: true, packetId: 0x1234);
        Assert.Equal("3D060001611234FF", Convert.ToHexString(buffer, 0, length)); // DUP 8 | QoS 2 << 1 | RETAIN 1 [MQTT-3.3.1]
        length = NanoPacketWriter.WritePubRel(buffer, 0, 0x1234);
        Assert.Equal("62021234", Convert.ToHexString(buffer, 0, length)); // flags 0010 [MQTT-3.6.1-1]

        var packet = new NanoPacket();
        Assert.Equal(4, NanoPacketReader.TryRead([0x50, 0x02, 0x00, 0x0A], 0, 4, 64, packet));
        Assert.Equal((NanoPacketType.PubRec, 10), (packet.Type, packet.PacketId));
        Assert.Equal(4, NanoPacketReader.TryRead([0x70, 0x02, 0x01, 0x00], 0, 4, 64, packet));
        Assert.Equal((NanoPacketType.PubComp, 256), (packet.Type, packet.PacketId));
    }

    [Property(MaxTest = 300)]
    public Property Hostile_bytes_are_judged_alike_by_both_codecs(byte[] bytes) => JudgedAlike(bytes ?? []);

    [Property(Arbitrary = new[] { typeof(PacketArbitraries) }, MaxTest = 1000)]
    public Property Corrupted_packets_are_judged_alike_by_both_codecs(PacketCase packetCase, int position, int value, bool truncate)
    {
        MqttPacket packet = packetCase.Packet;
        // One byte changed (or the tail cut off) in a valid packet: the inputs most likely to slip past one codec's checks.
        byte[] bytes = PacketBytes.Encode(packet);
        int at = Math.Abs(position % bytes.Length);
        if (truncate)
        {
            bytes = bytes[..at];
        }
        else
        {
            // Mostly the small values that flags, QoS, lengths and return codes take, sometimes any byte.
            bytes[at] = value % 4 == 0 ? (byte)(value >> 2) : Small[Math.Abs((value >> 2) % Small.Length)];
        }

        return JudgedAlike(bytes);
    }

    [Property(Arbitrary = new[] { typeof(PacketArbitraries) }, MaxTest = 500)]
    public Property Packets_over_a_small_limit_are_read_past_or_refused_alike_by_both_codecs(PacketCase packetCase, byte limit, int position, int value, bool corrupt)
    {
        // A limit below most packets' sizes: an oversized PUBLISH must give both codecs the same header, size and body to
        // skip (and take the same bytes); anything else over it must be refused by both.
        byte[] bytes = PacketBytes.Encode(packetCase.Packet);
        if (corrupt)
        {
            int at = Math.Abs(position % bytes.Length);
            bytes[at] = value % 4 == 0 ? (byte)(value >> 2) : Small[Math.Abs((value >> 2) % Small.Length)];
        }

        return JudgedAlike(bytes, Math.Max(2, limit % 64));
    }

    private static Property JudgedAlike(byte[] bytes, int maximumPacketSize = 4096)
    {
        var verdict = CodecVerdict.Of(bytes, maximumPacketSize);
        return verdict.Agree.Label($"{Convert.ToHexString(bytes)}: core {verdict.Core}, nano {verdict.Nano}");
    }
}
