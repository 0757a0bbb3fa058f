using System.Text;
using StateMachineMqtt.Engine;

namespace StateMachineMqtt.Verification.ModelChecking;

/// <summary>A state's identity in the search: 128 bits of hash of its fingerprint (a collision is about 2^-64 likely per pair).</summary>
public readonly record struct StateId(ulong High, ulong Low)
{
    /// <inheritdoc/>
    public override string ToString() => $"{High:x16}{Low:x16}";
}

/// <summary>Hashes a fingerprint as it is written (two independent 64-bit lanes); the labels are ignored.</summary>
internal sealed class HashingSink : IFingerprintSink
{
    private ulong _a = 0xcbf29ce484222325UL;
    private ulong _b = 0x84222325cbf29ce4UL;

    public StateId Id => new(Finish(_a), Finish(_b ^ 0x9e3779b97f4a7c15UL));

    public void Reset()
    {
        _a = 0xcbf29ce484222325UL;
        _b = 0x84222325cbf29ce4UL;
    }

    public void Add(string name, long value) => Mix(unchecked((ulong)value));

    public void Add(string name, string value)
    {
        Mix((uint)value.Length | 0x8000_0000_0000_0000UL);
        foreach (char c in value)
        {
            Mix(c);
        }
    }

    private void Mix(ulong v)
    {
        unchecked
        {
            _a = (_a ^ v) * 0x100000001b3UL;
            _a ^= _a >> 29;
            _b = (_b + v + 0x9e3779b97f4a7c15UL) * 0xbf58476d1ce4e5b9UL;
            _b ^= _b >> 31;
        }
    }

    private static ulong Finish(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
            return z ^ (z >> 31);
        }
    }
}

/// <summary>Writes a fingerprint as text, "label=value" separated by spaces: for traces and for the fingerprint's own tests.</summary>
internal sealed class TextSink : IFingerprintSink
{
    private readonly StringBuilder _text = new();

    public void Add(string name, long value) => _text.Append(name).Append('=').Append(value == long.MaxValue ? "never" : value.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(' ');

    public void Add(string name, string value) => _text.Append(name).Append("=\"").Append(value).Append("\" ");

    public override string ToString() => _text.ToString().TrimEnd();
}
