using StateMachineMqtt.Cli.Commands.Format;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.PropertyTests.Cli;

/// <summary>
/// <c>sub -F</c>'s widths, flags, time codes, JSON and escapes, at a fixed time. The expected texts are mosquitto_sub
/// 2.0.11's for the same format (seen side by side in <see cref="SideBySideWithMosquittoClientsTests"/>).
/// </summary>
public sealed class MessageFormatTests
{
    // 2016-08-10T09:47:38.7863686+01:00 (mosquitto_sub(1)'s example time, with a sub-second part).
    private static readonly DateTimeOffset At = new DateTimeOffset(2016, 8, 10, 9, 47, 38, TimeSpan.FromHours(1)).AddTicks(7_863_686);

    private static readonly MqttMessage Message = new("a/b", "he\"llo"u8.ToArray(), MqttQualityOfService.AtLeastOnce, Retain: true, Dup: false) { PacketIdentifier = 7 };

    private static string Format(string format, MqttMessage? message = null) =>
        MessageFormatter.Format(MessageFormatter.Validate(format), message ?? Message, At, out _)!;

    [Theory]
    [InlineData("%10t|%-10t|%5.2t|%05l|%-5l|", "       a/b|a/b       |   a/|00006|6    |")]
    [InlineData("%-3q|%5q|%05t|%3r", "1|1|  a/b|1")] // widths only where mosquitto_sub takes them, zero padding only for numbers
    [InlineData("%08x|%-14X|%3.1p", "6865226c6c6f|6865226C6C6F  |he\"llo")]
    [InlineData("%m|%4m|%04m", "7|   7|0007")]
    [InlineData("%I|%9.3I|%U", "2016-08-10T09:47:38+0100|      201|1470818858.786368600")]
    [InlineData("@Y-@m-@d @H:@M:@S @N @z @s @@ @F @T @j @e @a @b", "2016-08-10 09:47:38 786368600 +0100 1470818858 @ 2016-08-10 09:47:38 223 10 Wed Aug")]
    [InlineData(@"\0|\a|\e|\\|\t|\n", "\0|\a|\u001b|\\|\t|\n")]
    [InlineData("%%|%A|%C|%S", "%|||")]
    public void Codes_widths_and_escapes_read_as_mosquitto_sub_reads_them(string format, string expected) =>
        Assert.Equal(expected, Format(format));

    [Fact]
    public void J_writes_the_message_as_mosquitto_sub_does_with_mid_at_QoS_1_and_the_properties_under_their_names()
    {
        var withProperties = Message with
        {
            Properties = new MqttMessageProperties
            {
                ContentType = "ct",
                UserProperties = [new("k", "v"), new("k", "w")],
                SubscriptionIdentifiers = [3],
                MessageExpiryInterval = TimeSpan.FromSeconds(90),
            },
        };
        Assert.Equal(
            """{"tst":"2016-08-10T09:47:38.786368Z+0100","topic":"a/b","qos":1,"retain":1,"payloadlen":6,"mid":7,"properties":{"subscription-identifier":3,"user-properties":{"k":"v","k":"w"},"content-type":"ct","message-expiry-interval":90},"payload":"he\"llo"}""",
            Format("%j", withProperties));
        var qos0 = new MqttMessage("j", """{"x":[1,2]}"""u8.ToArray(), MqttQualityOfService.AtMostOnce, false, false);
        Assert.Equal("""{"tst":"2016-08-10T09:47:38.786368Z+0100","topic":"j","qos":0,"retain":0,"payloadlen":11,"payload":{"x":[1,2]}}""", Format("%J", qos0));
    }

    [Fact]
    public void J_with_a_payload_that_is_not_JSON_prints_nothing_and_says_why()
    {
        Assert.Null(MessageFormatter.Format("%t %J", Message, At, out string? error));
        Assert.Equal("Error: Message payload is not valid JSON on topic a/b.", error);
    }
}
