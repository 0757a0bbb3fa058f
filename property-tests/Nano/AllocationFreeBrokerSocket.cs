using StateMachineMqtt.Nano.Client;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// A socket that answers like a broker without allocating anything itself, so every byte an allocation test counts is the
/// client's, and a heap measurement counts no broker state. It reads each whole packet the client sends (a flush may hold
/// several) and queues the answer in a fixed reply buffer: CONNECT → CONNACK (accepted, no session), PINGREQ → PINGRESP,
/// SUBSCRIBE → SUBACK granting what was asked, a QoS 1 PUBLISH → PUBACK and a QoS 2 PUBLISH → PUBREC with its packet
/// identifier, unless <see cref="AnswerPublishes"/> is false, and PUBREL → PUBCOMP. Otherwise every read is EWOULDBLOCK.
/// With <see cref="Mqtt5"/> it reads and answers in MQTT 5's layouts (empty property sections, success reason codes).
/// </summary>
public sealed class AllocationFreeBrokerSocket : INanoSocket
{
    private readonly byte[] _replies = new byte[256];
    private int _replyLength;

    /// <summary>Speak MQTT 5: CONNACK and SUBACK carry an empty property section, SUBSCRIBE is read past its own.</summary>
    public bool Mqtt5 { get; init; }

    /// <summary>Whether a QoS 1 PUBLISH is answered with PUBACK and a QoS 2 one with PUBREC (false: the message stays held).</summary>
    public bool AnswerPublishes { get; set; } = true;

    /// <summary>Packets the client has sent, of any type.</summary>
    public int PacketsSent { get; private set; }

    /// <summary>PINGREQs received.</summary>
    public int Pings { get; private set; }

    /// <summary>PUBLISH packets received.</summary>
    public int Publishes { get; private set; }

    /// <summary>PUBACKs sent.</summary>
    public int PubAcks { get; private set; }

    /// <summary>PUBCOMPs sent (each the answer to a PUBREL).</summary>
    public int PubComps { get; private set; }

    /// <inheritdoc />
    public int Connect(string host, int port) => 0;

    /// <inheritdoc />
    public int Poll() => 0;

    /// <inheritdoc />
    public int Send(byte[] buffer, int offset, int count, out int sent)
    {
        int end = offset + count;
        int at = offset;
        while (at < end)
        {
            int first = buffer[at];
            int lengthAt = at + 1;
            int remaining = 0;
            int shift = 0;
            int digit;
            do
            {
                digit = buffer[lengthAt++];
                remaining |= (digit & 0x7F) << shift;
                shift += 7;
            }
            while ((digit & 0x80) != 0);

            Answer(first, buffer, lengthAt, remaining);
            PacketsSent++;
            at = lengthAt + remaining;
        }

        if (at != end)
        {
            // The client's send buffer flushes whole packets; a packet cut across two sends would be misread above.
            throw new InvalidOperationException("a send ended inside a packet");
        }

        sent = count;
        return 0;
    }

    /// <inheritdoc />
    public int Receive(byte[] buffer, int offset, int count, out int received)
    {
        received = 0;
        if (_replyLength == 0)
        {
            return (int)SocketErrorCode.WouldBlock;
        }

        int length = Math.Min(count, _replyLength);
        Array.Copy(_replies, 0, buffer, offset, length);
        Array.Copy(_replies, length, _replies, 0, _replyLength - length);
        _replyLength -= length;
        received = length;
        return 0;
    }

    /// <inheritdoc />
    public void Close() => _replyLength = 0;

    private void Answer(int first, byte[] buffer, int body, int remaining)
    {
        switch (first >> 4)
        {
            case 1: // CONNECT
                if (Mqtt5)
                {
                    Reply(0x20, 0x03, 0x00, 0x00, 0x00); // accepted, no properties
                    break;
                }

                Reply(0x20, 0x02, 0x00, 0x00);
                break;
            case 3: // PUBLISH
                Publishes++;
                int qos = (first >> 1) & 3;
                if (qos > 0 && AnswerPublishes)
                {
                    int topicLength = (buffer[body] << 8) | buffer[body + 1];
                    int id = body + 2 + topicLength;
                    Reply(qos == 1 ? 0x40 : 0x50, 0x02, buffer[id], buffer[id + 1]);
                    PubAcks += qos == 1 ? 1 : 0;
                }

                break;
            case 6: // PUBREL
                Reply(0x70, 0x02, buffer[body], buffer[body + 1]);
                PubComps++;
                break;
            case 8: // SUBSCRIBE: one filter per packet, as the device client sends them
                int filterAt = body + 2 + (Mqtt5 ? 1 + buffer[body + 2] : 0); // MQTT 5: past a short property section
                int filterLength = (buffer[filterAt] << 8) | buffer[filterAt + 1];
                if (body + remaining != filterAt + 2 + filterLength + 1)
                {
                    throw new InvalidOperationException("a SUBSCRIBE with more than one filter");
                }

                int granted = buffer[filterAt + 2 + filterLength] & 0x03;
                if (Mqtt5)
                {
                    Reply(0x90, 0x04, buffer[body], buffer[body + 1], 0x00); // no properties
                    _replies[_replyLength++] = (byte)granted;
                    break;
                }

                Reply(0x90, 0x03, buffer[body], buffer[body + 1], granted);
                break;
            case 12: // PINGREQ
                Pings++;
                Reply(0xD0, 0x00);
                break;
            default:
                break;
        }
    }

    private void Reply(int b0, int b1)
    {
        _replies[_replyLength++] = (byte)b0;
        _replies[_replyLength++] = (byte)b1;
    }

    private void Reply(int b0, int b1, int b2, int b3)
    {
        Reply(b0, b1);
        Reply(b2, b3);
    }

    private void Reply(int b0, int b1, int b2, int b3, int b4)
    {
        Reply(b0, b1, b2, b3);
        _replies[_replyLength++] = (byte)b4;
    }
}
