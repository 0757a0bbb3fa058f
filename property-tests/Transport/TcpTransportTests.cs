using System.Net;
using System.Net.Sockets;
using StateMachineMqtt.Spec;
using StateMachineMqtt.Transport;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Transport;

public sealed class TcpTransportTests
{
    [Fact]
    public async Task Bytes_flow_both_ways_over_loopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var transport = new TcpTransport("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);

        await using IMqttLink link = await transport.ConnectAsync(CancellationToken.None);
        using TcpClient server = await listener.AcceptTcpClientAsync().WaitAsync(LinkIo.Patience);
        NetworkStream serverStream = server.GetStream();

        await LinkIo.WriteAsync(link.Output, "CONNECT");
        Assert.Equal("CONNECT", await LinkIo.ReadAsync(serverStream, 7));

        await LinkIo.WriteAsync(serverStream, "CONNACK");
        Assert.Equal("CONNACK", await LinkIo.ReadAsync(link.Input, 7));
    }

    [Fact]
    public async Task The_peer_closing_ends_the_input()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var transport = new TcpTransport("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);

        await using IMqttLink link = await transport.ConnectAsync(CancellationToken.None);
        using (TcpClient server = await listener.AcceptTcpClientAsync().WaitAsync(LinkIo.Patience))
        {
            server.Client.Shutdown(SocketShutdown.Both);
        }

        var result = await link.Input.ReadAsync().AsTask().WaitAsync(LinkIo.Patience);
        Assert.True(result.IsCompleted);
    }

    [Fact]
    public async Task A_refused_port_throws_SocketException_classified_as_link_lost()
    {
        int closedPort = FreeLoopbackPort();
        var transport = new TcpTransport("127.0.0.1", closedPort);

        var error = await Assert.ThrowsAsync<SocketException>(() => transport.ConnectAsync(CancellationToken.None).AsTask());

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        Assert.Equal(ConnectionTrigger.LinkLost, SocketErrorClassifier.Classify(error));
        Assert.StartsWith("ECONNREFUSED (ConnectionRefused): ", SocketErrorClassifier.Describe(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_host_name_is_a_configuration_error()
    {
        // .invalid is reserved (RFC 2606): it can never resolve.
        var transport = new TcpTransport("nonexistent.invalid", 1883);

        var error = await Assert.ThrowsAsync<SocketException>(() => transport.ConnectAsync(CancellationToken.None).AsTask());

        Assert.Equal(ConnectionTrigger.ConfigurationError, SocketErrorClassifier.Classify(error));
    }

    [Fact]
    public async Task Dispose_ends_a_pending_read_and_can_be_repeated()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var transport = new TcpTransport("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);
        IMqttLink link = await transport.ConnectAsync(CancellationToken.None);
        using TcpClient server = await listener.AcceptTcpClientAsync().WaitAsync(LinkIo.Patience);

        Task<System.IO.Pipelines.ReadResult> pending = link.Input.ReadAsync().AsTask();
        Assert.False(pending.IsCompleted);

        await link.DisposeAsync();
        await link.DisposeAsync();

        System.IO.Pipelines.ReadResult result = default;
        Exception? error = await Record.ExceptionAsync(async () => result = await pending.WaitAsync(LinkIo.Patience));
        if (error is null)
        {
            Assert.True(result.IsCompleted || result.IsCanceled);
        }
        else
        {
            Assert.IsNotType<TimeoutException>(error);
            Assert.Equal(ConnectionTrigger.LinkLost, SocketErrorClassifier.Classify(error));
        }

        // The broker side sees the close too.
        Assert.Equal(0, await server.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(LinkIo.Patience));
    }

    [Fact]
    public async Task A_cancelled_connect_throws_and_leaves_no_socket_open()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        // TLS makes the connect wait for a handshake the server never answers: a half-open link to cancel.
        var transport = new TcpTransport("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, new MqttTlsOptions());
        using var cancellation = new CancellationTokenSource();

        Task<IMqttLink> connecting = transport.ConnectAsync(cancellation.Token).AsTask();
        using TcpClient server = await listener.AcceptTcpClientAsync().WaitAsync(LinkIo.Patience);
        NetworkStream serverStream = server.GetStream();
        byte[] buffer = new byte[4096];
        Assert.True(await serverStream.ReadAsync(buffer).AsTask().WaitAsync(LinkIo.Patience) > 0); // the ClientHello

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connecting.WaitAsync(LinkIo.Patience));
        Assert.Equal(0, await serverStream.ReadAsync(buffer).AsTask().WaitAsync(LinkIo.Patience));
    }

    [Fact]
    public async Task An_already_cancelled_token_throws_before_connecting()
    {
        var transport = new TcpTransport("127.0.0.1", 1883);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => transport.ConnectAsync(new CancellationToken(canceled: true)).AsTask());
    }

    [Theory]
    [InlineData("", 1883)]
    [InlineData("broker", 0)]
    [InlineData("broker", 65536)]
    public void Bad_addresses_are_refused_at_construction(string host, int port)
    {
        Assert.ThrowsAny<ArgumentException>(() => new TcpTransport(host, port));
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
