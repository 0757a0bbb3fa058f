using Microsoft.Extensions.Logging;

namespace StateMachineMqtt;

/// <summary>
/// Every log entry the client writes, source-generated, each with a stable event id that dashboards and alerts can match
/// on (docs/observability.md lists them). Ranges: 1000s the connection (connects, outages), 2000s publishing (re-sends,
/// refusals), 3000s what the broker sends (received messages, ignored packets), 4000s subscriptions, 5000s the durable session store, 8000s the client
/// itself, 9000 machine transitions. An id, once given, keeps its meaning; a new entry takes a new id.
/// </summary>
internal static partial class ClientLog
{
    // 1000s: the connection.

    [LoggerMessage(EventId = 1000, EventName = "Connected", Level = LogLevel.Information,
        Message = "Connected to {Server}:{Port} (session present: {SessionPresent}).")]
    public static partial void Connected(this ILogger logger, string server, int port, bool sessionPresent);

    [LoggerMessage(EventId = 1001, EventName = "ConnectAttemptFailed", Level = LogLevel.Warning,
        Message = "Connect attempt {Attempt} to {Server}:{Port} failed ({Reason}); retrying in {DelayMs} ms.")]
    public static partial void ConnectAttemptFailed(this ILogger logger, int attempt, string server, int port, string reason, long delayMs);

    [LoggerMessage(EventId = 1002, EventName = "ConnectGaveUp", Level = LogLevel.Warning,
        Message = "Connect attempt {Attempt} to {Server}:{Port} failed ({Reason}); the first connect's bound is reached, so ConnectAsync fails.")]
    public static partial void ConnectGaveUp(this ILogger logger, int attempt, string server, int port, string reason);

    /// <summary>An outage begins: an accepted link went down, and the client reconnects by itself.</summary>
    [LoggerMessage(EventId = 1003, EventName = "LinkLost", Level = LogLevel.Warning,
        Message = "Link to {Server}:{Port} lost ({Reason}); reconnecting in {DelayMs} ms.")]
    public static partial void LinkLost(this ILogger logger, string server, int port, string reason, long delayMs);

    /// <summary>An outage ends: a CONNACK accepted a link again.</summary>
    [LoggerMessage(EventId = 1004, EventName = "OutageEnded", Level = LogLevel.Information,
        Message = "Connected to {Server}:{Port} again after an outage of {OutageSeconds} s.")]
    public static partial void OutageEnded(this ILogger logger, string server, int port, double outageSeconds);

    /// <summary>The link went down because the application disconnected or disposed the client: no outage, no reconnect.</summary>
    [LoggerMessage(EventId = 1005, EventName = "Disconnected", Level = LogLevel.Information,
        Message = "Disconnected from {Server}:{Port} ({Reason}).")]
    public static partial void Disconnected(this ILogger logger, string server, int port, string reason);

    [LoggerMessage(EventId = 1006, EventName = "ConnectionChangedHandlerFailed", Level = LogLevel.Error,
        Message = "A ConnectionChanged handler threw; the client carries on.")]
    public static partial void ConnectionChangedHandlerFailed(this ILogger logger, Exception exception);

    // 2000s: publishing.

    [LoggerMessage(EventId = 2000, EventName = "PublishResent", Level = LogLevel.Information,
        Message = "Re-sending PUBLISH {PacketId} to {Topic} with DUP (QoS {Qos}, send {Send}).")]
    public static partial void PublishResent(this ILogger logger, int packetId, string topic, int qos, int send);

    [LoggerMessage(EventId = 2001, EventName = "PubRelResent", Level = LogLevel.Information,
        Message = "Re-sending PUBREL {PacketId}: the broker has the QoS 2 message, the client has not yet had its PUBCOMP.")]
    public static partial void PubRelResent(this ILogger logger, int packetId);

    [LoggerMessage(EventId = 2002, EventName = "PublishTooLarge", Level = LogLevel.Warning,
        Message = "A message to {Topic} was not sent: {Reason}.")]
    public static partial void PublishTooLarge(this ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 2003, EventName = "OutboundMessageDropped", Level = LogLevel.Warning,
        Message = "{Reason}")]
    public static partial void OutboundMessageDropped(this ILogger logger, string reason);

    // 3000s: what the broker sends.

    [LoggerMessage(EventId = 3000, EventName = "ReceivedMessageDropped", Level = LogLevel.Warning,
        Message = "{Reason}")]
    public static partial void ReceivedMessageDropped(this ILogger logger, string reason);

    [LoggerMessage(EventId = 3001, EventName = "ReceivedMessageTooLarge", Level = LogLevel.Warning,
        Message = "{Reason}. Raise MqttClientOptions.MaximumPacketSize to receive such messages, or have the publisher send smaller ones.")]
    public static partial void ReceivedMessageTooLarge(this ILogger logger, string reason);

    [LoggerMessage(EventId = 3002, EventName = "PacketIgnored", Level = LogLevel.Warning,
        Message = "Ignoring a packet: {Reason}.")]
    public static partial void PacketIgnored(this ILogger logger, string reason);

    [LoggerMessage(EventId = 3003, EventName = "StreamMessagesDropped", Level = LogLevel.Warning,
        Message = "{Count} messages queued for the stream of the subscription to {Filter} were dropped unread: it was disposed before they were read.")]
    public static partial void StreamMessagesDropped(this ILogger logger, int count, string filter);

    // 4000s: subscriptions.

    [LoggerMessage(EventId = 4000, EventName = "UnsubscribeRefused", Level = LogLevel.Warning,
        Message = "The broker also refused to unsubscribe from {Filter} (UNSUBACK 0x{Code:X2}); the client no longer restores it.")]
    public static partial void UnsubscribeRefused(this ILogger logger, string filter, int code);

    [LoggerMessage(EventId = 4001, EventName = "SubscriptionRestoreRefused", Level = LogLevel.Error,
        Message = "The broker refused to restore the subscription to {Filter} (SUBACK 0x{Code:X2}); it is no longer in force.")]
    public static partial void SubscriptionRestoreRefused(this ILogger logger, string filter, int code);

    // 5000s: the durable session store.

    [LoggerMessage(EventId = 5000, EventName = "StoreRecovered", Level = LogLevel.Information,
        Message = "The durable store at {Directory} was recovered: {Records} records replayed, {Messages} messages held again, {Subscriptions} subscriptions, {Receipts} inbound QoS 2 exchanges.")]
    public static partial void StoreRecovered(this ILogger logger, string directory, int records, int messages, int subscriptions, int receipts);

    [LoggerMessage(EventId = 5001, EventName = "StoreTailDropped", Level = LogLevel.Warning,
        Message = "The durable store at {Directory} ended in a torn or corrupt record: {Bytes} bytes after the last valid record were dropped, never replayed (a crash during a write leaves this).")]
    public static partial void StoreTailDropped(this ILogger logger, string directory, long bytes);

    // 8000s: the client itself.

    [LoggerMessage(EventId = 8000, EventName = "LoopFailed", Level = LogLevel.Critical,
        Message = "The MQTT client loop failed; the client is unusable.")]
    public static partial void LoopFailed(this ILogger logger, Exception exception);

    // 9000: machine transitions.

    /// <summary>One row of a machine's table taken (spec/): which machine, from where, on what, to where.</summary>
    [LoggerMessage(EventId = 9000, EventName = "Transition", Level = LogLevel.Debug,
        Message = "{Machine}: {From} --{Trigger}--> {To} (row {Row})")]
    public static partial void Transition(this ILogger logger, string machine, string from, string trigger, string to, int row);
}
