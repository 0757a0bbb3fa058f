using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StateMachineMqtt.Nano.Client;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>The device's cached classifier answers exactly as spec/'s SocketErrorTable.Classify.</summary>
public sealed class NanoSocketErrorsTests
{
    [Fact]
    public void Every_listed_code_is_classified_as_the_table_says()
    {
        foreach (SocketErrorRow row in SocketErrorTable.CreateRows())
        {
            Assert.Equal(row.Trigger, NanoSocketErrors.Classify((int)row.Code));
        }

        Assert.Equal(ConnectionTrigger.SocketPending, NanoSocketErrors.Classify(10036)); // EINPROGRESS
        Assert.Equal(ConnectionTrigger.SocketPending, NanoSocketErrors.Classify(10035)); // EWOULDBLOCK / EAGAIN
        Assert.Equal(ConnectionTrigger.LinkLost, NanoSocketErrors.Classify(10060));      // ETIMEDOUT
    }

    [Property(MaxTest = 1000)]
    public Property Any_code_is_classified_as_SocketErrorTable_Classify_does(int code) =>
        (NanoSocketErrors.Classify(code) == SocketErrorTable.Classify(code)).Label($"code {code}");
}
