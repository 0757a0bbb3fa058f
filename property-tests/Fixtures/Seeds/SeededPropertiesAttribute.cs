using FsCheck.Xunit;

namespace StateMachineMqtt.PropertyTests.Fixtures.Seeds;

/// <summary>
/// Assembly-wide FsCheck settings: every <c>[Property]</c> starts from <see cref="TestSeeds.Replay"/>. A property may still
/// set its own Replay, which wins (a regression replaying a seed that once failed).
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class, AllowMultiple = false)]
public sealed class SeededPropertiesAttribute : PropertiesAttribute
{
    /// <summary>Sets Replay to this run's seed, and prints passing results only when the seed was drawn at random.</summary>
    public SeededPropertiesAttribute()
    {
        Replay = TestSeeds.Replay;
        QuietOnSuccess = !TestSeeds.IsRandom;
    }
}
