using System.Buffers;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>
/// A ReadOnlyMemory that claims a length but has no bytes behind it, to test size limits (256 MB) without allocating.
/// Reading it throws, which proves the code under test checked the length first.
/// </summary>
public sealed class ClaimedMemory : MemoryManager<byte>
{
    private readonly int length;

    /// <summary>Creates memory that claims <paramref name="length"/> bytes.</summary>
    public ClaimedMemory(int length) => this.length = length;

    /// <summary>The memory, whose Length is the claimed length.</summary>
    public ReadOnlyMemory<byte> Claimed => CreateMemory(length);

    /// <inheritdoc />
    public override Span<byte> GetSpan() => throw new InvalidOperationException("The claimed memory was read; its length should have been refused first.");

    /// <inheritdoc />
    public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Unpin()
    {
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
    }
}
