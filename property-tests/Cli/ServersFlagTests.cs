using System.Globalization;
using StateMachineMqtt.Cli;
using StateMachineMqtt.Cli.Commands;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Cli;

/// <summary><c>--servers</c>: the failover list of pub and sub, as parsed and as dialled.</summary>
public sealed class ServersFlagTests
{
    [Fact]
    public void Servers_parses_host_port_and_WebSocket_entries_in_order()
    {
        CliArguments parsed = ArgumentParser.Parse(["pub", "-t", "t", "-m", "x", "--servers", "a:1883, [::1]:1884,ws://w:8080/mqtt,wss://s/mqtt"]);
        Assert.Equal(["a:1883", "[::1]:1884", "ws://w:8080/mqtt", "wss://s/mqtt"], parsed.Servers!.Select(s => s.ToString()));
        MqttClientOptions options = ClientOptionsFactory.Create(parsed);
        Assert.Equal(4, options.Servers!.Count);
    }

    [Theory]
    [InlineData("a:1883,", "empty")]
    [InlineData("a:99999", "between 1 and 65535")]
    [InlineData("http://a/mqtt", "ws:// or wss://")]
    public void A_wrong_entry_is_a_usage_error_naming_it(string value, string said)
    {
        UsageException error = Assert.Throws<UsageException>(() => ArgumentParser.Parse(["sub", "-t", "t", "--servers", value]));
        Assert.Contains("--servers wants host:port,host:port", error.Message, StringComparison.Ordinal);
        Assert.Contains(said, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pub_with_a_dead_first_server_publishes_through_the_second()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        int closed = LoopbackPorts.FindFree();
        string servers = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{closed},127.0.0.1:{broker.Port}");
        using var stderr = new StringWriter();
        int exit = await CliApp.RunAsync(["pub", "--servers", servers, "-t", "servers/one", "-m", "via B", "-q", "1"], TextReader.Null, TextWriter.Null, stderr)
            .WaitAsync(limit.Token);
        Assert.True(exit == 0, stderr.ToString());
        var message = await broker.WaitForMessageAsync("servers/one", limit.Token);
        Assert.Equal("via B", System.Text.Encoding.UTF8.GetString(message.Payload));
    }
}
