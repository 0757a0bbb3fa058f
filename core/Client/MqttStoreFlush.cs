namespace StateMachineMqtt;

/// <summary>When the durable session store's records count as stored (<see cref="MqttClientOptions.StoreFlush"/>).</summary>
public enum MqttStoreFlush
{
    /// <summary>Every record is written and fsynced before the message it belongs to is reported durable: survives a power cut.</summary>
    EveryRecord,

    /// <summary>
    /// Records are written at once and fsynced together every <see cref="MqttClientOptions.StoreFlushInterval"/>; a message is
    /// reported durable after the fsync that covers it. Fewer fsyncs, a little later.
    /// </summary>
    Batched,

    /// <summary>
    /// Records are handed to the operating system and never fsynced by the client: a message is reported durable once
    /// written. Survives a crash of the process, not of the machine.
    /// </summary>
    OsDefault,
}
