using StateMachineMqtt.Nano.Client;
using StateMachineMqtt.PropertyTests.Simulation.Time;

namespace StateMachineMqtt.PropertyTests.Nano.Simulated;

/// <summary>The device client's clock: the simulation's virtual time, in milliseconds.</summary>
public sealed class SimulatedNanoClock(VirtualTimeProvider time) : INanoClock
{
    /// <inheritdoc />
    public long NowMilliseconds => (long)time.Elapsed.TotalMilliseconds;
}
