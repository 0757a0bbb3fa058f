namespace StateMachineMqtt.Engine
{
    /// <summary>
    /// A reconnect delay the application chose itself, in place of spec/'s jittered exponential backoff
    /// (<see cref="EngineOptions.Backoff"/>). It must stay bounded, or invariant I6's backoff bound is the application's.
    /// </summary>
    public interface IBackoffPolicy
    {
        /// <summary>The delay before attempt <paramref name="attempt"/> (1 for the first retry after a loss), in milliseconds.</summary>
        long DelayMs(int attempt);
    }
}
