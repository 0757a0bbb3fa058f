using System.Buffers;

namespace StateMachineMqtt.Fuzz;

/// <summary>A byte array as a two-segment sequence, cut at a given offset, as a socket read might deliver it.</summary>
internal sealed class TwoSegments : ReadOnlySequenceSegment<byte>
{
    private TwoSegments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>The sequence of <paramref name="bytes"/>[..cut] followed by <paramref name="bytes"/>[cut..].</summary>
    public static ReadOnlySequence<byte> Of(byte[] bytes, int cut)
    {
        var first = new TwoSegments(bytes.AsMemory(0, cut), 0);
        var second = new TwoSegments(bytes.AsMemory(cut), cut);
        first.Next = second;
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }
}
