using System.Diagnostics;
using System.Net.Sockets;
using StateMachineMqtt.TestKit.Proxy;
using StateMachineMqtt.Protocol;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Chaos;

public sealed class FaultProxyTests : IAsyncLifetime
{
    // Guards against a hung socket, never waited out on success.
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(20));
    private FakeBroker _broker = null!;
    private FaultProxy _proxy = null!;

    private CancellationToken Token => _timeout.Token;

    public Task InitializeAsync()
    {
        _broker = FakeBroker.Start();
        _proxy = FaultProxy.Start("127.0.0.1", _broker.Port);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _broker.DisposeAsync();
        _timeout.Dispose();
    }

    private async Task<FrameSocket> ConnectedClientAsync()
    {
        var client = await FrameSocket.ConnectAsync(_proxy.Port, Token);
        await client.SendAsync(Packets.Connect, Token);
        Assert.Equal(MqttPacketType.ConnAck, (await client.ReadFrameAsync(Token))!.Type);
        return client;
    }

    /// <summary>Completes once the proxy has dropped <paramref name="count"/> packets.</summary>
    private Task DroppedAsync(int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int seen = 0;
        _proxy.PacketDropped += (_, _, _) =>
        {
            if (Interlocked.Increment(ref seen) == count)
            {
                done.TrySetResult();
            }
        };
        return done.Task.WaitAsync(Token);
    }

    private async Task<MqttFrame> BrokerReceivesAsync() => await _broker.Received.Reader.ReadAsync(Token);

    [Fact]
    public async Task Forwards_both_ways_and_counts_per_type()
    {
        using var client = await ConnectedClientAsync();
        await client.SendAsync([.. Packets.Publish(1, 3, [42]), .. Packets.PingReq], Token); // two packets in one segment
        var first = await client.ReadFrameAsync(Token);
        var second = await client.ReadFrameAsync(Token);
        Assert.Equal((MqttPacketType.PubAck, (ushort?)3), (first!.Type, first.PacketIdentifier));
        Assert.Equal(MqttPacketType.PingResp, second!.Type);

        // The proxy counts a packet after its write returns, which can be after the other end has read it: wait for the
        // counts (an event), then check them exactly.
        await _proxy.Counters.WhenForwarded(ProxyDirection.ClientToBroker, MqttPacketType.PingReq, 1).WaitAsync(Token);
        await _proxy.Counters.WhenForwarded(ProxyDirection.ClientToBroker, MqttPacketType.Publish, 1).WaitAsync(Token);
        await _proxy.Counters.WhenForwarded(ProxyDirection.BrokerToClient, MqttPacketType.PingResp, 1).WaitAsync(Token);
        await _proxy.Counters.WhenForwarded(ProxyDirection.BrokerToClient, MqttPacketType.PubAck, 1).WaitAsync(Token);
        Assert.Equal(1, _proxy.Counters.Forwarded(ProxyDirection.ClientToBroker, MqttPacketType.Connect));
        Assert.Equal(1, _proxy.Counters.Forwarded(ProxyDirection.ClientToBroker, MqttPacketType.Publish));
        Assert.Equal(1, _proxy.Counters.Forwarded(ProxyDirection.ClientToBroker, MqttPacketType.PingReq));
        Assert.Equal(1, _proxy.Counters.Forwarded(ProxyDirection.BrokerToClient, MqttPacketType.PubAck));
        Assert.Equal(3, _proxy.Counters.ForwardedTotal(ProxyDirection.BrokerToClient));
        Assert.Equal(2, _proxy.Counters.Forwarded(ProxyDirection.Both, MqttPacketType.Connect) + _proxy.Counters.Forwarded(ProxyDirection.Both, MqttPacketType.ConnAck));
        Assert.Equal(1, _proxy.ConnectionsAccepted);
    }

    [Fact]
    public async Task A_packet_written_one_byte_at_a_time_arrives_whole()
    {
        using var client = await ConnectedClientAsync();
        Assert.Equal(MqttPacketType.Connect, (await BrokerReceivesAsync()).Type);
        byte[] publish = Packets.Publish(1, 9, new byte[200]);
        foreach (byte b in publish)
        {
            await client.SendAsync([b], Token);
        }

        var received = await BrokerReceivesAsync();
        Assert.Equal(publish, received.Bytes);
    }

    [Fact]
    public async Task ResetAll_sends_RST_to_both_ends()
    {
        using var client = await ConnectedClientAsync();
        _proxy.ResetAll();
        var e = await Assert.ThrowsAsync<SocketException>(() => client.ReadFrameAsync(Token));
        Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
        Assert.Equal("reset", await _broker.Ended.Reader.ReadAsync(Token));
    }

    [Fact]
    public async Task CloseAll_sends_FIN_to_both_ends()
    {
        using var client = await ConnectedClientAsync();
        _proxy.CloseAll();
        Assert.Null(await client.ReadFrameAsync(Token));
        Assert.Equal("eof", await _broker.Ended.Reader.ReadAsync(Token));
    }

    [Fact]
    public async Task Resetting_the_client_side_leaves_the_broker_side_open()
    {
        using var client = await ConnectedClientAsync();
        var serverSide = await _broker.Accepted.Reader.ReadAsync(Token);
        _proxy.Connections.Single().Reset(ProxySide.Client);
        await Assert.ThrowsAsync<SocketException>(() => client.ReadFrameAsync(Token));
        Assert.False(_broker.Ended.Reader.TryRead(out _));

        // The broker side still works: its write is accepted and nothing has ended it.
        await serverSide.SendAsync(Packets.PingResp, Token);
        Assert.False(_broker.Ended.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_peer_reset_is_passed_on_and_a_peer_FIN_too()
    {
        using var client = await ConnectedClientAsync();
        var serverSide = await _broker.Accepted.Reader.ReadAsync(Token);
        serverSide.Socket.LingerState = new LingerOption(true, 0);
        serverSide.Socket.Close();
        var e = await Assert.ThrowsAsync<SocketException>(() => client.ReadFrameAsync(Token));
        Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
        Assert.Equal("reset", await _broker.Ended.Reader.ReadAsync(Token)); // the socket the test closed

        using var second = await ConnectedClientAsync();
        second.Socket.Shutdown(SocketShutdown.Send);
        Assert.Equal("eof", await _broker.Ended.Reader.ReadAsync(Token));
        Assert.Null(await second.ReadFrameAsync(Token)); // the broker closed in turn, and that FIN came back
    }

    [Fact]
    public async Task Blackhole_swallows_packets_silently_until_healed()
    {
        using var client = await ConnectedClientAsync();
        Assert.Equal(MqttPacketType.Connect, (await BrokerReceivesAsync()).Type);
        _proxy.Blackhole();
        Assert.Equal(ProxyDirection.Both, _proxy.Connections.Single().Blackholed);
        var twoDropped = DroppedAsync(2);
        await client.SendAsync(Packets.PingReq, Token);
        await client.SendAsync(Packets.Publish(1, 4, [1]), Token);
        await twoDropped;

        _proxy.Heal();
        await client.SendAsync(Packets.Publish(1, 5, [2]), Token);

        // Only the packet sent after Heal reached the broker, and only its PUBACK came back: the socket never closed.
        var received = await BrokerReceivesAsync();
        Assert.Equal((ushort?)5, received.PacketIdentifier);
        var ack = await client.ReadFrameAsync(Token);
        Assert.Equal((MqttPacketType.PubAck, (ushort?)5), (ack!.Type, ack.PacketIdentifier));
        Assert.Equal(1, _proxy.Counters.Dropped(ProxyDirection.ClientToBroker, MqttPacketType.PingReq));
        Assert.Equal(1, _proxy.Counters.Dropped(ProxyDirection.ClientToBroker, MqttPacketType.Publish));
        Assert.False(_broker.Received.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Blackhole_one_way_lets_the_other_through()
    {
        using var client = await ConnectedClientAsync();
        Assert.Equal(MqttPacketType.Connect, (await BrokerReceivesAsync()).Type);
        _proxy.Blackhole(ProxyDirection.BrokerToClient);
        var ackDropped = DroppedAsync(1);
        await client.SendAsync(Packets.Publish(1, 6, [1]), Token);
        Assert.Equal((ushort?)6, (await BrokerReceivesAsync()).PacketIdentifier); // request got through
        await ackDropped;
        _proxy.Heal();
        await client.SendAsync(Packets.PingReq, Token);
        Assert.Equal(MqttPacketType.PingResp, (await client.ReadFrameAsync(Token))!.Type); // the PUBACK was swallowed
        Assert.Equal(1, _proxy.Counters.Dropped(ProxyDirection.BrokerToClient, MqttPacketType.PubAck));
    }

    [Fact]
    public async Task Faults_on_one_connection_leave_the_others_alone()
    {
        using var quiet = await ConnectedClientAsync();
        using var busy = await ConnectedClientAsync();
        var connections = _proxy.Connections.OrderBy(c => c.Id).ToArray();
        Assert.Equal([1, 2], connections.Select(c => c.Id));
        connections[0].Blackhole();
        await busy.SendAsync(Packets.PingReq, Token);
        Assert.Equal(MqttPacketType.PingResp, (await busy.ReadFrameAsync(Token))!.Type);
        connections[1].Reset();
        await Assert.ThrowsAsync<SocketException>(() => busy.ReadFrameAsync(Token));
        Assert.True(quiet.Socket.Connected);
    }

    [Fact]
    public async Task CutNextPublish_lets_the_broker_have_the_PUBLISH_and_cuts_before_its_PUBACK()
    {
        using var client = await ConnectedClientAsync();
        Assert.Equal(MqttPacketType.Connect, (await BrokerReceivesAsync()).Type);
        var cut = _proxy.CutNextPublish();
        await client.SendAsync(Packets.Publish(0, 0, [0]), Token); // QoS 0 has no PUBACK: not the one cut
        await client.SendAsync(Packets.Publish(1, 21, [1]), Token);

        Assert.Equal((ushort)21, await cut.WaitAsync(Token));
        Assert.Equal(0, (await BrokerReceivesAsync()).PublishQos);
        Assert.Equal((ushort?)21, (await BrokerReceivesAsync()).PacketIdentifier); // the broker got it...
        await Assert.ThrowsAsync<SocketException>(() => client.ReadFrameAsync(Token)); // ...the client got a reset, no PUBACK
        Assert.Equal(1, _proxy.Counters.Dropped(ProxyDirection.BrokerToClient, MqttPacketType.PubAck));
        Assert.Equal(0, _proxy.Counters.Forwarded(ProxyDirection.BrokerToClient, MqttPacketType.PubAck));

        // One cut only: the next connection's publishes are acknowledged.
        using var again = await ConnectedClientAsync();
        await again.SendAsync(Packets.Publish(1, 22, [2]), Token);
        Assert.Equal(MqttPacketType.PubAck, (await again.ReadFrameAsync(Token))!.Type);
    }

    [Fact]
    public async Task RefuseConnections_resets_new_connections_until_healed()
    {
        _proxy.RefuseConnections = true;
        await Assert.ThrowsAnyAsync<SocketException>(() => ConnectAndReadAsync(_proxy.Port));

        _proxy.Heal();
        using var client = await ConnectedClientAsync();
        Assert.Equal(1, _proxy.ConnectionsAccepted);
    }

    [Fact]
    public async Task A_broker_that_is_down_looks_like_a_reset()
    {
        await using var nowhere = FaultProxy.Start("127.0.0.1", FreePort());
        await Assert.ThrowsAnyAsync<SocketException>(() => ConnectAndReadAsync(nowhere.Port));
        Assert.Equal(0, nowhere.ConnectionsAccepted);
    }

    [Fact]
    public async Task Delay_holds_each_packet_back()
    {
        using var client = await ConnectedClientAsync();
        var delay = TimeSpan.FromMilliseconds(80);
        _proxy.Delay(ProxyDirection.BrokerToClient, delay);
        var watch = Stopwatch.StartNew();
        await client.SendAsync(Packets.PingReq, Token);
        Assert.Equal(MqttPacketType.PingResp, (await client.ReadFrameAsync(Token))!.Type);
        Assert.True(watch.Elapsed >= delay - TimeSpan.FromMilliseconds(5), $"PINGRESP came back after {watch.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Throttle_paces_packets_to_the_byte_rate_and_loses_none()
    {
        using var client = await ConnectedClientAsync();
        _proxy.Throttle(ProxyDirection.ClientToBroker, bytesPerSecond: 2000);
        var watch = Stopwatch.StartNew();
        var payload = new byte[96];
        for (ushort id = 1; id <= 5; id++)
        {
            await client.SendAsync(Packets.Publish(1, id, payload), Token); // about 100 bytes each: 5 take 0.25 s at 2000 B/s
        }

        for (int publishes = 0; publishes < 5;)
        {
            publishes += (await BrokerReceivesAsync()).Type == MqttPacketType.Publish ? 1 : 0; // CONNECT came first
        }

        // The fifth is written after the first four have used up their transmission time.
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(190), $"5 packets of ~100 bytes passed a 2000 B/s throttle in {watch.Elapsed.TotalMilliseconds} ms");
        _proxy.Heal();
        Assert.Equal(0, _proxy.ThrottleOf(ProxyDirection.ClientToBroker));
    }

    [Fact]
    public async Task A_standing_delay_also_holds_back_connections_made_later()
    {
        var delay = TimeSpan.FromMilliseconds(80);
        _proxy.Delay(ProxyDirection.ClientToBroker, delay);
        var watch = Stopwatch.StartNew();
        using var client = await ConnectedClientAsync(); // CONNECT waits 80 ms on its way to the broker
        Assert.True(watch.Elapsed >= delay - TimeSpan.FromMilliseconds(5), $"CONNACK came back after {watch.Elapsed.TotalMilliseconds} ms");

        _proxy.Heal();
        Assert.Equal(TimeSpan.Zero, _proxy.DelayOf(ProxyDirection.ClientToBroker));
    }

    [Fact]
    public async Task Closing_the_client_side_sends_it_FIN_and_leaves_the_broker_side_open()
    {
        using var client = await ConnectedClientAsync();
        var serverSide = await _broker.Accepted.Reader.ReadAsync(Token);
        _proxy.Connections.Single().Close(ProxySide.Client);
        Assert.Null(await client.ReadFrameAsync(Token)); // FIN, not RST

        // The broker side is still open: what it sends now is read by the proxy (and dropped, the client being gone).
        var dropped = DroppedAsync(1);
        await serverSide.SendAsync(Packets.PingResp, Token);
        await dropped;
        Assert.Equal(1, _proxy.Counters.Dropped(ProxyDirection.BrokerToClient, MqttPacketType.PingResp));
        Assert.False(_broker.Ended.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Malformed_input_resets_the_connection()
    {
        using var client = await ConnectedClientAsync();
        await client.SendAsync([0x00, 0x00], Token); // reserved packet type 0
        await Assert.ThrowsAsync<SocketException>(() => client.ReadFrameAsync(Token));
    }

    /// <summary>Connects, sends CONNECT and reads; a reset at any step throws, and so (as a reset) does end of stream.</summary>
    private async Task ConnectAndReadAsync(int port)
    {
        using var client = await FrameSocket.ConnectAsync(port, Token);
        await client.SendAsync(Packets.Connect, Token);
        if (await client.ReadFrameAsync(Token) is null)
        {
            throw new SocketException((int)SocketError.ConnectionReset);
        }
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
