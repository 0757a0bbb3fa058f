using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StateMachineMqtt.Cli;
using StateMachineMqtt.Cli.Commands;

namespace StateMachineMqtt.PropertyTests.Cli;

/// <summary>
/// #13: <c>smqtt pub</c> to a port where nothing listens exits 1 within its --connect-timeout and prints the cause,
/// as mosquitto_pub prints "Error: Connection refused" — instead of retrying forever.
/// </summary>
public sealed class ConnectTimeoutTests
{
    [Fact]
    public async Task Pub_to_a_closed_port_gives_up_after_its_connect_timeout_and_prints_connection_refused()
    {
        int port = ClosedPort();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // a guard against a hang, not the measure
        using var stderr = new StringWriter();
        int exit = await CliApp.RunAsync(
            ["pub", "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-t", "t", "-m", "x", "--connect-timeout", "1"],
            TextReader.Null, TextWriter.Null, stderr, limit.Token).WaitAsync(limit.Token);

        string said = stderr.ToString();
        Assert.True(exit == 1, said);
        Assert.False(limit.IsCancellationRequested, "the command gave up by itself, not because the test's guard fired");
        Assert.Contains("smqtt: Error: Connection refused", said, StringComparison.Ordinal);
        Assert.Contains($"Could not connect to 127.0.0.1:{port}", said, StringComparison.Ordinal);
        Assert.Contains("FirstConnectTimeout (1 s)", said, StringComparison.Ordinal);
    }

    [Fact]
    public void The_connect_timeout_defaults_to_10_s_and_0_means_forever()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), ClientOptionsFactory.Create(ArgumentParser.Parse(["pub", "-t", "t", "-m", "x"])).FirstConnectTimeout);
        Assert.Null(ClientOptionsFactory.Create(ArgumentParser.Parse(["sub", "-t", "t", "--connect-timeout", "0"])).FirstConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), ClientOptionsFactory.Create(ArgumentParser.Parse(["sub", "-t", "t", "--connect-timeout", "3"])).FirstConnectTimeout);
        var e = Assert.Throws<UsageException>(() => ArgumentParser.Parse(["pub", "-t", "t", "-m", "x", "--connect-timeout", "-1"]));
        Assert.Contains("--connect-timeout", e.Message, StringComparison.Ordinal);
        Assert.Throws<UsageException>(() => ArgumentParser.Parse(["diagrams", "--connect-timeout", "3"]));
    }

    /// <summary>A loopback port that was free a moment ago: bound, then released, so a connect to it is refused.</summary>
    private static int ClosedPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
