using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.Session;

/// <summary>Subscriptions the broker has granted, in the order made: what to restore when a session is lost (I8).</summary>
internal sealed class SubscriptionRegistry
{
    private readonly List<TopicSubscription> _entries = [];

    public int Count => _entries.Count;

    public IReadOnlyList<TopicSubscription> All => _entries;

    public void Set(string filter, MqttQualityOfService qos)
    {
        int i = _entries.FindIndex(e => e.TopicFilter == filter);
        if (i >= 0)
        {
            _entries[i] = new TopicSubscription(filter, qos);
        }
        else
        {
            _entries.Add(new TopicSubscription(filter, qos));
        }
    }

    public void Remove(string filter) => _entries.RemoveAll(e => e.TopicFilter == filter);
}
