using StateMachineMqtt.Cli.Diagrams;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;

namespace StateMachineMqtt.PropertyTests.Diagrams;

/// <summary>The PNG stamp that lets a test tell whether a committed PNG was rendered from the current DOT.</summary>
public sealed class PngSourceStampTests
{
    // Signature, an IHDR chunk (1×1, 8-bit greyscale) and IEND: enough PNG structure for the stamp, not a picture.
    private static byte[] MinimalPng() =>
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A,
        0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0, 0x3A, 0x7E, 0x9B, 0x55,
        0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82,
    ];

    [Fact]
    public void A_stamped_png_reads_back_the_hash_of_its_dot()
    {
        byte[] stamped = PngSourceStamp.Stamp(MinimalPng(), "digraph { a -> b }");
        Assert.Equal(PngSourceStamp.Hash("digraph { a -> b }"), PngSourceStamp.Read(stamped));
        Assert.NotEqual(PngSourceStamp.Hash("digraph { a -> c }"), PngSourceStamp.Read(stamped));
        Assert.Equal(MinimalPng()[^12..], stamped[^12..]);
    }

    [Fact]
    public void An_unstamped_or_damaged_png_has_no_stamp()
    {
        Assert.Null(PngSourceStamp.Read(MinimalPng()));
        byte[] stamped = PngSourceStamp.Stamp(MinimalPng(), "digraph { a -> b }");
        stamped[^20] ^= 0x01; // a byte of the hash text: the chunk's CRC no longer matches
        Assert.Null(PngSourceStamp.Read(stamped));
        Assert.Null(PngSourceStamp.Read([1, 2, 3]));
    }

    [Fact]
    public void Only_a_png_can_be_stamped() =>
        Assert.Throws<InvalidOperationException>(() => PngSourceStamp.Stamp("<svg/>"u8.ToArray(), "digraph {}"));

    [RequiresToolsFact(Tool.Graphviz)]
    public async Task A_real_render_stamped_is_still_a_png_dot_can_read()
    {
        string dotPath = GraphvizRenderer.FindDot() ?? throw new InvalidOperationException("dot is not on PATH");
        string dot = "digraph { a -> b }";
        byte[] stamped = PngSourceStamp.Stamp(await GraphvizRenderer.RenderPngAsync(dotPath, dot, CancellationToken.None), dot);
        Assert.Equal(PngSourceStamp.Hash(dot), PngSourceStamp.Read(stamped));
        // file(1) is not guaranteed; the IHDR must still come first, right after the signature.
        Assert.Equal("IHDR"u8.ToArray(), stamped[12..16]);
    }
}
