using StateMachineMqtt.Store;

namespace StateMachineMqtt;

/// <summary>The durable session store: one directory that keeps the session across a crash of the process.</summary>
public sealed partial class MqttClientOptions
{
    /// <summary>
    /// A directory for the durable session store, or null (the default) for none. With it, the client writes every QoS 1 and
    /// 2 message it accepts (with its packet identifier and DUP state, and QoS 2's PUBREC), the inbound QoS 2 identifiers
    /// awaiting PUBREL and the subscriptions to an append-only, checksummed log there, and a client started again with the
    /// same directory and <see cref="ClientId"/> re-sends all of it as the protocol requires. It needs a persistent session:
    /// a <see cref="ClientId"/>, <see cref="CleanSession"/> false and (MQTT 5) a <see cref="SessionExpiryInterval"/> that is
    /// not zero. <see cref="MqttClient.PublishDurableAsync"/> says when a message is stored. One client per directory.
    /// </summary>
    public string? StoreDirectory { get; set; }

    /// <summary>When the store's records count as stored: <see cref="MqttStoreFlush.EveryRecord"/> (fsync; the default), Batched or OsDefault.</summary>
    public MqttStoreFlush StoreFlush { get; set; } = MqttStoreFlush.EveryRecord;

    /// <summary>With <see cref="MqttStoreFlush.Batched"/>: how often the log is fsynced (default 10 ms).</summary>
    public TimeSpan StoreFlushInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>A store given directly (the simulation's in-memory one); takes the place of <see cref="StoreDirectory"/>.</summary>
    internal ISessionStore? SessionStore { get; set; }

    /// <summary>True when a durable store is configured.</summary>
    internal bool HasStore => StoreDirectory is not null || SessionStore is not null;

    private void ValidateStore()
    {
        if (!HasStore)
        {
            return;
        }

        if (StoreDirectory is not null && StoreDirectory.Trim().Length == 0)
        {
            throw new ArgumentException("StoreDirectory must name a directory (it is made if missing), or be null for no durable store.", nameof(StoreDirectory));
        }

        if (CleanSession || ClientId.Length == 0)
        {
            throw new ArgumentException("A durable store keeps a session across restarts, so it needs one the broker keeps too: set ClientId and CleanSession = false (or leave StoreDirectory null).", nameof(StoreDirectory));
        }

        if (SessionExpiryInterval == TimeSpan.Zero)
        {
            throw new ArgumentException("A durable store needs the broker to keep the session: SessionExpiryInterval zero ends it with every link. Leave it null (never expires) or set it above zero.", nameof(SessionExpiryInterval));
        }

        if (!Enum.IsDefined(StoreFlush))
        {
            throw new ArgumentOutOfRangeException(nameof(StoreFlush), StoreFlush, "StoreFlush must be EveryRecord, Batched or OsDefault.");
        }

        if (StoreFlush == MqttStoreFlush.Batched && StoreFlushInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(StoreFlushInterval), StoreFlushInterval, "StoreFlushInterval must be positive, e.g. TimeSpan.FromMilliseconds(10).");
        }
    }
}
