using FsCheck;
using FsCheck.Xunit;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Protocol.V5;

/// <summary>
/// A random valid MQTT 5 packet given one defect the specification makes a protocol error — a repeated single-valued
/// property, a forbidden or undefined one, a value out of range, ill-formed UTF-8, a section length cutting a property, a
/// five-byte Variable Byte Integer, one in more bytes than it needs, Authentication Data without its method — anywhere
/// among its properties, is refused with MqttProtocolException only. Stronger
/// than the random-bytes properties, which accept "decoded or refused": a targeted defect must be refused. The seed is
/// FsCheck's (fixed by default; a failure prints it, shrunk) and the message names the defect and the bytes.
/// </summary>
public sealed class HostileV5PropertyProperties
{
    private const int Defects = 9;

    [Property(MaxTest = 400)]
    public void A_valid_packet_given_one_defect_in_its_properties_is_refused(int seed, PositiveInt contextIndex, NonNegativeInt defectIndex)
    {
        PropertyContext context = HostileV5Packets.Contexts[contextIndex.Get % HostileV5Packets.Contexts.Length];
        var random = new Random(seed);
        List<byte[]> entries = ValidEntries(context, random);
        HostileV5Packets.Accept(HostileV5Packets.Packet(context, HostileV5Packets.Section([.. entries]))); // valid before the defect

        (string defect, byte[] section) = Break(context, entries, defectIndex.Get % Defects, random);

        HostileV5Packets.Refuse(HostileV5Packets.Packet(context, section), $"{context}, {defect}, seed {seed}");
    }

    /// <summary>The entries (identifier and value, each as the encoder writes it) of a random valid set for <paramref name="context"/>.</summary>
    internal static List<byte[]> ValidEntries(PropertyContext context, Random random)
    {
        MqttProperties set = PropertySets.Random(context, random);
        if (context == PropertyContext.Subscribe && set.SubscriptionIdentifiers.Count > 1)
        {
            set.SubscriptionIdentifiers.RemoveRange(1, set.SubscriptionIdentifiers.Count - 1);
        }

        if (set.ResponseTopic is { } topic && (topic.Length == 0 || topic.Contains('+') || topic.Contains('#')))
        {
            set.ResponseTopic = "reply/to";
        }

        return [.. set.Present().Select(p => HostileV5Packets.Entry(PropertyTable.Find(HostileV5Packets.Rows, (int)p.Id)!, p.Value))];
    }

