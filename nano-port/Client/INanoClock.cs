namespace StateMachineMqtt.Nano.Client
{
    /// <summary>Monotonic time in milliseconds. The device uses its uptime; tests move a virtual clock.</summary>
    public interface INanoClock
    {
        /// <summary>Milliseconds since an arbitrary, fixed start; never goes backwards.</summary>
        long NowMilliseconds { get; }
    }
}
