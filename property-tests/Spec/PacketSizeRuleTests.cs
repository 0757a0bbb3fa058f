using System.Text;
using FsCheck.Xunit;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Spec;

/// <summary>spec/'s PacketSizeRules and the oversized-acknowledgement rule: pure arithmetic, checked against the codec and UTF-8.</summary>
public sealed class PacketSizeRuleTests
{
    [Theory]
    [InlineData(1, 0, 0, 5)]
    [InlineData(1, 0, 1, 7)]
    [InlineData(5, 118, 1, 129)] // 127 remaining bytes: one length byte
    [InlineData(5, 119, 1, 131)] // 128: two
    [InlineData(5, 16_374, 1, 16_386)] // 16,383: two
    [InlineData(5, 16_375, 1, 16_388)] // 16,384: three
    [InlineData(1, 2_097_148, 0, 2_097_155)] // 2,097,151: three
    [InlineData(1, 2_097_149, 0, 2_097_157)] // 2,097,152: four
    [InlineData(7, 2_097_152, 1, 2_097_168)] // four (RoundTripProperties' four-byte case)
    public void A_PUBLISH_takes_header_topic_identifier_and_payload(int topicBytes, long payload, int qos, long expected)
    {
        Assert.Equal(expected, PacketSizeRules.PublishPacketSize(topicBytes, payload, qos));
    }

    [Fact]
    public void MQTTs_bound_is_268435455_bytes_after_a_five_byte_fixed_header()
    {
        Assert.Equal(268_435_455, PacketSizeRules.MaximumRemainingLength);
        Assert.Equal(268_435_460, PacketSizeRules.MaximumPacketSize);
        long largest = PacketSizeRules.MaximumRemainingLength - 2 - 1; // one-byte topic, QoS 0
        Assert.Equal(PacketSizeRules.MaximumPacketSize, PacketSizeRules.PublishPacketSize(1, largest, 0));
        Assert.True(PacketSizeRules.FitsOutbound(PacketSizeRules.PublishPacketSize(1, largest, 0), int.MaxValue));
        Assert.False(PacketSizeRules.FitsOutbound(PacketSizeRules.PublishPacketSize(1, largest + 1, 0), long.MaxValue));
        Assert.False(PacketSizeRules.FitsOutbound(PacketSizeRules.PublishPacketSize(1, int.MaxValue, 1), long.MaxValue)); // no overflow
    }

    [Fact]
    public void The_configured_limit_bounds_outbound_packets_inclusively()
    {
        Assert.True(PacketSizeRules.FitsOutbound(100, 100));
        Assert.False(PacketSizeRules.FitsOutbound(101, 100));
    }

    [Fact]
    public void Only_a_PUBLISH_whose_header_fits_may_be_read_past()
    {
        Assert.True(PacketSizeRules.MayReadPast(PacketKind.Publish, 64, 64));
        Assert.False(PacketSizeRules.MayReadPast(PacketKind.Publish, 65, 64));
        foreach (PacketKind other in Enum.GetValues<PacketKind>().Where(k => k != PacketKind.Publish))
        {
            Assert.False(PacketSizeRules.MayReadPast(other, 2, 64));
        }
    }

    [Fact]
    public void An_oversized_message_is_acknowledged_at_once_only_when_nothing_waits_ahead_of_it()
    {
        Assert.True(AcknowledgementRules.AcknowledgesDroppedAtOnce(0));
        Assert.False(AcknowledgementRules.AcknowledgesDroppedAtOnce(1));
    }

    [Property(MaxTest = 500)]
    public bool The_UTF8_count_is_the_encoders(string? value)
    {
        value ??= "";
        // Unpaired surrogates count as U+FFFD (3 bytes), which is what Encoding.UTF8 writes for them.
        return PacketSizeRules.Utf8ByteCount(value) == Encoding.UTF8.GetByteCount(value);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("a/b", 3)]
    [InlineData("é", 2)]
    [InlineData("€", 3)]
    [InlineData("😀", 4)]
    [InlineData("\u007F\u0080\u07FF\u0800\uFFFF", 1 + 2 + 2 + 3 + 3)]
    [InlineData("\uD800\uDC00", 4)] // the surrogate ranges' edges, paired
    [InlineData("\uDBFF\uDFFF", 4)]
    [InlineData("\uD7FF\uE000", 6)] // just outside them: two 3-byte characters
    public void The_UTF8_count_of_each_range(string value, int expected)
    {
        Assert.Equal(expected, PacketSizeRules.Utf8ByteCount(value));
    }

    [Fact]
    public void An_unpaired_surrogate_counts_as_the_three_bytes_of_U_FFFD()
    {
        // Not InlineData: xunit's serialisation of test cases would replace the lone surrogates before the test saw them.
        Assert.Equal(3, PacketSizeRules.Utf8ByteCount("\uD83D"));
        Assert.Equal(4, PacketSizeRules.Utf8ByteCount("\uDE00x"));
        Assert.Equal(4, PacketSizeRules.Utf8ByteCount("x\uD83D"));
        Assert.Equal(6, PacketSizeRules.Utf8ByteCount("\uD83D\uD83D"));
    }
}
