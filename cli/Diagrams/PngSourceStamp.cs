using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace StateMachineMqtt.Cli.Diagrams;

/// <summary>
/// Records in a PNG which DOT text it was rendered from: a tEXt chunk holding the SHA-256 of the DOT. PNG bytes from dot
/// differ between Graphviz, cairo and font versions, so a test cannot compare a fresh render with the committed file; it can
/// compare the stamp with the hash of the DOT generated now, on any machine.
/// </summary>
internal static class PngSourceStamp
{
    /// <summary>The tEXt chunk's keyword.</summary>
    public const string Keyword = "smqtt-dot-sha256";

    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Lower-case hex SHA-256 of <paramref name="dot"/> as UTF-8.</summary>
    public static string Hash(string dot)
    {
        ArgumentNullException.ThrowIfNull(dot);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dot)));
    }

    /// <summary><paramref name="png"/> with a stamp for <paramref name="dot"/> inserted after its IHDR chunk.</summary>
    public static byte[] Stamp(byte[] png, string dot)
    {
        ArgumentNullException.ThrowIfNull(png);
        int afterHeader = ChunkEnd(png, Signature.Length, "IHDR");
        byte[] data = Encoding.Latin1.GetBytes(Keyword + "\0" + Hash(dot));
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes("tEXt", chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(chunk.AsSpan(4, 4 + data.Length)));
        return [.. png.AsSpan(0, afterHeader), .. chunk, .. png.AsSpan(afterHeader)];
    }

    /// <summary>The hash in <paramref name="png"/>'s stamp, or null when it has none (or a chunk's CRC is wrong).</summary>
    public static string? Read(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        if (png.Length < Signature.Length || !png.AsSpan(0, Signature.Length).SequenceEqual(Signature))
        {
            return null;
        }

        for (int at = Signature.Length; at + 12 <= png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            if (length < 0 || at + 12 + length > png.Length)
            {
                return null;
            }

            string type = Encoding.ASCII.GetString(png, at + 4, 4);
            var body = png.AsSpan(at + 8, length);
            if (type == "tEXt" && BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length)) == Crc32(png.AsSpan(at + 4, 4 + length)))
            {
                string text = Encoding.Latin1.GetString(body);
                if (text.StartsWith(Keyword + "\0", StringComparison.Ordinal))
                {
                    return text[(Keyword.Length + 1)..];
                }
            }

            at += 12 + length;
        }

        return null;
    }

    private static int ChunkEnd(byte[] png, int at, string expected)
    {
        if (png.Length < at + 12 || !png.AsSpan(0, Signature.Length).SequenceEqual(Signature) || Encoding.ASCII.GetString(png, at + 4, 4) != expected)
        {
            throw new InvalidOperationException($"Not a PNG starting with {expected}: dot -Tpng wrote something else.");
        }

        return at + 12 + BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
    }

    // CRC-32 (ISO 3309, as PNG requires), bitwise: the chunks are tiny.
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
