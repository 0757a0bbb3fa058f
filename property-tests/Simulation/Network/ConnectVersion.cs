using System.Buffers;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Simulation.Network;

/// <summary>Which version a link speaks, read from its first bytes, as a server learns it.</summary>
internal static class ConnectVersion
{
    /// <summary>
    /// MQTT 5 when the buffer starts with a CONNECT whose protocol level is 5, else null (3.1.1, or not yet known): a server
    /// learns the version from the CONNECT's variable header, 00 04 'MQTT' level, after the fixed header.
    /// </summary>
    internal static MqttProtocolVersion? Sniff(ReadOnlySequence<byte> buffer)
    {
        Span<byte> head = stackalloc byte[12];
        int length = (int)Math.Min(buffer.Length, head.Length);
        buffer.Slice(0, length).CopyTo(head);
        if (length < 2 || head[0] != 0x10)
        {
            return null;
        }

        int at = 1;
        while (at < length && (head[at] & 0x80) != 0)
        {
            at++;
        }

        int level = at + 1 + 6; // past the remaining length, then 00 04 M Q T T
        return level < length && head[level] == 5 ? MqttProtocolVersion.V500 : null;
    }
}
