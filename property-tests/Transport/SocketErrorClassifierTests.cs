using System.Net.Sockets;
using System.Security.Authentication;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Spec;
using StateMachineMqtt.Transport;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Transport;

public sealed class SocketErrorClassifierTests
{
    public static TheoryData<SocketErrorCode> TableCodes()
    {
        var data = new TheoryData<SocketErrorCode>();
        foreach (SocketErrorRow row in SocketErrorTable.CreateRows())
        {
            data.Add(row.Code);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TableCodes))]
    public void Every_table_row_classifies_a_bare_and_a_wrapped_SocketException_to_its_trigger(SocketErrorCode code)
    {
        SocketErrorRow row = Array.Find(SocketErrorTable.CreateRows(), r => r.Code == code)!;
        var socketException = new SocketException((int)code);
        Assert.Equal(code, (SocketErrorCode)(int)socketException.SocketErrorCode);

        Assert.Equal(row.Trigger, SocketErrorClassifier.Classify(socketException));
        Assert.Equal(row.Trigger, SocketErrorClassifier.Classify(new IOException("wrapped", socketException)));
        Assert.Equal(row.Trigger, SocketErrorClassifier.Classify(
            new AuthenticationException("handshake", new IOException("inner", socketException))));
        Assert.StartsWith($"{row.Errno} ({row.Code}): ", SocketErrorClassifier.Describe(socketException), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SocketErrorCode.ConnectionReset, ConnectionTrigger.LinkLost)]
    [InlineData(SocketErrorCode.ConnectionAborted, ConnectionTrigger.LinkLost)]
    [InlineData(SocketErrorCode.TimedOut, ConnectionTrigger.LinkLost)]
    [InlineData(SocketErrorCode.ConnectionRefused, ConnectionTrigger.LinkLost)]
    [InlineData(SocketErrorCode.InProgress, ConnectionTrigger.SocketPending)]
    [InlineData(SocketErrorCode.WouldBlock, ConnectionTrigger.SocketPending)]
    [InlineData(SocketErrorCode.HostNotFound, ConnectionTrigger.ConfigurationError)]
    public void The_errors_the_design_names_fire_the_triggers_it_names(SocketErrorCode code, ConnectionTrigger expected)
    {
        Assert.Equal(expected, SocketErrorClassifier.Classify(new SocketException((int)code)));
    }

    [Theory]
    [InlineData(SocketError.MessageSize)]
    [InlineData(SocketError.ProtocolNotSupported)]
    [InlineData(SocketError.IsConnected)]
    [InlineData(SocketError.VersionNotSupported)]
    public void Codes_missing_from_the_table_fire_the_default(SocketError code)
    {
        Assert.DoesNotContain(SocketErrorTable.CreateRows(), row => (int)row.Code == (int)code);

        Assert.Equal(SocketErrorTable.Default, SocketErrorClassifier.Classify(new SocketException((int)code)));
        Assert.StartsWith($"{code} ({(int)code}): ", SocketErrorClassifier.Describe(new SocketException((int)code)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_socket_error_is_found_under_several_wrappers()
    {
        var deep = new InvalidOperationException("outer",
            new IOException("middle", new IOException("inner", new SocketException((int)SocketError.HostNotFound))));

        Assert.Equal(ConnectionTrigger.ConfigurationError, SocketErrorClassifier.Classify(deep));
        Assert.Equal(ConnectionTrigger.LinkLost, SocketErrorClassifier.Classify(
            new AggregateException(new SocketException((int)SocketError.ConnectionReset))));
    }

    [Fact]
    public void End_of_stream_and_a_closed_link_are_link_lost()
    {
        Assert.Equal(ConnectionTrigger.LinkLost, SocketErrorClassifier.Classify(new EndOfStreamException()));
        Assert.Equal(ConnectionTrigger.LinkLost, SocketErrorClassifier.Classify(new IOException("Unable to read data: EOF")));
        Assert.Equal(ConnectionTrigger.LinkLost, SocketErrorClassifier.Classify(new ObjectDisposedException("NetworkStream")));
        Assert.Equal("connection closed by the broker (end of stream)", SocketErrorClassifier.Describe(new EndOfStreamException()));
    }

    [Fact]
    public void A_rejected_certificate_is_a_configuration_error()
    {
        var rejected = new AuthenticationException("The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot");

        Assert.Equal(ConnectionTrigger.ConfigurationError, SocketErrorClassifier.Classify(rejected));
        Assert.StartsWith("TLS authentication failed: The remote certificate", SocketErrorClassifier.Describe(rejected), StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_bytes_are_a_protocol_violation()
    {
        var violation = new MqttProtocolException("remaining length exceeds 4 bytes");

        Assert.Equal(ConnectionTrigger.ProtocolViolation, SocketErrorClassifier.Classify(violation));
        Assert.Equal("protocol violation: remaining length exceeds 4 bytes", SocketErrorClassifier.Describe(violation));
    }

    [Fact]
    public void Connection_reset_is_described_with_errno_code_and_the_OS_reason()
    {
        string text = SocketErrorClassifier.Describe(new IOException("x", new SocketException((int)SocketError.ConnectionReset)));

        Assert.StartsWith("ECONNRESET (ConnectionReset): ", text, StringComparison.Ordinal);
        Assert.Contains("reset", text, StringComparison.Ordinal);
    }
}
