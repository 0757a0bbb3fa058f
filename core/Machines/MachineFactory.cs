using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Machines;

/// <summary>Builds the three machines from spec/ with guards bound by the caller. Used by the client and by the diagram tool.</summary>
public static class MachineFactory
{
    /// <summary>The Connection machine.</summary>
    public static TableMachine<ConnectionState, ConnectionTrigger, ConnectionGuard, ConnectionEffect> Connection(Func<ConnectionGuard, bool> guard, Action<TakenTransition>? observer = null) =>
        new("Connection", SpecTables.Connection(), ConnectionTable.Initial, guard, observer);

    /// <summary>The KeepAlive machine.</summary>
    public static TableMachine<KeepAliveState, KeepAliveTrigger, KeepAliveGuard, KeepAliveEffect> KeepAlive(Func<KeepAliveGuard, bool> guard, Action<TakenTransition>? observer = null) =>
        new("KeepAlive", SpecTables.KeepAlive(), KeepAliveTable.Initial, guard, observer);

    /// <summary>An outbound QoS 1 machine whose state lives in the caller's storage (one per message).</summary>
    public static TableMachine<PublishState, PublishTrigger, PublishGuard, PublishEffect> Publish(
        Func<PublishGuard, bool> guard, Func<PublishState> getState, Action<PublishState> setState, Action<TakenTransition>? observer = null) =>
        new("Publish", PublishRows.Value, PublishTable.Initial, guard, observer, getState, setState);

    // One copy of the publish rows for all messages: a machine is made per message.
    private static readonly Lazy<TableRow<PublishState, PublishTrigger, PublishGuard, PublishEffect>[]> PublishRows = new(() => SpecTables.Publish());
}
