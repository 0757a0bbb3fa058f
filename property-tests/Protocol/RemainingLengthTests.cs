using System.Buffers;
using StateMachineMqtt.Protocol.Wire;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>The Remaining Length encoding, at every boundary in the spec's table (2.2.3).</summary>
public sealed class RemainingLengthTests
{
    [Theory]
    [InlineData(0, "00")]
    [InlineData(127, "7F")]
    [InlineData(128, "8001")]
    [InlineData(16_383, "FF7F")]
    [InlineData(16_384, "808001")]
    [InlineData(2_097_151, "FFFF7F")]
    [InlineData(2_097_152, "80808001")]
    [InlineData(268_435_455, "FFFFFF7F")]
    public void Boundary_values_encode_and_decode_as_in_the_spec(int value, string hex)
    {
        Span<byte> encoded = stackalloc byte[4];
        int count = RemainingLength.Write(encoded, value);

        Assert.Equal(hex, Convert.ToHexString(encoded[..count]));
        Assert.Equal(count, RemainingLength.GetByteCount(value));
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Convert.FromHexString(hex)));
        Assert.True(RemainingLength.TryRead(ref reader, out int decoded));
        Assert.Equal(value, decoded);
        Assert.Equal(count, reader.Consumed);
    }

    [Fact]
    public void A_non_minimal_encoding_is_accepted_as_3_1_1_does_not_forbid_it()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Convert.FromHexString("8000")));

        Assert.True(RemainingLength.TryRead(ref reader, out int value));
        Assert.Equal(0, value);
    }
}
