using System.Buffers;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>Builds a multi-segment ReadOnlySequence, as a PipeReader hands out bytes that arrived in several reads.</summary>
public static class SegmentedSequence
{
    /// <summary>A sequence whose segments are <paramref name="chunks"/>, in order (empty chunks make empty segments).</summary>
    public static ReadOnlySequence<byte> Create(IReadOnlyList<byte[]> chunks)
    {
        if (chunks.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(chunks[0], 0);
        Segment last = first;
        for (int i = 1; i < chunks.Count; i++)
        {
            last = last.Append(chunks[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Cuts <paramref name="bytes"/> into chunks of the given sizes; what is left after the last size is one chunk.</summary>
    public static List<byte[]> Cut(byte[] bytes, IEnumerable<int> sizes)
    {
        var chunks = new List<byte[]>();
        int offset = 0;
        foreach (int size in sizes)
        {
            int take = Math.Min(size, bytes.Length - offset);
            chunks.Add(bytes[offset..(offset + take)]);
            offset += take;
        }

        chunks.Add(bytes[offset..]);
        return chunks;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
