using System.Globalization;
using System.Security.Cryptography;
using System.Runtime.CompilerServices;
using FsCheck;
using FsCheck.Fluent;

namespace StateMachineMqtt.PropertyTests.Fixtures.Seeds;

/// <summary>
/// The seed every FsCheck property and <c>Check.One</c> run in this assembly starts from. Fixed by default, so two runs
/// of the README's command give the same pass/fail set. <c>SMQTT_RANDOM_SEEDS=1</c> draws a fresh seed for the run (to
/// hunt for new bugs) and prints it with its replay line; <c>SMQTT_SEED=seed,gamma</c> replays one.
/// </summary>
public static class TestSeeds
{
    /// <summary>Draw a fresh seed for this run.</summary>
    public const string RandomVariable = "SMQTT_RANDOM_SEEDS";

    /// <summary>Replay this seed ("seed,gamma", as printed).</summary>
    public const string SeedVariable = "SMQTT_SEED";

    /// <summary>The default seed: FsCheck's (seed, gamma) pair; gamma must be odd.</summary>
    public const string Fixed = "2026,11400714819323198485";

    private static readonly Lazy<string> Current = new(Choose);

    /// <summary>True when this run drew its seed at random.</summary>
    public static bool IsRandom => Environment.GetEnvironmentVariable(SeedVariable) is not { Length: > 0 }
        && Environment.GetEnvironmentVariable(RandomVariable) == "1";

    /// <summary>This run's seed, "seed,gamma": <see cref="SeedVariable"/>, else a random one, else <see cref="Fixed"/>.</summary>
    public static string Replay => Current.Value;

    /// <summary>The line that replays this run's seed.</summary>
    public static string ReplayLine(string? filter = null) =>
        $"{SeedVariable}={Replay} dotnet test property-tests" + (filter is null ? "" : $" --filter \"FullyQualifiedName~{filter}\"");

    /// <summary>FsCheck's quick configuration (throw on failure, quiet on success) started from this run's seed.</summary>
    public static Config Quick(int maxTest)
    {
        string[] parts = Replay.Split(',');
        return Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithQuietOnSuccess(!IsRandom)
            .WithReplay(ulong.Parse(parts[0], CultureInfo.InvariantCulture), ulong.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Checks <paramref name="property"/> with <see cref="Quick"/>; a failure's message ends with the line that replays it
    /// (FsCheck's own message above it holds the seed and the shrunk input).
    /// </summary>
    public static void Check(Property property, int maxTest, [CallerMemberName] string test = "")
    {
        try
        {
            FsCheck.Check.One(Quick(maxTest), property);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}{Environment.NewLine}Seed {Replay}. Replay: {ReplayLine(test)}");
        }
    }

    private static string Choose()
    {
        if (Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } given)
        {
            string[] parts = given.Trim('(', ')', ' ').Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !ulong.TryParse(parts[0], CultureInfo.InvariantCulture, out _) || !ulong.TryParse(parts[1], CultureInfo.InvariantCulture, out ulong gamma))
            {
                throw new InvalidOperationException($"{SeedVariable}='{given}' is not a seed: give two unsigned integers, 'seed,gamma', as a failing run printed them.");
            }

            return $"{parts[0]},{gamma | 1}";
        }

        if (Environment.GetEnvironmentVariable(RandomVariable) != "1")
        {
            return Fixed;
        }

        ulong seed = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        ulong oddGamma = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) | 1;
        string drawn = string.Create(CultureInfo.InvariantCulture, $"{seed},{oddGamma}");
        Announce(drawn);
        return drawn;
    }

    private static void Announce(string drawn)
    {
        string line = $"{RandomVariable}=1: this run's seed is {drawn}; replay it with: {SeedVariable}={drawn} dotnet test property-tests";
        Console.Error.WriteLine(line);
        Console.WriteLine(line);
    }
}
