using System.Buffers.Text;
using System.Text;

namespace StateMachineMqtt.TestKit.Soak;

/// <summary>Message payloads of a soak run: "RUNID:SEQUENCE", so every copy seen anywhere maps back to its message.</summary>
public sealed class SoakPayload
{
    private readonly byte[] _prefix;

    /// <summary>Payloads for run <paramref name="runId"/>.</summary>
    public SoakPayload(string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        RunId = runId;
        _prefix = Encoding.ASCII.GetBytes(runId + ":");
    }

    /// <summary>The run's identifier, also part of topics and client identifiers.</summary>
    public string RunId { get; }

    /// <summary>The payload of message <paramref name="sequence"/>.</summary>
    public byte[] Create(int sequence) => Encoding.ASCII.GetBytes($"{RunId}:{sequence}");

    /// <summary>The sequence number in a payload of this run; false for anything else.</summary>
    public bool TryParse(ReadOnlySpan<byte> payload, out int sequence)
    {
        sequence = -1;
        return payload.StartsWith(_prefix)
            && Utf8Parser.TryParse(payload[_prefix.Length..], out sequence, out int consumed)
            && consumed == payload.Length - _prefix.Length
            && sequence >= 0;
    }
}
