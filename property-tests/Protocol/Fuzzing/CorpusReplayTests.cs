using StateMachineMqtt.Fuzz;

namespace StateMachineMqtt.PropertyTests.Protocol.Fuzzing;

/// <summary>
/// CI's replay of the fuzz corpus: every committed file (seeds, and any input a fuzz run found worth keeping) through every
/// decoder, both versions. <see cref="DecoderTargets.Decode"/> lets only the protocol exception end an input; anything
/// else, a packet taking fewer than 2 or more than the maximum bytes, or allocation out of proportion to the input, fails.
/// </summary>
public sealed class CorpusReplayTests
{
    [Fact]
    public void Every_corpus_file_decodes_with_every_decoder_raising_only_the_protocol_exception()
    {
        IReadOnlyList<string> files = FuzzCorpus.Files();
        Assert.True(files.Count >= 500, $"the corpus has {files.Count} files; expected the committed seeds (fuzz/corpus) and found inputs (fuzz/found)");
        var failures = new List<string>();
        foreach (string file in files)
        {
            byte[] bytes = File.ReadAllBytes(file);
            foreach (DecoderTarget target in DecoderTargets.EachDecoder)
            {
                try
                {
                    DecoderTargets.Decode(target, bytes);
                }
                catch (Exception e)
                {
                    failures.Add($"{file} with {target}: {e.GetType().Name}: {e.Message}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void The_committed_corpus_holds_every_seed_the_generator_writes()
    {
        // Regenerate with: dotnet run --project fuzz -- corpus fuzz/corpus (fuzz/README.md).
        foreach (DecoderTarget target in Enum.GetValues<DecoderTarget>())
        {
            foreach ((string name, byte[] bytes) in SeedCorpus.For(target))
            {
                string path = FuzzCorpus.PathOf(target, name);
                Assert.True(File.Exists(path), $"{path} is missing: regenerate the corpus (fuzz/README.md)");
                Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(File.ReadAllBytes(path)));
            }
        }
    }

    [Theory]
    [InlineData(DecoderTarget.Core311, "publish-qos1-dup-retain", 1, false)]
    [InlineData(DecoderTarget.Nano5, "publish-qos1-properties", 1, false)]
    [InlineData(DecoderTarget.Core311, "edge-publish-then-puback", 2, false)]
    [InlineData(DecoderTarget.Nano311, "edge-publish-over-maximum", 1, false)]
    [InlineData(DecoderTarget.Core5, "edge-publish-over-maximum", 0, true)]
    [InlineData(DecoderTarget.Core5, "edge-pingresp-non-minimal-length", 0, true)]
    [InlineData(DecoderTarget.Core311, "edge-pingresp-non-minimal-length", 1, false)]
    [InlineData(DecoderTarget.Nano311, "edge-remaining-length-five-bytes", 0, true)]
    [InlineData(DecoderTarget.Core311, "edge-publish-truncated", 0, false)]
    public void Seeds_decode_as_the_protocol_says(DecoderTarget target, string seed, int packets, bool refused) =>
        Assert.Equal(new DecodeOutcome(packets, refused), DecoderTargets.Decode(target, File.ReadAllBytes(FuzzCorpus.PathOf(target, seed))));

    [Fact]
    public void A_length_announcing_more_than_the_maximum_is_refused_from_the_fixed_header_alone()
    {
        // SUBACK announcing 268,435,455 bytes, then nothing: refused from the fixed header (not PUBLISH, so not read past).
        byte[] bytes = [0x90, 0xFF, 0xFF, 0xFF, 0x7F];
        foreach (DecoderTarget target in DecoderTargets.EachDecoder)
        {
            Assert.Equal(new DecodeOutcome(0, Refused: true), DecoderTargets.Decode(target, bytes));
        }
    }
}
