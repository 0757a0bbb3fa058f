using StateMachineMqtt.Cli.Commands;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Cli;

public sealed class PublishPipelineTests
{
    /// <summary>A publish call whose completions the test controls.</summary>
    private sealed class FakePublisher
    {
        public List<(byte Id, TaskCompletionSource Done)> Calls { get; } = [];

        public Task Publish(ReadOnlyMemory<byte> payload, CancellationToken _)
        {
            var done = new TaskCompletionSource();
            Calls.Add((payload.Span[0], done));
            return done.Task;
        }
    }

    [Fact]
    public async Task Keeps_up_to_window_in_flight_then_waits_for_the_oldest()
    {
        var fake = new FakePublisher();
        var pipeline = new PublishPipeline(fake.Publish, window: 3);
        for (byte i = 0; i < 3; i++)
        {
            await pipeline.AddAsync(new[] { i }, CancellationToken.None);
        }

        Assert.Equal(3, fake.Calls.Count); // all three issued without any completing

        var fourth = pipeline.AddAsync(new byte[] { 3 }, CancellationToken.None);
        Assert.False(fourth.IsCompleted);
        Assert.Equal(3, fake.Calls.Count);

        fake.Calls[1].Done.SetResult(); // a later one completing does not free the window: order is by the oldest
        Assert.False(fourth.IsCompleted);

        fake.Calls[0].Done.SetResult();
        await fourth;
        Assert.Equal([0, 1, 2, 3], fake.Calls.Select(c => c.Id));
        Assert.Equal(1, pipeline.Completed);

        var drain = pipeline.DrainAsync();
        Assert.False(drain.IsCompleted);
        fake.Calls[2].Done.SetResult();
        fake.Calls[3].Done.SetResult();
        await drain;
        Assert.Equal(4, pipeline.Completed);
        Assert.Equal(4, pipeline.Issued);
    }

    [Fact]
    public async Task A_failed_publish_surfaces()
    {
        var fake = new FakePublisher();
        var pipeline = new PublishPipeline(fake.Publish, window: 2);
        await pipeline.AddAsync(new byte[] { 0 }, CancellationToken.None);
        fake.Calls[0].Done.SetException(new IOException("boom"));
        var e = await Assert.ThrowsAsync<IOException>(() => pipeline.DrainAsync());
        Assert.Equal("boom", e.Message);
    }
}
