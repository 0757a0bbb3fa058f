using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Machines;

/// <summary>
/// The five tables a client runs. Always spec/'s tables in the product; tests pass a mutated copy to show that the
/// properties and the model checker notice when a single row changes.
/// </summary>
internal sealed record MachineTables(
    TableRow<ConnectionState, ConnectionTrigger, ConnectionGuard, ConnectionEffect>[] Connection,
    TableRow<KeepAliveState, KeepAliveTrigger, KeepAliveGuard, KeepAliveEffect>[] KeepAlive,
    TableRow<PublishState, PublishTrigger, PublishGuard, PublishEffect>[] Publish,
    TableRow<ReceiptState, ReceiptTrigger, ReceiptGuard, ReceiptEffect>[] Receipt,
    TableRow<AuthenticationState, AuthenticationTrigger, AuthenticationGuard, AuthenticationEffect>[]? Authentication = null)
{
    /// <summary>spec/'s tables.</summary>
    public static MachineTables Spec { get; } = new(SpecTables.Connection(), SpecTables.KeepAlive(), SpecTables.Publish(), SpecTables.Receipt(), SpecTables.Authentication());

    /// <summary>The enhanced authentication rows: the copy's, or spec/'s when a copy leaves them out.</summary>
    public TableRow<AuthenticationState, AuthenticationTrigger, AuthenticationGuard, AuthenticationEffect>[] AuthenticationRows => Authentication ?? Spec.Authentication!;
}
