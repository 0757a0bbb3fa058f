using FsCheck.Xunit;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Formatter.V5;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.PropertyTests.Fixtures.Seeds;
using StateMachineMqtt.Spec;
using Xunit;
using Ours = StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// MQTTnet's MQTT 5 formatter, written independently of this codec, reads our bytes to the same fields, and its bytes read
/// with our decoder to the same fields, for every packet type; and it writes the same bytes, once <see cref="PropertyOrder"/>
/// has set aside what MQTT 5 leaves free (property order, an empty trailing section). CONNECT and CONNACK, whose property
/// sets are the largest, also get properties of their own over <see cref="Mqtt5Packets.RandomConnect"/> and
/// <see cref="Mqtt5Packets.RandomConnAck"/>. What MQTTnet's model cannot carry is set aside by
/// <see cref="MqttNet5Translation.Translatable"/>, which says why for each.
/// </summary>
public sealed class MqttNet5OracleProperties
{
    [Property(Arbitrary = new[] { typeof(WholeRangeSeeds) }, MaxTest = 400)]
    public void MqttNet_reads_our_bytes_to_the_same_fields(int seed) => TheyReadOurs(Translatable(seed, Mqtt5Packets.Random));

    [Property(Arbitrary = new[] { typeof(WholeRangeSeeds) }, MaxTest = 400)]
    public void We_read_MqttNet_s_bytes_to_the_same_fields(int seed) => WeReadTheirs(Translatable(seed, Mqtt5Packets.Random));

    [Property(Arbitrary = new[] { typeof(WholeRangeSeeds) }, MaxTest = 400)]
    public void MqttNet_writes_the_same_bytes_up_to_property_order(int seed) => SameBytes(Translatable(seed, Mqtt5Packets.Random));

    [Property(Arbitrary = new[] { typeof(WholeRangeSeeds) }, MaxTest = 300)]
    public void MqttNet_reads_our_CONNECT_and_CONNACK_to_the_same_fields(int seed) => TheyReadOurs(Translatable(seed, Connection));

    [Property(Arbitrary = new[] { typeof(WholeRangeSeeds) }, MaxTest = 300)]
    public void We_read_MqttNet_s_CONNECT_and_CONNACK_to_the_same_fields(int seed)
    {
        // CONNACK is the server's: what matters on our side is that we read MQTTnet's as it meant them.
        WeReadTheirs(Translatable(seed, Connection));
    }

    [Property(Arbitrary = new[] { typeof(WholeRangeSeeds) }, MaxTest = 300)]
    public void MqttNet_writes_CONNECT_and_CONNACK_as_we_do_up_to_property_order(int seed) => SameBytes(Translatable(seed, Connection));

    [Fact]
    public void Every_CONNECT_will_and_CONNACK_property_reaches_the_oracle()
    {
        // The filter sets aside what MQTTnet cannot carry; it must not set aside a property altogether, nor a shape of CONNECT.
        var seen = new Dictionary<string, int>();
        void Count(string what) => seen[what] = seen.GetValueOrDefault(what) + 1;
        void CountSet(string where, MqttProperties? set)
        {
            foreach ((PropertyId id, object _) in set?.Present() ?? [])
            {
                Count(where + " " + id);
            }
        }

        for (int seed = 0; seed < 1000; seed++)
        {
            switch (Translatable(seed, Connection))
            {
                case ConnectPacket c:
                    CountSet("CONNECT", c.Properties);
                    CountSet("will", c.Will?.Properties);
                    Count(c.Will is null ? "no will" : "will at QoS " + (int)c.Will.QualityOfService);
                    Count(c.ClientId.Length == 0 ? "empty client identifier" : "client identifier");
                    Count(c.CleanSession ? "Clean Start" : "no Clean Start");
                    Count(c.Password is null ? "no password" : "password");
                    break;
                case ConnAckPacket a:
                    CountSet("CONNACK", a.Properties);
                    Count(a.SessionPresent ? "Session Present" : (byte)a.ReturnCode == 0 ? "accepted" : "refused");
                    break;
            }
        }

        IEnumerable<string> expected = PropertySets.Rows.SelectMany(r => new[] { (PropertyContext.Connect, "CONNECT"), (PropertyContext.Will, "will"), (PropertyContext.ConnAck, "CONNACK") }
            .Where(c => (r.AllowedIn & c.Item1) != 0).Select(c => c.Item2 + " " + r.Id))
            .Concat(["no will", "will at QoS 0", "will at QoS 1", "will at QoS 2", "empty client identifier", "client identifier", "Clean Start", "no Clean Start",
                "no password", "password", "Session Present", "accepted", "refused"]);
        Assert.Empty(expected.Where(e => seen.GetValueOrDefault(e) < 5).Select(e => $"{e}: {seen.GetValueOrDefault(e)}"));
    }

    private static void TheyReadOurs(Ours.MqttPacket packet)
    {
        byte[] ours = Mqtt5Packets.Encode(packet);
        int header = 2;
        while ((ours[header - 1] & 0x80) != 0)
        {
            header++;
        }

        var received = new ReceivedMqttPacket(ours[0], new ArraySegment<byte>(ours, header, ours.Length - header), ours.Length);

        Assert.Equal(Mqtt5Packets.Describe(packet), Mqtt5Packets.Describe(MqttNet5Translation.FromMqttNet(NewFormatter().Decode(received))));
    }

    private static void WeReadTheirs(Ours.MqttPacket packet)
    {
        byte[] theirs = NewFormatter().Encode(MqttNet5Translation.ToMqttNet(packet)).ToArray();

        Assert.Equal(Mqtt5Packets.Describe(packet), Mqtt5Packets.Describe(Mqtt5Packets.Decode(theirs)));
    }

    private static void SameBytes(Ours.MqttPacket packet)
    {
        // Byte for byte: fixed header, lengths, codes, values, payload; only the order of different properties may differ.
        byte[] ours = Mqtt5Packets.Encode(packet);
        byte[] theirs = NewFormatter().Encode(MqttNet5Translation.ToMqttNet(packet)).ToArray();

        Assert.Equal(PropertyOrder.Canonical(packet, theirs), PropertyOrder.Canonical(packet, ours));
    }

    private static Ours.MqttPacket Connection(Random random) => random.Next(2) == 0 ? Mqtt5Packets.RandomConnect(random) : Mqtt5Packets.RandomConnAck(random);

    private static Ours.MqttPacket Translatable(int seed, Func<Random, Ours.MqttPacket> draw)
    {
        var random = new Random(seed);
        Ours.MqttPacket packet;
        do
        {
            packet = draw(random);
        }
        while (!MqttNet5Translation.Translatable(packet));

        return packet;
    }

    private static MqttV5PacketFormatter NewFormatter() => new(new MqttBufferWriter(4096, 65536));
}
