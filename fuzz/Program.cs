using System.Globalization;
using SharpFuzz;
using StateMachineMqtt.Fuzz;

// fuzz <target>              run under afl-fuzz (SharpFuzz's persistent mode): stdin is one input
// corpus <dir>               write the seed corpus to <dir>/<target>/
// replay <target> <file>...  decode files with one target, as the fuzzer did, and say what became of each
const string Usage = "usage: StateMachineMqtt.Fuzz fuzz <target> | corpus <dir> | replay <target> <file>...\n  targets: core311, core5, nano311, nano5, all (each decoder in turn)";
if (args.Length >= 2 && args[0] == "fuzz" && DecoderTargets.TryParse(args[1], out DecoderTarget fuzzed))
{
    Fuzzer.Run(stream =>
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        DecoderTargets.Decode(fuzzed, copy.ToArray());
    });
    return 0;
}

if (args.Length == 2 && args[0] == "corpus")
{
    int files = SeedCorpus.Write(args[1]);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {files} seed files under {args[1]}."));
    return 0;
}

if (args.Length >= 3 && args[0] == "replay" && DecoderTargets.TryParse(args[1], out DecoderTarget replayed))
{
    int failures = 0;
    foreach (string file in args.Skip(2))
    {
        try
        {
            DecodeOutcome outcome = DecoderTargets.Decode(replayed, File.ReadAllBytes(file));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: {outcome.Packets} packet(s), {(outcome.Refused ? "then refused" : "then wants more")}"));
        }
#pragma warning disable CA1031 // Replay reports whatever the decoder throws, which is the point of it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failures++;
            Console.WriteLine($"{file}: FINDING {e}");
        }
    }

    return failures == 0 ? 0 : 1;
}

Console.Error.WriteLine(Usage);
return 2;
