using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// The device client under random fault schedules — resets, lost PUBACKs, silent (half-open) links, Wi-Fi outages,
/// EWOULDBLOCK, connects that time out — interleaved with publishes and subscribes on virtual time. Once the faults stop,
/// every accepted QoS 1 message reaches the broker (I1, I6) and subscriptions are in force (I8); throughout, CONNECT opens
/// every connection (I3), DUP is set on exactly the re-sends (I4) and a message keeps one non-zero packet identifier (I2).
/// </summary>
public sealed class NanoClientFaultProperties
{
    [Property(MaxTest = 150)]
    public Property Faults_never_lose_a_message_and_the_client_recovers(int[] schedule)
    {
        using var h = new NanoClientHarness(cleanSession: false, keepAliveSeconds: 20, queueLength: 64);
        var accepted = new List<string>();
        h.Client.Subscribe("cmd/#", 1);
        h.Client.Connect();
        int next = 0;
        foreach (int step in schedule ?? [])
        {
            int arg = (step >> 4) & 0xFFF;
            switch (Math.Abs(step % 9))
            {
                case 0:
                case 1:
                    string payload = "m" + next++;
                    if (h.Client.Publish("data/" + (arg % 3), System.Text.Encoding.ASCII.GetBytes(payload), 1, false))
                    {
                        accepted.Add(payload);
                    }

                    break;
                case 2: h.Socket.Reset(); break;
                case 3: h.Broker.PubAcksToDrop += 1 + (arg % 3); break;
                case 4: h.Broker.Silent = !h.Broker.Silent; break;
                case 5: h.Client.WifiChanged(arg % 2 == 0); break;
                case 6: h.Socket.SendsToBlock += arg % 5; break;
                case 7: h.Socket.ScriptConnect(arg % 4, arg % 3 == 0 ? SocketErrorCode.TimedOut : null); break;
                default: h.Broker.SessionPresent = arg % 2 == 0; break;
            }

            h.RunFor(50 + (arg * 7 % 30_000));
        }

        // Heal the network; the client must recover and deliver on its own.
        h.Broker.Silent = false;
        h.Broker.PubAcksToDrop = 0;
        h.Socket.SendsToBlock = 0;
        h.Client.WifiChanged(true);
        const long bound = 8_000 + 5_000 + 20_000 + 2_000; // backoff max + response time + keepalive + slack
        h.RunUntil(() => h.Client.IsConnected && h.Client.HeldCount == 0 && h.Client.IsSubscribed("cmd/#"), 4 * bound);

        string? problem = CheckInvariants(h, accepted);
        return (problem is null).Label(problem ?? "");
    }

    private static string? CheckInvariants(NanoClientHarness h, List<string> accepted)
    {
        var received = h.Broker.Received.Select(r => r.Packet).OfType<PublishPacket>().Select(p => System.Text.Encoding.ASCII.GetString(p.Payload.Span)).ToHashSet();
        var sent = h.Broker.Wire.Select(r => r.Packet).OfType<PublishPacket>();
        var byPayload = sent.GroupBy(p => System.Text.Encoding.ASCII.GetString(p.Payload.Span)).ToDictionary(g => g.Key, g => g.ToArray());
        foreach (string payload in accepted)
        {
            if (!received.Contains(payload) || !byPayload.TryGetValue(payload, out var sends))
            {
                return $"I1: {payload} was accepted but never reached the broker";
            }

            if (sends[0].Dup || sends.Skip(1).Any(s => !s.Dup))
            {
                return $"I4: {payload} was sent with DUP {string.Join(",", sends.Select(s => s.Dup))}";
            }

            if (sends.Any(s => s.PacketId == 0 || s.PacketId != sends[0].PacketId))
            {
                return $"I2: {payload} was sent with packet identifiers {string.Join(",", sends.Select(s => s.PacketId))}";
            }
        }

        if (h.Client.Statistics.SendsRefused > 0)
        {
            return $"I3: the engine's send rules refused {h.Client.Statistics.SendsRefused} packets";
        }

        if (!h.Broker.Subscriptions.Contains("cmd/#"))
        {
            return "I8: after recovery the broker's session does not hold the subscription cmd/#";
        }

        foreach (var connection in h.Broker.Wire.GroupBy(r => r.Connection))
        {
            var packets = connection.Select(r => r.Packet).ToArray();
            if (packets[0] is not ConnectPacket || packets.Count(p => p is ConnectPacket) != 1)
            {
                return $"I3: connection {connection.Key} began with {packets[0].GetType().Name} or had several CONNECTs";
            }
        }

        return null;
    }
}
