using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Nano;

/// <summary>
/// The device client under random fault schedules — resets, lost PUBACKs, PUBRECs and PUBCOMPs, silent (half-open) links,
/// Wi-Fi outages, EWOULDBLOCK, connects that time out — interleaved with QoS 1 and QoS 2 publishes and subscribes on
/// virtual time. Once the faults stop, every accepted message reaches the broker (I1, I6), each QoS 2 one taken as new
/// exactly once, and subscriptions are in force (I8); throughout, CONNECT opens every connection (I3), DUP is set on
/// exactly the re-sends of a PUBLISH (I4), a message keeps one non-zero packet identifier (I2), and a QoS 2 PUBLISH is
/// never sent again once its PUBREL was [MQTT-4.3.3-1]. Run once per protocol version: under MQTT 5 the same schedules
/// meet its rules (re-sends only on a new link, reason codes, property sections) with the same invariants.
/// </summary>
public sealed class NanoClientFaultProperties
{
    [Property(Arbitrary = new[] { typeof(ScheduleArbitraries) }, MaxTest = 150)]
    public Property Faults_never_lose_a_message_and_the_client_recovers(int[] schedule) => Run(schedule, MqttProtocolVersion.V311);

    [Property(Arbitrary = new[] { typeof(ScheduleArbitraries) }, MaxTest = 150)]
    public Property Faults_never_lose_a_message_and_the_client_recovers_under_MQTT_5(int[] schedule) => Run(schedule, MqttProtocolVersion.V500);

    private static Property Run(int[] schedule, MqttProtocolVersion version)
    {
        using var h = new NanoClientHarness(cleanSession: false, keepAliveSeconds: 20, queueLength: 64, version: version);
        var accepted = new List<(string Payload, int Qos)>();
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
                    int qos = 1 + (step % 9 == 0 ? 0 : 1); // as many QoS 2 publishes as QoS 1
                    if (h.Client.Publish("data/" + (arg % 3), System.Text.Encoding.ASCII.GetBytes(payload), qos, false))
                    {
                        accepted.Add((payload, qos));
                    }

                    break;
                case 2: h.Socket.Reset(); break;
                case 3:
                    int lost = 1 + (arg / 3 % 3);
                    switch (arg % 3)
                    {
                        case 0: h.Broker.PubAcksToDrop += lost; break;
                        case 1: h.Broker.PubRecsToDrop += lost; break;
                        default: h.Broker.PubCompsToDrop += lost; break;
                    }

                    break;
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
        h.Broker.PubRecsToDrop = 0;
        h.Broker.PubCompsToDrop = 0;
        h.Socket.SendsToBlock = 0;
        h.Client.WifiChanged(true);
        const long bound = 8_000 + 5_000 + 20_000 + 2_000; // backoff max + response time + keepalive + slack
        h.RunUntil(() => h.Client.IsConnected && h.Client.HeldCount == 0 && h.Client.IsSubscribed("cmd/#"), 4 * bound);

        string? problem = CheckInvariants(h, accepted);
        return (problem is null).Label(problem ?? "");
    }

    private static string? CheckInvariants(NanoClientHarness h, List<(string Payload, int Qos)> accepted)
    {
        var delivered = h.Broker.Delivered.GroupBy(Text).ToDictionary(g => g.Key, g => g.Count());
        MqttPacket[] wire = [.. h.Broker.Wire.Select(r => r.Packet)];
        var sent = wire.OfType<PublishPacket>();
        var byPayload = sent.GroupBy(Text).ToDictionary(g => g.Key, g => g.ToArray());
        foreach ((string payload, int qos) in accepted)
        {
            if (!delivered.TryGetValue(payload, out int times) || !byPayload.TryGetValue(payload, out var sends))
            {
                return $"I1: {payload} was accepted but never reached the broker";
            }

            if (qos == 2 && times != 1)
            {
                return $"Exactly once: QoS 2 message {payload} was taken as new by the broker {times} times";
            }

            if (qos == 2 && QoS2Problem(wire, payload, sends[0].PacketId) is { } problem)
            {
                return problem;
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

        if (h.Broker.Qos2Receipts.Count > 0)
        {
            return $"QoS 2: the broker still holds receipts {string.Join(",", h.Broker.Qos2Receipts)} that no PUBREL released";
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

    /// <summary>
    /// Steps whose argument (bits 4 to 15) is drawn over its whole range. FsCheck's own ints lie in [-100, 100], whose
    /// arguments are 0 to 6 or 4,089 to 4,095: waits of under 0.1 s or of about 28.6 s, under which a re-send of PUBLISH
    /// after PUBREL on a PUBCOMP's timeout went unseen.
    /// </summary>
    public static class ScheduleArbitraries
    {
        public static Arbitrary<int[]> Steps() => Arb.From(Gen.Choose(0, 0xFFFF).ArrayOf());
    }

    private static string Text(PublishPacket p) => System.Text.Encoding.ASCII.GetString(p.Payload.Span);

    /// <summary>
    /// A QoS 2 message's packets in what the client wrote: a PUBREL for its identifier between its first and its last
    /// PUBLISH means the PUBLISH went again after PUBREL; and its flow must end with a PUBREL (what the PUBCOMP answered).
    /// The identifier is the message's alone from its first send until PUBCOMP, so a PUBREL with it in that span is its own.
    /// </summary>
    private static string? QoS2Problem(MqttPacket[] wire, string payload, ushort packetId)
    {
        int first = Array.FindIndex(wire, p => p is PublishPacket q && Text(q) == payload);
        int last = Array.FindLastIndex(wire, p => p is PublishPacket q && Text(q) == payload);
        int relBetween = Array.FindIndex(wire, first, last - first + 1, p => p is PubRelPacket r && r.PacketId == packetId);
        if (relBetween >= 0)
        {
            return $"MQTT-4.3.3-1: QoS 2 message {payload} (#{packetId}) was published again after its PUBREL";
        }

        return Array.FindIndex(wire, last, p => p is PubRelPacket r && r.PacketId == packetId) < 0
            ? $"QoS 2 message {payload} (#{packetId}) completed with no PUBREL after its last PUBLISH"
            : null;
    }
}
