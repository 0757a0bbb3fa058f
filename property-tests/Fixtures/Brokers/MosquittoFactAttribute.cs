using Xunit;

namespace StateMachineMqtt.PropertyTests.Fixtures.Brokers;

/// <summary>A fact that needs the Mosquitto broker; skipped, with the reason, where it is not installed.</summary>
public sealed class MosquittoFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when <see cref="MosquittoBroker.IsInstalled"/> is false.</summary>
    public MosquittoFactAttribute()
    {
        if (!MosquittoBroker.IsInstalled)
        {
            Skip = MosquittoBroker.NotInstalledReason;
        }
    }
}

/// <summary>A theory that needs the Mosquitto broker; skipped, with the reason, where it is not installed.</summary>
public sealed class MosquittoTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when <see cref="MosquittoBroker.IsInstalled"/> is false.</summary>
    public MosquittoTheoryAttribute()
    {
        if (!MosquittoBroker.IsInstalled)
        {
            Skip = MosquittoBroker.NotInstalledReason;
        }
    }
}
