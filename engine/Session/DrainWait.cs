namespace StateMachineMqtt.Engine
{
    /// <summary>A caller waiting for every message accepted up to <see cref="UpTo"/> (an acceptance sequence number) to complete.</summary>
    internal sealed class DrainWait
    {
        internal object Caller;
        internal long UpTo;
    }
}
