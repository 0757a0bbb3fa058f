using System.Buffers;
using System.Globalization;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Fuzz;

/// <summary>
/// Feeds bytes, as a peer's stream, to one decoder and reads packets until it asks for more or refuses them. Its protocol
/// exception ends the input (the client would close the link); any other exception escapes, and is what a fuzzer reports as
/// a crash. The decoders promise more than "no crash", and this checks it too: every packet consumes at least 2 bytes and
/// at most the maximum packet size, and decoding allocates in proportion to the bytes given, never to a length they announce.
/// </summary>
public static class DecoderTargets
{
    /// <summary>
    /// The limit the targets decode under: every seed packet fits, and a fuzzer reaches the oversized-PUBLISH path with
    /// short inputs.
    /// </summary>
    public const int MaximumPacketSize = 512;

    /// <summary>Allocation allowed per input byte (strings take 2 bytes a character; records, lists, exception text).</summary>
    public const long AllocationPerByte = 64;

    /// <summary>Allocation allowed whatever the input (first-use type initialisation, an exception and its message).</summary>
    public const long AllocationAllowance = 1 << 20;

    /// <summary>The folder name of <paramref name="target"/>'s corpus, and its name on the command line.</summary>
    public static string NameOf(DecoderTarget target) => target.ToString().ToLowerInvariant();

    /// <summary>Parses a target's name (case-insensitive), as <see cref="NameOf"/> writes it.</summary>
    public static bool TryParse(string name, out DecoderTarget target) => Enum.TryParse(name, ignoreCase: true, out target) && Enum.IsDefined(target);

    /// <summary>
    /// Decodes <paramref name="bytes"/> with <paramref name="target"/>. Returns how many packets were decoded and whether
    /// the decoder refused the bytes. Throws <see cref="FuzzFindingException"/> when a promise is broken; any other
    /// exception is the decoder's own.
    /// </summary>
    public static DecodeOutcome Decode(DecoderTarget target, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (target == DecoderTarget.All)
        {
            return DecodeWithEach(bytes);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        DecodeOutcome outcome = target switch
        {
            DecoderTarget.Core311 => DecodeCore(bytes, MqttProtocolVersion.V311),
            DecoderTarget.Core5 => DecodeCore(bytes, MqttProtocolVersion.V500),
            DecoderTarget.Nano311 => DecodeNano(bytes, v5: false),
            DecoderTarget.Nano5 => DecodeNano(bytes, v5: true),
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, "not a decoder target"),
        };
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long allowed = AllocationAllowance + (AllocationPerByte * bytes.Length);
        if (allocated > allowed)
        {
            throw Finding($"decoding {bytes.Length} bytes allocated {allocated} bytes, over the bound of {allowed}: something was sized from a length the bytes announce");
        }

        return outcome;
    }

    /// <summary>The targets that are one decoder under one version (all but <see cref="DecoderTarget.All"/>).</summary>
    public static IReadOnlyList<DecoderTarget> EachDecoder { get; } = [DecoderTarget.Core311, DecoderTarget.Core5, DecoderTarget.Nano311, DecoderTarget.Nano5];

    private static DecodeOutcome DecodeWithEach(byte[] bytes)
    {
        int packets = 0;
        bool refused = false;
        foreach (DecoderTarget single in EachDecoder)
        {
            DecodeOutcome outcome = Decode(single, bytes);
            packets += outcome.Packets;
            refused |= outcome.Refused;
        }

        return new DecodeOutcome(packets, refused);
    }

    private static DecodeOutcome DecodeCore(byte[] bytes, MqttProtocolVersion version)
    {
        // An odd-length input arrives in two segments, so the decoder's copy of a split packet is exercised too.
        ReadOnlySequence<byte> buffer = bytes.Length % 2 == 1 ? TwoSegments.Of(bytes, bytes.Length / 2) : new ReadOnlySequence<byte>(bytes);
        int packets = 0;
        while (true)
        {
            long length = buffer.Length;
            MqttPacket? packet;
            try
            {
                if (!MqttPacketReader.TryRead(ref buffer, MaximumPacketSize, version, out packet))
                {
                    Require(buffer.Length == length, "TryRead returned false yet consumed bytes");
                    return new DecodeOutcome(packets, Refused: false);
                }
            }
            catch (MqttProtocolException e)
            {
                Require(!string.IsNullOrWhiteSpace(e.Message), "a protocol exception without a message");
                return new DecodeOutcome(packets, Refused: true);
            }

            packets++;
            long taken = length - buffer.Length;
            Require(taken >= 2, "a packet of fewer than 2 bytes");
            Require(taken <= MaximumPacketSize, "a packet over the maximum packet size was taken whole");
            if (packet is OversizedPublishPacket oversized)
            {
                Require(version == MqttProtocolVersion.V311, "an oversized PUBLISH read past under MQTT 5");
                Require(oversized.PacketSize > MaximumPacketSize && oversized.BodyToSkip >= 0, "an oversized PUBLISH within the limit");
                int skip = oversized.BodyToSkip;
                MqttPacketReader.Skip(ref buffer, ref skip);
                if (skip > 0)
                {
                    return new DecodeOutcome(packets, Refused: false);
                }
            }
        }
    }

    private static DecodeOutcome DecodeNano(byte[] bytes, bool v5)
    {
        int offset = 0;
        int packets = 0;
        while (true)
        {
            int count = bytes.Length - offset;
            var packet = new NanoPacket();
            int taken;
            try
            {
                taken = v5
                    ? NanoPacketReader.TryRead5(bytes, offset, count, MaximumPacketSize, packet, out NanoProperties _)
                    : NanoPacketReader.TryRead(bytes, offset, count, MaximumPacketSize, packet);
            }
            catch (NanoProtocolException e)
            {
                Require(!string.IsNullOrWhiteSpace(e.Message), "a protocol exception without a message");
                return new DecodeOutcome(packets, Refused: true);
            }

            if (taken == 0)
            {
                return new DecodeOutcome(packets, Refused: false);
            }

            packets++;
            Require(taken >= 2 && taken <= count, "a packet took fewer than 2 bytes or more than it was given");
            Require(taken <= MaximumPacketSize, "a packet over the maximum packet size was taken whole");
            offset += taken;
            if (packet.BodyToSkip > 0)
            {
                Require(!v5, "an oversized PUBLISH read past under MQTT 5");
                int skip = NanoPacketReader.Skip(bytes.Length - offset, packet.BodyToSkip);
                offset += skip;
                if (skip < packet.BodyToSkip)
                {
                    return new DecodeOutcome(packets, Refused: false);
                }
            }
        }
    }

    private static void Require(bool condition, string broken)
    {
        if (!condition)
        {
            throw Finding(broken);
        }
    }

    private static FuzzFindingException Finding(string broken) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Decoder promise broken: {broken}."));
}
