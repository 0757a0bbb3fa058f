using StateMachineMqtt.Nano.Client;
using StateMachineMqtt.PropertyTests.Simulation;

namespace StateMachineMqtt.PropertyTests.Nano.Simulated;

/// <summary>
/// The device's main loop on virtual time: a world.Time timer calls client.Poll() every <see cref="PeriodMilliseconds"/>,
/// on the world's scheduler. An exception from Poll is kept (and polling stops) so the property can report it.
/// </summary>
internal sealed class NanoPollDriver : IDisposable
{
    /// <summary>Virtual milliseconds between polls, by default.</summary>
    public const int PeriodMilliseconds = 10;

    private readonly ITimer _timer;
    private readonly NanoMqttClient _client;

    /// <summary>Starts polling <paramref name="client"/> on <paramref name="world"/> every <paramref name="periodMilliseconds"/>.</summary>
    public NanoPollDriver(SimulationWorld world, NanoMqttClient client, int periodMilliseconds = PeriodMilliseconds)
    {
        _client = client;
        TimeSpan period = TimeSpan.FromMilliseconds(periodMilliseconds);
        _timer = world.Time.CreateTimer(_ => PollOnce(), null, period, period);
    }

    /// <summary>The first exception Poll threw, or null.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Polls now, outside the timer (e.g. right after an API call, as a device loop would).</summary>
    public void PollOnce()
    {
        if (Failure is not null)
        {
            return;
        }

        try
        {
            _client.Poll();
        }
        catch (Exception e)
        {
            Failure = e;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();
}
