using FsCheck;
using FsCheck.Xunit;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Protocol.Wire;
using StateMachineMqtt.Spec;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// The MQTT 5 property codec (#10, item 3): every valid set round-trips in every packet that may carry it, and the decoder
/// refuses, with MqttProtocolException only, whatever spec/'s PropertyTable forbids — and any bytes at all.
/// </summary>
public sealed class PropertyCodecProperties
{
    [Property(MaxTest = 400)]
    public void Every_valid_set_decodes_to_what_was_encoded(int seed, PositiveInt contextIndex)
    {
        PropertyContext context = PropertySets.Contexts[contextIndex.Get % PropertySets.Contexts.Length];
        MqttProperties set = PropertySets.Random(context, new Random(seed));

        byte[] section = PropertySets.Encode(set, context);
        MqttProperties decoded = PropertySets.Decode(section, context);

        Assert.Equal(PropertySets.Describe(set), PropertySets.Describe(decoded));
        Assert.Equal(section, PropertySets.Encode(decoded, context));
    }

    [Property(MaxTest = 1000)]
    public void Any_bytes_decode_or_raise_MqttProtocolException_only(byte[] body, PositiveInt contextIndex)
    {
        PropertyContext context = PropertySets.Contexts[contextIndex.Get % PropertySets.Contexts.Length];
        try
        {
            var reader = new PacketBodyReader(body ?? [], "TEST");
            PropertyDecoder.Read(ref reader, context, "TEST");
        }
        catch (MqttProtocolException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }
    }

    [Property(MaxTest = 300)]
    public void A_set_spliced_with_random_bytes_never_escapes_as_another_exception(int seed, PositiveInt contextIndex)
    {
        // Valid sections with a few bytes flipped reach deeper into the decoder than random bytes do.
        PropertyContext context = PropertySets.Contexts[contextIndex.Get % PropertySets.Contexts.Length];
        var random = new Random(seed);
        byte[] section = PropertySets.Encode(PropertySets.Random(context, random), context);
        for (int flips = random.Next(1, 4); flips > 0 && section.Length > 0; flips--)
        {
            section[random.Next(section.Length)] = (byte)random.Next(256);
        }

        try
        {
            PropertySets.Decode(section, context);
        }
        catch (MqttProtocolException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }
    }
}
