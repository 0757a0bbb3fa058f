using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using StateMachineMqtt.PropertyTests.Simulation.Network;
using StateMachineMqtt.PropertyTests.Simulation.Scheduling;
using StateMachineMqtt.PropertyTests.Simulation.Time;
using StateMachineMqtt.Transport;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Simulation.Tests;

/// <summary>The network alone, with a server that only keeps the links it is given.</summary>
public sealed class SimulatedNetworkTests
{
    private readonly VirtualTimeProvider _time = new();
    private readonly DeterministicScheduler _scheduler = new();
    private readonly SimulatedNetwork _network;
    private readonly KeepingServer _server = new();
    private readonly SimulatedTransport _transport;

    public SimulatedNetworkTests()
    {
        var log = new SimulationLog(() => _time.Elapsed);
        _network = new SimulatedNetwork(_time, log, new SchedulerPipeScheduler(_scheduler));
        _network.Attach(_server);
        _transport = _network.CreateTransport("c1");
    }

    [Theory]
    [InlineData(ConnectFault.NetworkDown, SocketError.NetworkUnreachable)]
    [InlineData(ConnectFault.Refused, SocketError.ConnectionRefused)]
    [InlineData(ConnectFault.HostNotFound, SocketError.HostNotFound)]
    public async Task Connect_fault_surfaces_as_its_socket_error_and_opens_no_link(ConnectFault fault, SocketError expected)
    {
        _network.ConnectFault = fault;

        var error = await Assert.ThrowsAsync<SocketException>(() => _transport.ConnectAsync(CancellationToken.None).AsTask());

        Assert.Equal(expected, error.SocketErrorCode);
        Assert.Equal(0, _network.LinksOpened);
        Assert.Equal(1, _network.ConnectAttempts);
    }

    [Fact]
    public async Task Network_down_error_can_be_chosen_and_clearing_the_fault_lets_connects_through()
    {
        _network.ConnectFault = ConnectFault.NetworkDown;
        _network.NetworkDownError = SocketError.HostUnreachable;

        var error = await Assert.ThrowsAsync<SocketException>(() => _transport.ConnectAsync(CancellationToken.None).AsTask());
        _network.ConnectFault = ConnectFault.None;
        IMqttLink link = await _transport.ConnectAsync(CancellationToken.None);

        Assert.Equal(SocketError.HostUnreachable, error.SocketErrorCode);
        Assert.Same(_server.Links.Single().ClientEnd, link);
        Assert.Equal(1, _network.LinksOpened);
    }

    [Fact]
    public async Task In_progress_is_reported_the_set_number_of_times_then_the_connect_succeeds()
    {
        _network.InProgressRemaining = 2;

        for (int i = 0; i < 2; i++)
        {
            var error = await Assert.ThrowsAsync<SocketException>(() => _transport.ConnectAsync(CancellationToken.None).AsTask());
            Assert.Equal(SocketError.InProgress, error.SocketErrorCode);
        }

        await _transport.ConnectAsync(CancellationToken.None);
        Assert.Equal(1, _network.LinksOpened);
        Assert.Equal(3, _network.ConnectAttempts);
    }

