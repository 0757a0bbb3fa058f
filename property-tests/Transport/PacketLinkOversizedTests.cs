using System.IO.Pipelines;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Protocol;
using StateMachineMqtt.Transport;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Transport;

/// <summary>
/// PacketLink reads past a PUBLISH over the maximum packet size: it reports its header once its last byte is in, having
/// dropped its body as it came (a pipe that stops the writer at a few hundred unread bytes proves it is never buffered),
/// and reads the next packet; anything else over the limit still fails the link.
/// </summary>
public sealed class PacketLinkOversizedTests
{
    private const int Limit = 64;

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(4_096)]
    public async Task An_oversized_PUBLISH_arriving_in_many_reads_is_reported_once_and_the_next_packet_follows(int chunk)
    {
        await using var peer = new PipePeer(pauseAt: 256);
        var events = new RecordingLinkEvents(expected: 2);
        var link = new PacketLink(peer, generation: 1, Limit, events);
        link.Start(TaskScheduler.Default);

        byte[] big = PacketBytes.Encode(new PublishPacket("big/t", new byte[20_000], MqttQualityOfService.AtLeastOnce, false, false, 7));
        byte[] small = PacketBytes.Encode(new PublishPacket("small", new byte[] { 5 }, MqttQualityOfService.AtLeastOnce, false, false, 8));
        await peer.WriteInChunksAsync(big, chunk); // the writer would stall for good if the body were held unread
        await peer.WriteInChunksAsync(small, small.Length);

        IReadOnlyList<MqttPacket> packets = await events.Arrived.WaitAsync(LinkIo.Patience);
        var oversized = Assert.IsType<OversizedPublishPacket>(packets[0]);
        Assert.Equal(("big/t", 7, big.Length), (oversized.Topic, (int)oversized.PacketId, oversized.PacketSize));
        Assert.Equal("small", Assert.IsType<PublishPacket>(packets[1]).Topic);
        Assert.Null(events.Failure);
        link.Close(TaskScheduler.Default);
    }

    [Fact]
    public async Task Bytes_of_a_packet_still_coming_are_reported_so_keepalive_hears_them()
    {
        // A large message on a slow link: keepalive must not call the link silent while its bytes are arriving (I5).
        await using var peer = new PipePeer(pauseAt: 256);
        var events = new RecordingLinkEvents(expected: 1);
        var link = new PacketLink(peer, generation: 1, Limit, events);
        link.Start(TaskScheduler.Default);

        byte[] big = PacketBytes.Encode(new PublishPacket("big/t", new byte[1_000], MqttQualityOfService.AtMostOnce, false, false, 0));
        await peer.WriteInChunksAsync(big[..5], 5); // inside the variable header: not even the topic is in
        await events.PartReceived.WaitAsync(LinkIo.Patience);
        await peer.WriteInChunksAsync(big[5..], 100);

        Assert.IsType<OversizedPublishPacket>(Assert.Single(await events.Arrived.WaitAsync(LinkIo.Patience)));
        Assert.True(events.Parts >= 1);
        link.Close(TaskScheduler.Default);
    }

    [Fact]
    public async Task The_stream_ending_inside_the_skipped_body_fails_the_link_saying_so()
    {
        await using var peer = new PipePeer(pauseAt: 256);
        var events = new RecordingLinkEvents(expected: 1);
        var link = new PacketLink(peer, generation: 1, Limit, events);
        link.Start(TaskScheduler.Default);

        byte[] big = PacketBytes.Encode(new PublishPacket("big/t", new byte[1_000], MqttQualityOfService.AtMostOnce, false, false, 0));
        await peer.WriteInChunksAsync(big[..500], 100);
        await peer.CompleteAsync();

        Exception failure = await events.Failed.WaitAsync(LinkIo.Patience);
        Assert.IsType<EndOfStreamException>(failure);
        Assert.Contains("in the middle of an oversized PUBLISH to \"big/t\" (510 of its 1010 bytes never came)", failure.Message, StringComparison.Ordinal);
        Assert.Empty(events.Packets);
        link.Close(TaskScheduler.Default);
    }

    [Fact]
    public async Task An_oversized_packet_of_another_type_fails_the_link_as_a_protocol_violation()
    {
        await using var peer = new PipePeer(pauseAt: 1 << 16);
        var events = new RecordingLinkEvents(expected: 1);
        var link = new PacketLink(peer, generation: 1, Limit, events);
        link.Start(TaskScheduler.Default);

        await peer.WriteInChunksAsync(PacketBytes.Encode(new SubAckPacket(3, new byte[200])), 1_000);

        Exception failure = await events.Failed.WaitAsync(LinkIo.Patience);
        Assert.Contains("SUBACK of 205 bytes exceeds the maximum packet size of 64 bytes", Assert.IsType<MqttProtocolException>(failure).Message, StringComparison.Ordinal);
        link.Close(TaskScheduler.Default);
    }

    /// <summary>The broker's end as a pipe whose writer waits once <c>pauseAt</c> bytes are unread by the link.</summary>
    private sealed class PipePeer(int pauseAt) : IMqttLink
    {
        private readonly Pipe _toClient = new(new PipeOptions(pauseWriterThreshold: pauseAt, resumeWriterThreshold: pauseAt / 2, useSynchronizationContext: false));
        private readonly Pipe _fromClient = new();

        public PipeReader Input => _toClient.Reader;

        public PipeWriter Output => _fromClient.Writer;

        public async Task WriteInChunksAsync(byte[] bytes, int chunk)
        {
            for (int at = 0; at < bytes.Length; at += chunk)
            {
                await _toClient.Writer.WriteAsync(bytes.AsMemory(at, Math.Min(chunk, bytes.Length - at))).AsTask().WaitAsync(LinkIo.Patience);
            }
        }

        public ValueTask CompleteAsync() => _toClient.Writer.CompleteAsync();

        public async ValueTask DisposeAsync()
        {
            await _toClient.Writer.CompleteAsync();
            await _fromClient.Reader.CompleteAsync();
        }
    }

    private sealed class RecordingLinkEvents(int expected) : ILinkEvents
    {
        private readonly TaskCompletionSource<IReadOnlyList<MqttPacket>> _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<Exception> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<MqttPacket> Packets { get; } = [];

        public Exception? Failure { get; private set; }

        public Task<IReadOnlyList<MqttPacket>> Arrived => _arrived.Task;

        public Task<Exception> Failed => _failed.Task;

        private readonly TaskCompletionSource _partReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes at the first report of bytes with no whole packet yet.</summary>
        public Task PartReceived => _partReceived.Task;

        public int Parts => Volatile.Read(ref _parts);

        private int _parts;

        void ILinkEvents.PartReceived(int generation)
        {
            Interlocked.Increment(ref _parts);
            _partReceived.TrySetResult();
        }

        public ValueTask PacketArrivedAsync(int generation, MqttPacket packet, CancellationToken cancellationToken)
        {
            lock (Packets)
            {
                Packets.Add(packet);
                if (Packets.Count == expected)
                {
                    _arrived.TrySetResult([.. Packets]);
                }
            }

            return ValueTask.CompletedTask;
        }

        public void Flushed(int generation, object token)
        {
        }

        void ILinkEvents.Failed(int generation, Exception exception)
        {
            Failure = exception;
            _failed.TrySetResult(exception);
        }

        public void Pending(int generation)
        {
        }
    }
}
