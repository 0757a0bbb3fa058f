using System.Buffers;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>
/// A buffer writer that hands out spans no bigger than asked for (or a few bytes when asked for "any"), the way a
/// nearly full pipe segment does, so tests see the writer continue across spans.
/// </summary>
public sealed class ChunkyBufferWriter : IBufferWriter<byte>
{
    private readonly List<byte> written = [];
    private readonly int chunk;
    private byte[] current = [];

    /// <summary>Creates a writer whose unsized spans are <paramref name="chunk"/> bytes long.</summary>
    public ChunkyBufferWriter(int chunk) => this.chunk = chunk;

    /// <summary>Everything advanced past so far.</summary>
    public byte[] WrittenBytes => [.. written];

    /// <summary>How many spans were handed out.</summary>
    public int SpansHandedOut { get; private set; }

    /// <inheritdoc />
    public void Advance(int count)
    {
        if (count < 0 || count > current.Length)
        {
            throw new InvalidOperationException($"Advance({count}) past the {current.Length}-byte span handed out.");
        }

        written.AddRange(current.AsSpan(0, count));
        current = [];
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        SpansHandedOut++;
        current = new byte[sizeHint > 0 ? sizeHint : chunk];
        return current;
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