    [Fact]
    public async Task Blackholed_connect_never_completes_until_cancelled()
    {
        _network.ConnectFault = ConnectFault.Blackholed;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30), _time);

        Task connect = _transport.ConnectAsync(cts.Token).AsTask();
        _time.Advance(TimeSpan.FromSeconds(29));
        _scheduler.RunUntilIdle();
        Assert.False(connect.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connect);
        Assert.Equal(0, _network.LinksOpened);
    }

    [Fact]
    public async Task Stopped_server_refuses_connects()
    {
        _server.IsAccepting = false;

        var error = await Assert.ThrowsAsync<SocketException>(() => _transport.ConnectAsync(CancellationToken.None).AsTask());

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    [Fact]
    public async Task Connect_latency_is_spent_in_virtual_time()
    {
        _network.ConnectLatency = TimeSpan.FromMilliseconds(200);

        Task<IMqttLink> connect = _transport.ConnectAsync(CancellationToken.None).AsTask();
        Assert.False(connect.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        _scheduler.RunUntilIdle();

        Assert.True(connect.IsCompletedSuccessfully);
        Assert.Equal(1, _network.LinksOpened);
    }

    [Fact]
    public async Task Bytes_flow_both_ways_and_are_counted()
    {
        IMqttLink client = await _transport.ConnectAsync(CancellationToken.None);
        SimulatedLink link = _server.Links.Single();

        await client.Output.WriteAsync(new byte[] { 1, 2, 3 });
        await link.BrokerEnd.Output.WriteAsync(new byte[] { 9 });

        Assert.Equal(new byte[] { 1, 2, 3 }, await ReadSomeAsync(link.BrokerEnd.Input));
        Assert.Equal(new byte[] { 9 }, await ReadSomeAsync(client.Input));
        Assert.Equal(3, link.ClientBytesDelivered);
        Assert.Equal(1, link.BrokerBytesDelivered);
    }

    [Fact]
    public async Task Reset_fails_pending_and_later_reads_and_writes_on_both_ends_with_ConnectionReset()
    {
        IMqttLink client = await _transport.ConnectAsync(CancellationToken.None);
        SimulatedLink link = _server.Links.Single();
        Task<ReadResult> pendingClientRead = client.Input.ReadAsync().AsTask();

        link.Reset();
        _scheduler.RunUntilIdle();

        Assert.Equal(SocketError.ConnectionReset, (await Assert.ThrowsAsync<SocketException>(() => pendingClientRead)).SocketErrorCode);
        Assert.Equal(SocketError.ConnectionReset, (await Assert.ThrowsAsync<SocketException>(() => link.BrokerEnd.Input.ReadAsync().AsTask())).SocketErrorCode);
        Assert.Equal(SocketError.ConnectionReset, (await Assert.ThrowsAsync<SocketException>(() => client.Output.WriteAsync(new byte[] { 1 }).AsTask())).SocketErrorCode);
        Assert.Equal(SocketError.ConnectionReset, (await Assert.ThrowsAsync<SocketException>(() => link.BrokerEnd.Output.WriteAsync(new byte[] { 1 }).AsTask())).SocketErrorCode);
        Assert.Equal(LinkState.Reset, link.State);
    }

    [Fact]
    public async Task Close_delivers_what_was_sent_then_end_of_stream_and_later_writes_report_completion()
    {
        IMqttLink client = await _transport.ConnectAsync(CancellationToken.None);
        SimulatedLink link = _server.Links.Single();
        await link.BrokerEnd.Output.WriteAsync(new byte[] { 7 });

        link.Close();
        ReadResult read = await client.Input.ReadAsync();
        FlushResult write = await client.Output.WriteAsync(new byte[] { 1 });

        Assert.True(read.IsCompleted);
        Assert.Equal(new byte[] { 7 }, read.Buffer.ToArray());
        Assert.True(write.IsCompleted);
        Assert.Equal(1, link.ClientBytesLost);
    }

    [Fact]
    public async Task Half_open_link_swallows_bytes_both_ways_and_never_surfaces_an_error()
    {
        IMqttLink client = await _transport.ConnectAsync(CancellationToken.None);
        SimulatedLink link = _server.Links.Single();
        Task<ReadResult> clientRead = client.Input.ReadAsync().AsTask();
        Task<ReadResult> brokerRead = link.BrokerEnd.Input.ReadAsync().AsTask();

        link.MakeHalfOpen();
        FlushResult clientWrite = await client.Output.WriteAsync(new byte[] { 1, 2 });
        FlushResult brokerWrite = await link.BrokerEnd.Output.WriteAsync(new byte[] { 3 });
        await client.DisposeAsync();
        _time.Advance(TimeSpan.FromHours(1));
        _scheduler.RunUntilIdle();

        Assert.False(clientWrite.IsCompleted);
        Assert.False(brokerWrite.IsCompleted);
        Assert.False(brokerRead.IsCompleted, "the broker must not even see the client's FIN");
        Assert.True(clientRead.IsCompleted, "the client's own dispose ends its pending read");
        Assert.Equal(2, link.ClientBytesLost);
        Assert.Equal(1, link.BrokerBytesLost);
    }

    [Fact]
    public async Task Failed_client_write_throws_the_chosen_error_and_resets_the_link()
    {
        IMqttLink client = await _transport.ConnectAsync(CancellationToken.None);
        SimulatedLink link = _server.Links.Single();

        link.FailNextClientWrite(SocketError.ConnectionAborted);
        var error = await Assert.ThrowsAsync<SocketException>(() => client.Output.WriteAsync(new byte[] { 1 }).AsTask());

        Assert.Equal(SocketError.ConnectionAborted, error.SocketErrorCode);
        Assert.Equal(LinkState.Reset, link.State);
        await Assert.ThrowsAsync<SocketException>(() => link.BrokerEnd.Input.ReadAsync().AsTask());
    }

    [Fact]
    public async Task Client_dispose_sends_FIN_to_the_broker_end()
    {
        IMqttLink client = await _transport.ConnectAsync(CancellationToken.None);
        SimulatedLink link = _server.Links.Single();

        await client.DisposeAsync();
        ReadResult read = await link.BrokerEnd.Input.ReadAsync();

        Assert.True(read.IsCompleted);
        Assert.True(link.ClientDisposed);
        Assert.Equal(LinkState.Closed, link.State);
    }

    [Fact]
    public async Task Network_wide_faults_hit_every_live_link()
    {
        await _transport.ConnectAsync(CancellationToken.None);
        await _network.CreateTransport("c2").ConnectAsync(CancellationToken.None);

        _network.HalfOpenAllLinks();
        Assert.All(_network.Links, l => Assert.Equal(LinkState.HalfOpen, l.State));
        _network.ResetAllLinks();

        Assert.All(_network.Links, l => Assert.Equal(LinkState.Reset, l.State));
        Assert.Empty(_network.LiveLinks);
        Assert.Equal(["c1", "c2"], _network.Links.Select(l => l.TransportName));
    }

    [Fact]
    public async Task Latency_delays_bytes_and_FIN_in_order_even_when_lowered()
    {
        _network.LinkLatency = TimeSpan.FromMilliseconds(100);
        IMqttLink client = await _transport.ConnectAsync(CancellationToken.None);
        SimulatedLink link = _server.Links.Single();
        Task<byte[]> all = ReadToEndAsync(link.BrokerEnd.Input);

        await client.Output.WriteAsync(new byte[] { 1 });
        link.Latency = TimeSpan.FromMilliseconds(10);
        await client.Output.WriteAsync(new byte[] { 2 });
        await client.Output.CompleteAsync();
        Step(TimeSpan.FromMilliseconds(99));
        Assert.Equal(0, link.ClientBytesDelivered);
        Step(TimeSpan.FromMilliseconds(1));

        Assert.Equal(new byte[] { 1, 2 }, await all);
        Assert.Equal(2, link.ClientBytesDelivered);
    }

    [Fact]
    public async Task Bytes_in_flight_are_lost_when_the_link_resets()
    {
        _network.LinkLatency = TimeSpan.FromMilliseconds(50);
        IMqttLink client = await _transport.ConnectAsync(CancellationToken.None);
        SimulatedLink link = _server.Links.Single();

        await client.Output.WriteAsync(new byte[] { 1, 2, 3 });
        link.Reset();
        Step(TimeSpan.FromMilliseconds(50));

        Assert.Equal(0, link.ClientBytesDelivered);
        Assert.Equal(3, link.ClientBytesLost);
        await Assert.ThrowsAsync<SocketException>(() => link.BrokerEnd.Input.ReadAsync().AsTask());
    }

    private void Step(TimeSpan delta)
    {
        _time.Advance(delta);
        _scheduler.RunUntilIdle();
    }

    private async Task<byte[]> ReadToEndAsync(PipeReader reader)
    {
        var bytes = new List<byte>();
        while (true)
        {
            ReadResult result = await reader.ReadAsync();
            bytes.AddRange(result.Buffer.ToArray());
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return [.. bytes];
            }
        }
    }

    private async Task<byte[]> ReadSomeAsync(PipeReader reader)
    {
        Task<ReadResult> read = reader.ReadAsync().AsTask();
        _scheduler.RunUntilIdle();
        ReadResult result = await read;
        byte[] bytes = result.Buffer.ToArray();
        reader.AdvanceTo(result.Buffer.End);
        return bytes;
    }

    private sealed class KeepingServer : ISimulatedServer
    {
        public bool IsAccepting { get; set; } = true;

        public List<SimulatedLink> Links { get; } = [];

        public void Accept(SimulatedLink link) => Links.Add(link);
    }
}
