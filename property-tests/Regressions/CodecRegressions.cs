using StateMachineMqtt.PropertyTests.Nano;

namespace StateMachineMqtt.PropertyTests.Regressions;

/// <summary>
/// Bytes on which a codec property once failed, replayed exactly: both codecs must give the recorded verdict. Add a case
/// whenever a codec property fails (its label prints the bytes in hex).
/// </summary>
public sealed class CodecRegressions
{
    public static TheoryData<string, string, string> Cases() => new()
    {
        {
            // Corrupted_packets_are_judged_alike_by_both_codecs, on a random seed (issue 8): the device decoder read the
            // will topic without the topic-name rule its PUBLISH path had, and accepted it.
            "CONNECT with the will flag and an empty will topic [MQTT-4.7.3-1]",
            "10 18 00 04 4D 51 54 54 04 04 0C AC 00 08 20 E2 82 AC 7F C3 A9 30 00 00 00 00",
            CodecVerdict.Refused
        },
        {
            // The same hole, the other half of the rule: a wildcard in a will topic [MQTT-3.3.2-2].
            "CONNECT with a will topic holding a wildcard",
            "10 14 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 03 61 2F 23 00 00",
            CodecVerdict.Refused
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Both_codecs_give_the_recorded_verdict(string name, string hex, string verdict)
    {
        var judged = CodecVerdict.Of(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)));
        Assert.True(judged.Core == verdict && judged.Nano == verdict, $"{name}: core {judged.Core}, nano {judged.Nano}; recorded {verdict}");
    }
}
