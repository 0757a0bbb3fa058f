namespace StateMachineMqtt.PropertyTests.Client;

/// <summary>How a server is written (Servers, --servers, a followed Server Reference), and what a wrong one says.</summary>
public sealed class ServerEndpointTests
{
    [Theory]
    [InlineData("localhost", "localhost", null, false)]
    [InlineData("broker.example.com:1884", "broker.example.com", 1884, false)]
    [InlineData(" 127.0.0.1:1883 ", "127.0.0.1", 1883, false)]
    [InlineData("[::1]:8883", "::1", 8883, false)]
    [InlineData("[::1]", "::1", null, false)]
    [InlineData("ws://localhost:8080/mqtt", "localhost", 8080, true)]
    [InlineData("wss://broker.example.com/mqtt", "broker.example.com", 443, true)]
    public void Parse_reads_host_port_and_WebSocket_URIs(string text, string host, int? port, bool webSocket)
    {
        MqttServerEndpoint server = MqttServerEndpoint.Parse(text);
        Assert.Equal(host, server.Host);
        Assert.Equal(port, server.Port);
        Assert.Equal(webSocket, server.IsWebSocket);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(":1883", "no host")]
    [InlineData("host:0", "between 1 and 65535")]
    [InlineData("host:http", "between 1 and 65535")]
    [InlineData("http://host/mqtt", "ws:// or wss://")]
    [InlineData("[::1", "[address]")]
    public void A_wrong_server_says_what_is_wrong(string text, string said)
    {
        FormatException error = Assert.Throws<FormatException>(() => MqttServerEndpoint.Parse(text));
        Assert.Contains(said, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Written_back_as_it_is_read()
    {
        Assert.Equal("127.0.0.1:1883", MqttServerEndpoint.Parse("127.0.0.1:1883").ToString());
        Assert.Equal("[::1]:1883", MqttServerEndpoint.Parse("[::1]:1883").ToString());
        Assert.Equal("ws://localhost:8080/mqtt", MqttServerEndpoint.Parse("ws://localhost:8080/mqtt").ToString());
        Assert.Equal(8883, new MqttServerEndpoint("h").EffectivePort(tls: true));
    }

    [Fact]
    public void A_null_entry_in_Servers_is_refused_by_Validate()
    {
        var options = new MqttClientOptions { Servers = [new MqttServerEndpoint("a"), null!] };
        ArgumentException error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("Servers[1] is null", error.Message, StringComparison.Ordinal);
    }
}
