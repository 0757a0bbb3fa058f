using StateMachineMqtt.Nano.Client;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>Virtual milliseconds for the device client: time moves only when the test says.</summary>
public sealed class VirtualClock : INanoClock
{
    /// <inheritdoc />
    public long NowMilliseconds { get; private set; } = 1_000_000;

    /// <summary>Moves time forward.</summary>
    public void Advance(long milliseconds) => NowMilliseconds += milliseconds;
}
