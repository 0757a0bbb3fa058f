using StateMachineMqtt.Protocol;
using StateMachineMqtt.PropertyTests.Simulation;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>On a real clock time moves while the loop works: guards must still read one consistent instant.</summary>
public class ClockScenarios
{
    /// <summary>
    /// Virtual time made to behave like a real clock: every read is 0.4 ms later than the one before, and timers fire up to
    /// a millisecond early (OS timer granularity), so a firing can straddle a guard's boundary between two reads.
    /// </summary>
    private sealed class CreepingClock(TimeProvider inner) : TimeProvider
    {
        private static readonly TimeSpan Early = TimeSpan.FromMilliseconds(1);
        private long _reads;

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Increment(ref _reads) * 4000);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            inner.CreateTimer(callback, state, dueTime > Early ? dueTime - Early : dueTime, period);
    }

    [Fact]
    public void Keepalive_guards_stay_exclusive_while_the_clock_moves_between_reads()
    {
        var world = new SimulationWorld(90);
        var options = new MqttClientOptions { ClientId = "creep", KeepAlive = TimeSpan.FromSeconds(4), ResponseTime = TimeSpan.FromSeconds(1), ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), seed: 28) };
        var client = new MqttClient(options, new CreepingClock(world.Time), null, world.Network.CreateTransport("creep"), world.Scheduler, null);
        world.Await(world.Start(() => client.ConnectAsync()), TimeSpan.FromSeconds(5));

        for (int i = 0; i < 200; i++)
        {
            _ = world.Start(() => client.PublishAsync("t", new byte[] { 1 }, MqttQualityOfService.AtMostOnce));
            world.RunFor(TimeSpan.FromMilliseconds(997));
        }

        Assert.True(client.IsConnected, world.Describe());
        world.Await(world.Start(() => client.PublishAsync("t", new byte[] { 2 }, MqttQualityOfService.AtLeastOnce)), TimeSpan.FromSeconds(5));
        Assert.Empty(world.Broker.Violations);
    }
}
