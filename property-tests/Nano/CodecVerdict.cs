using System.Buffers;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Protocol;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// What core's codec and the device codec each make of the same bytes: "packet …" (decoded, described), "more" (incomplete)
/// or "refused" (a protocol error). Only the wording of a refusal may differ between them.
/// </summary>
/// <param name="Core">core/'s verdict.</param>
/// <param name="Nano">The device codec's verdict.</param>
public sealed record CodecVerdict(string Core, string Nano)
{
    /// <summary>The verdict the regression cases record for a refusal.</summary>
    public const string Refused = "refused";

    /// <summary>Both codecs judge the bytes alike, every packet type included.</summary>
    public bool Agree => Core == Nano;

    /// <summary>Runs both decoders on <paramref name="bytes"/>, with <paramref name="maximumPacketSize"/> as both limits.</summary>
    public static CodecVerdict Of(byte[] bytes, int maximumPacketSize = 4096)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var sequence = new ReadOnlySequence<byte>(bytes);
        string core;
        try
        {
            core = MqttPacketReader.TryRead(ref sequence, maximumPacketSize, out MqttPacket? packet)
                ? "packet " + PacketEquality.Describe(packet) + " taking " + (bytes.Length - sequence.Length)
                : "more";
        }
        catch (MqttProtocolException)
        {
            core = Refused;
        }

        string nano;
        try
        {
            var decoded = new NanoPacket();
            int taken = NanoPacketReader.TryRead(bytes, 0, bytes.Length, maximumPacketSize, decoded);
            nano = taken > 0 ? "packet " + PacketEquality.Describe(NanoPacketTranslation.ToCore(decoded)) + " taking " + taken : "more";
        }
        catch (NanoProtocolException)
        {
            nano = Refused;
        }

        return new CodecVerdict(core, nano);
    }
}
