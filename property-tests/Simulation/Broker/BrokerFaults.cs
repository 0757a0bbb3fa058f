using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.PropertyTests.Simulation.Broker;

/// <summary>
/// Misbehaviours the simulated broker can be told to show. Each counted fault applies to the next N matching events
/// and then clears itself; settable at any time from the driving thread.
/// </summary>
internal sealed class BrokerFaults
{
    private readonly Dictionary<MqttPacketType, int> _dropIncoming = [];
    private readonly Dictionary<MqttPacketType, int> _loseIncomingWithLink = [];
    private readonly Dictionary<MqttPacketType, int> _dropOutgoing = [];
    private readonly Dictionary<MqttPacketType, int> _duplicateOutgoing = [];
    private readonly Dictionary<MqttPacketType, (int Count, TimeSpan Delay)> _delayOutgoing = [];
    private readonly HashSet<string> _rejectedFilters = new(StringComparer.Ordinal);
    private int _refuseCount;
    private int _ignoreConnectCount;

    /// <summary>The return code used while connects are refused.</summary>
    public ConnectReturnCode RefusalCode { get; private set; } = ConnectReturnCode.ServerUnavailable;

    /// <summary>Filters whose subscriptions are answered with <see cref="FilterRefusalCode"/>, and whose UNSUBSCRIBE too under MQTT 5.</summary>
    public IReadOnlySet<string> RejectedFilters => _rejectedFilters;

    /// <summary>
    /// The code a rejected filter gets: 0x80 by default (3.1.1's only failure); under MQTT 5 a SUBACK carries it as set
    /// (e.g. 0x87 Not authorized), and an UNSUBACK carries it with the Reason String "refused by the test's broker".
    /// </summary>
    public byte FilterRefusalCode { get; set; } = 0x80;

    /// <summary>Answers the next <paramref name="count"/> CONNECTs (default: until cleared) with CONNACK <paramref name="code"/> and closes the link.</summary>
    public void RefuseConnects(ConnectReturnCode code, int count = int.MaxValue)
    {
        if (code == ConnectReturnCode.Accepted)
        {
            throw new ArgumentException("Refusing with Accepted makes no sense; use ClearConnectFaults() to accept connects again.", nameof(code));
        }

        RefusalCode = code;
        _refuseCount = count;
    }

    /// <summary>Leaves the next <paramref name="count"/> CONNECTs (default: until cleared) unanswered.</summary>
    public void IgnoreConnects(int count = int.MaxValue) => _ignoreConnectCount = count;

    /// <summary>Stops refusing and ignoring CONNECTs.</summary>
    public void ClearConnectFaults()
    {
        _refuseCount = 0;
        _ignoreConnectCount = 0;
    }

    /// <summary>The broker ignores the next <paramref name="count"/> packets of <paramref name="type"/> it receives.</summary>
    public void DropIncoming(MqttPacketType type, int count = 1) => _dropIncoming[type] = count;

    /// <summary>The broker does not write the next <paramref name="count"/> packets of <paramref name="type"/> it would send.</summary>
    /// <summary>The next <paramref name="count"/> packets of <paramref name="type"/> from a client are lost with their link, which resets: a packet lost on TCP is a link lost.</summary>
    public void LoseIncomingWithLink(MqttPacketType type, int count = 1) => _loseIncomingWithLink[type] = count;

    public void DropOutgoing(MqttPacketType type, int count = 1) => _dropOutgoing[type] = count;

    /// <summary>The broker writes the next <paramref name="count"/> packets of <paramref name="type"/> twice.</summary>
    public void DuplicateOutgoing(MqttPacketType type, int count = 1) => _duplicateOutgoing[type] = count;

    /// <summary>
    /// The broker writes the next <paramref name="count"/> packets of <paramref name="type"/> <paramref name="delay"/> later
    /// (virtual time), as a slow broker answers: packets it sends meanwhile overtake them, and a link gone by then loses them.
    /// </summary>
    public void DelayOutgoing(MqttPacketType type, TimeSpan delay, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(delay, TimeSpan.Zero);
        _delayOutgoing[type] = (count, delay);
    }

    /// <summary>SUBSCRIBE requests for <paramref name="filter"/> get return code 0x80.</summary>
    public void RejectSubscriptionsTo(string filter) => _rejectedFilters.Add(filter);

    /// <summary>MQTT 5 PUBLISH to <paramref name="topic"/> at QoS 1 or 2 is refused in its PUBACK or PUBREC with <paramref name="reasonCode"/> (0x80 and up), and not forwarded.</summary>
    public void RefusePublishesTo(string topic, byte reasonCode) => _refusedTopics[topic] = reasonCode;

    /// <summary>The refusal for a PUBLISH to <paramref name="topic"/>, if any.</summary>
    internal byte? PublishRefusal(string topic) => _refusedTopics.TryGetValue(topic, out byte code) ? code : null;

    private readonly Dictionary<string, byte> _refusedTopics = new(StringComparer.Ordinal);

    /// <summary>Clears every fault.</summary>
    /// <summary>MQTT 5: send PUBLISHes with Topic Aliases, as far as each client's Topic Alias Maximum allows.</summary>
    public bool UseTopicAliases { get; set; }

    /// <summary>MQTT 5: the next PUBLISH carries a Topic Alias one above the client's maximum (a broker bug).</summary>
    public bool NextAliasOutOfRange { get; set; }

    public void ClearAll()
    {
        ClearConnectFaults();
        _dropIncoming.Clear();
        _loseIncomingWithLink.Clear();
        _dropOutgoing.Clear();
        _duplicateOutgoing.Clear();
        _delayOutgoing.Clear();
        _rejectedFilters.Clear();
        _refusedTopics.Clear();
    }

    internal bool TakeRefusal() => Take(ref _refuseCount);

    internal bool TakeIgnoreConnect() => Take(ref _ignoreConnectCount);

    internal bool TakeDropIncoming(MqttPacketType type) => Take(_dropIncoming, type);

    internal bool TakeLoseIncomingWithLink(MqttPacketType type) => Take(_loseIncomingWithLink, type);

    internal bool TakeDropOutgoing(MqttPacketType type) => Take(_dropOutgoing, type);

    internal bool TakeDuplicateOutgoing(MqttPacketType type) => Take(_duplicateOutgoing, type);

    internal bool TakeDelayOutgoing(MqttPacketType type, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        if (!_delayOutgoing.TryGetValue(type, out (int Count, TimeSpan Delay) fault) || fault.Count <= 0)
        {
            return false;
        }

        _delayOutgoing[type] = (fault.Count == int.MaxValue ? fault.Count : fault.Count - 1, fault.Delay);
        delay = fault.Delay;
        return true;
    }

    private static bool Take(ref int count)
    {
        if (count <= 0)
        {
            return false;
        }

        if (count != int.MaxValue)
        {
            count--;
        }

        return true;
    }

    private static bool Take(Dictionary<MqttPacketType, int> counts, MqttPacketType type)
    {
        if (!counts.TryGetValue(type, out int count) || count <= 0)
        {
            return false;
        }

        counts[type] = count == int.MaxValue ? count : count - 1;
        return true;
    }
}
