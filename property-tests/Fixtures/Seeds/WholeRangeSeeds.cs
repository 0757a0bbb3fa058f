using FsCheck;
using FsCheck.Fluent;

namespace StateMachineMqtt.PropertyTests.Fixtures.Seeds;

/// <summary>
/// An FsCheck Arbitrary for properties that take an int seed for a <see cref="Random"/>: seeds over the whole non-negative
/// range. FsCheck's own ints stay within about [-100, 100], which would give a few hundred distinct packets at most.
/// </summary>
public static class WholeRangeSeeds
{
    public static Arbitrary<int> Ints() => Arb.From(Gen.Choose(0, int.MaxValue));
}
