using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using StateMachineMqtt.TestKit.Proxy;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.Cli.Commands.Debug;

/// <summary>
/// One line per packet for <c>-d</c>, in mosquitto's words ("sending PUBLISH (d0, q1, r0, m3, 'a/b', ... (5 bytes))").
/// Only the fixed header, identifiers and topic names are shown, never a payload: a CONNECT's password (and user name)
/// are reduced to whether they are present.
/// </summary>
internal static class PacketDescriber
{
    /// <summary>Describes <paramref name="frame"/>; malformed bodies are described as far as they go.</summary>
    public static string Describe(MqttFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ReadOnlySpan<byte> body = frame.Bytes.AsSpan(frame.HeaderLength);
        string name = frame.Type.ToString().ToUpperInvariant();
        string? details = frame.Type switch
        {
            MqttPacketType.Connect => Connect(body),
            MqttPacketType.ConnAck when body.Length >= 2 => string.Create(CultureInfo.InvariantCulture, $"session present {body[0] & 1}, rc {body[1]}"),
            MqttPacketType.Publish => Publish(frame),
            MqttPacketType.Disconnect or MqttPacketType.PingReq or MqttPacketType.PingResp => null,
            _ when frame.PacketIdentifier is { } id => string.Create(CultureInfo.InvariantCulture, $"Mid: {id}"),
            _ => null,
        };
        return details is null ? name : $"{name} ({details})";
    }

    private static string Publish(MqttFrame frame)
    {
        byte flags = frame.Bytes[0];
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"d{(frame.Dup ? 1 : 0)}, q{frame.PublishQos}, r{flags & 1}");
        if (frame.PacketIdentifier is { } id)
        {
            text.Append(CultureInfo.InvariantCulture, $", m{id}");
        }

        text.Append(CultureInfo.InvariantCulture, $", '{frame.PublishTopic}', ... ({frame.PublishPayload.Length} bytes)");
        return text.ToString();
    }

    /// <summary>Protocol level, clean start, keepalive, client id, and u1/p1 flags: the credentials themselves never.</summary>
    private static string Connect(ReadOnlySpan<byte> body)
    {
        if (body.Length < 10)
        {
            return "truncated";
        }

        int nameLength = BinaryPrimitives.ReadUInt16BigEndian(body);
        int at = 2 + nameLength;
        if (body.Length < at + 4)
        {
            return "truncated";
        }

        byte level = body[at];
        byte flags = body[at + 1];
        int keepAlive = BinaryPrimitives.ReadUInt16BigEndian(body[(at + 2)..]);
        at += 4;
        if (level == 5 && !SkipVariableLengthBlock(body, ref at))
        {
            return "truncated";
        }

        string clientId = at + 2 <= body.Length && at + 2 + BinaryPrimitives.ReadUInt16BigEndian(body[at..]) <= body.Length
            ? Encoding.UTF8.GetString(body.Slice(at + 2, BinaryPrimitives.ReadUInt16BigEndian(body[at..])))
            : "?";
        string password = (flags & 0x40) != 0 ? "***" : "none";
        return string.Create(CultureInfo.InvariantCulture,
            $"v{level}, c{(flags >> 1) & 1}, k{keepAlive}, id '{clientId}', will {(flags >> 2) & 1}, user {((flags & 0x80) != 0 ? "yes" : "none")}, password {password}");
    }

    /// <summary>Skips MQTT 5 properties: a variable byte integer length, then that many bytes.</summary>
    private static bool SkipVariableLengthBlock(ReadOnlySpan<byte> body, ref int at)
    {
        int length = 0;
        for (int shift = 0; shift < 28; shift += 7)
        {
            if (at >= body.Length)
            {
                return false;
            }

            byte b = body[at++];
            length |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                at += length;
                return at <= body.Length;
            }
        }

        return false;
    }
}
