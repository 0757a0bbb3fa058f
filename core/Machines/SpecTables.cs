using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Machines;

/// <summary>The spec/ tables in generic row form: the one place core/ reads them.</summary>
internal static class SpecTables
{
    /// <summary>Connection table rows.</summary>
    public static TableRow<ConnectionState, ConnectionTrigger, ConnectionGuard, ConnectionEffect>[] Connection(ConnectionTransition[]? rows = null) =>
        [.. (rows ?? ConnectionTable.CreateRows()).Select((r, i) => new TableRow<ConnectionState, ConnectionTrigger, ConnectionGuard, ConnectionEffect>(i, r.From, r.Trigger, r.To, r.Guard, r.Effect, r.Rule))];

    /// <summary>KeepAlive table rows.</summary>
    public static TableRow<KeepAliveState, KeepAliveTrigger, KeepAliveGuard, KeepAliveEffect>[] KeepAlive(KeepAliveTransition[]? rows = null) =>
        [.. (rows ?? KeepAliveTable.CreateRows()).Select((r, i) => new TableRow<KeepAliveState, KeepAliveTrigger, KeepAliveGuard, KeepAliveEffect>(i, r.From, r.Trigger, r.To, r.Guard, r.Effect, r.Rule))];

    /// <summary>Outbound QoS 1 table rows.</summary>
    public static TableRow<PublishState, PublishTrigger, PublishGuard, PublishEffect>[] Publish(PublishTransition[]? rows = null) =>
        [.. (rows ?? PublishTable.CreateRows()).Select((r, i) => new TableRow<PublishState, PublishTrigger, PublishGuard, PublishEffect>(i, r.From, r.Trigger, r.To, r.Guard, r.Effect, r.Rule))];

    /// <summary>MQTT 5 enhanced authentication table rows.</summary>
    public static TableRow<AuthenticationState, AuthenticationTrigger, AuthenticationGuard, AuthenticationEffect>[] Authentication(AuthenticationTransition[]? rows = null) =>
        [.. (rows ?? AuthenticationTable.CreateRows()).Select((r, i) => new TableRow<AuthenticationState, AuthenticationTrigger, AuthenticationGuard, AuthenticationEffect>(i, r.From, r.Trigger, r.To, r.Guard, r.Effect, r.Rule))];

    /// <summary>Inbound QoS 2 table rows.</summary>
    public static TableRow<ReceiptState, ReceiptTrigger, ReceiptGuard, ReceiptEffect>[] Receipt(ReceiptTransition[]? rows = null) =>
        [.. (rows ?? ReceiptTable.CreateRows()).Select((r, i) => new TableRow<ReceiptState, ReceiptTrigger, ReceiptGuard, ReceiptEffect>(i, r.From, r.Trigger, r.To, r.Guard, r.Effect, r.Rule))];
}