    private static (string Defect, byte[] Section) Break(PropertyContext context, List<byte[]> entries, int defect, Random random)
    {
        PropertyRow[] allowed = [.. HostileV5Packets.Rows.Where(r => (r.AllowedIn & context) != 0)];
        PropertyRow[] single = [.. allowed.Where(r => (r.RepeatableIn & context) == 0)];
        PropertyRow[] forbidden = [.. HostileV5Packets.Rows.Where(r => (r.AllowedIn & context) == 0)];
        PropertyRow[] bounded = [.. single.Where(r => (r.Type is PropertyType.Byte && r.Maximum < 255) || r.Minimum > 0)];
        PropertyRow[] strings = [.. allowed.Where(r => r.Type is PropertyType.Utf8String or PropertyType.Utf8StringPair)];
        T Pick<T>(T[] from) => from[random.Next(from.Length)];
        byte[] Insert(params byte[][] more)
        {
            var all = new List<byte[]>(entries);
            foreach (byte[] entry in more)
            {
                all.Insert(random.Next(all.Count + 1), entry);
            }

            return HostileV5Packets.Section([.. all]);
        }

        switch (defect)
        {
            case 0 when single.Length > 0:
                PropertyRow twice = Pick(single);
                return ($"{twice.Id} twice", Insert(HostileV5Packets.Entry(twice, HostileV5Packets.Valid(twice, 0)), HostileV5Packets.Entry(twice, HostileV5Packets.Valid(twice, random.Next(2)))));
            case 2:
                int[] undefined = [.. Enumerable.Range(0, 128).Where(i => PropertyTable.Find(HostileV5Packets.Rows, i) is null)];
                int id = Pick(undefined);
                return ($"undefined identifier 0x{id:X2}", Insert([(byte)id, 0x00]));
            case 3 when bounded.Length > 0:
                PropertyRow row = Pick(bounded);
                byte[] outOfRange = row.Type switch
                {
                    PropertyType.Byte => [(byte)row.Id, (byte)random.Next((int)row.Maximum + 1, 256)],
                    PropertyType.TwoByteInteger => [(byte)row.Id, 0x00, 0x00],
                    PropertyType.FourByteInteger => [(byte)row.Id, 0x00, 0x00, 0x00, 0x00],
                    _ => [(byte)row.Id, 0x00],
                };
                return ($"{row.Id} = {Convert.ToHexString(outOfRange[1..])}", Insert(outOfRange));
            case 4 when strings.Length > 0:
                PropertyRow text = Pick(strings);
                (string what, byte[] bad) = Pick(MalformedStringPropertyTests.BadStrings);
                byte[] prefixed = [(byte)(bad.Length >> 8), (byte)bad.Length, .. bad];
                byte[] good = [0x00, 0x01, (byte)'k'];
                byte[] entry = text.Type == PropertyType.Utf8StringPair
                    ? (random.Next(2) == 0 ? [(byte)text.Id, .. prefixed, .. good] : [(byte)text.Id, .. good, .. prefixed])
                    : [(byte)text.Id, .. prefixed];
                return ($"{text.Id} with {what}", Insert(entry));
            case 5:
                // A User Property last, and the section length stopping inside it.
                byte[] user = HostileV5Packets.UserEntry();
                byte[] body = [.. entries.SelectMany(e => e), .. user];
                int shortBy = random.Next(1, user.Length);
                return ($"section length {shortBy} short", [.. HostileV5Packets.Vbi(body.Length - shortBy), .. body]);
            case 6:
                return random.Next(2) == 0
                    ? ("a five-byte section length", [0x80, 0x80, 0x80, 0x80, 0x01, .. entries.SelectMany(e => e)])
                    : ("a five-byte identifier", Insert([0x80, 0x80, 0x80, 0x80, 0x01]));
            case 7:
                // A Variable Byte Integer padded past its minimum [MQTT-1.5.5-1]: the section's length, an identifier, or a
                // Subscription Identifier where one may go.
                byte[] all = [.. entries.SelectMany(e => e)];
                bool identifiers = (PropertyTable.Find(HostileV5Packets.Rows, (int)PropertyId.SubscriptionIdentifier)!.AllowedIn & context) != 0;
                switch (random.Next(identifiers ? 3 : 2))
                {
                    case 0:
                        int lengthBytes = random.Next(HostileV5Packets.Vbi(all.Length).Length + 1, 5);
                        return ($"the section length in {lengthBytes} bytes", [.. HostileV5Packets.Vbi(all.Length, lengthBytes), .. all]);
                    case 1:
                        byte[] pair = HostileV5Packets.UserEntry();
                        int idBytes = random.Next(2, 5);
                        return ($"a User Property identifier in {idBytes} bytes", Insert([.. HostileV5Packets.Vbi(pair[0], idBytes), .. pair[1..]]));
                    default:
                        int value = random.Next(1, 2_097_152);
                        int valueBytes = random.Next(HostileV5Packets.Vbi(value).Length + 1, 5);
                        byte[] padded = [0x0B, .. HostileV5Packets.Vbi(value, valueBytes)];
                        // Subscription Identifiers may repeat only in PUBLISH: elsewhere the padded one replaces any there.
                        return ($"Subscription Identifier {value} in {valueBytes} bytes", context == PropertyContext.Publish
                            ? Insert(padded)
                            : HostileV5Packets.Section([.. entries.Where(e => e[0] != 0x0B), padded]));
                }

            case 8 when (PropertyTable.Find(HostileV5Packets.Rows, (int)PropertyId.AuthenticationData)!.AllowedIn & context) != 0:
                // Authentication Data, its method taken away (MQTT 5, 3.1.2.11.10).
                PropertyRow data = PropertyTable.Find(HostileV5Packets.Rows, (int)PropertyId.AuthenticationData)!;
                var withoutMethod = entries.Where(e => e[0] != (byte)PropertyId.AuthenticationMethod && e[0] != (byte)PropertyId.AuthenticationData).ToList();
                withoutMethod.Insert(random.Next(withoutMethod.Count + 1), HostileV5Packets.Entry(data, HostileV5Packets.Valid(data, random.Next(2))));
                return ("Authentication Data without an Authentication Method", HostileV5Packets.Section([.. withoutMethod]));
            default:
                // Case 1, and the fallback where a packet has nothing of the kind asked for (UNSUBSCRIBE has no single-valued property).
                PropertyRow stray = Pick(forbidden);
                return ($"forbidden {stray.Id}", Insert(HostileV5Packets.Entry(stray, HostileV5Packets.Valid(stray, random.Next(2)))));
        }
    }
}
