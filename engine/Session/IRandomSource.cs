namespace StateMachineMqtt.Engine
{
    /// <summary>Random numbers for backoff jitter, supplied by the driver (seeded in tests, so a schedule replays).</summary>
    public interface IRandomSource
    {
        /// <summary>A value in [0, <paramref name="exclusiveMaximum"/>).</summary>
        int Next(int exclusiveMaximum);
    }
}
