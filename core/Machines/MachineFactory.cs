using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Machines;

/// <summary>Builds the five machines from spec/ (or a given copy of its tables) with guards bound by the caller. Used by the client and by the diagram tool.</summary>
internal static class MachineFactory
{
    /// <summary>The Connection machine.</summary>
    public static TableMachine<ConnectionState, ConnectionTrigger, ConnectionGuard, ConnectionEffect> Connection(Func<ConnectionGuard, bool> guard, Action<TakenTransition>? observer = null, MachineTables? tables = null) =>
        new("Connection", (tables ?? MachineTables.Spec).Connection, ConnectionTable.Initial, guard, observer);

    /// <summary>The KeepAlive machine.</summary>
    public static TableMachine<KeepAliveState, KeepAliveTrigger, KeepAliveGuard, KeepAliveEffect> KeepAlive(Func<KeepAliveGuard, bool> guard, Action<TakenTransition>? observer = null, MachineTables? tables = null) =>
        new("KeepAlive", (tables ?? MachineTables.Spec).KeepAlive, KeepAliveTable.Initial, guard, observer);

    /// <summary>The MQTT 5 enhanced authentication machine.</summary>
    public static TableMachine<AuthenticationState, AuthenticationTrigger, AuthenticationGuard, AuthenticationEffect> Authentication(Func<AuthenticationGuard, bool> guard, Action<TakenTransition>? observer = null, MachineTables? tables = null) =>
        new("Authentication", (tables ?? MachineTables.Spec).AuthenticationRows, AuthenticationTable.Initial, guard, observer);

    /// <summary>An outbound QoS 1 machine whose state lives in the caller's storage (one per message).</summary>
    public static TableMachine<PublishState, PublishTrigger, PublishGuard, PublishEffect> Publish(
        Func<PublishGuard, bool> guard, Func<PublishState> getState, Action<PublishState> setState, Action<TakenTransition>? observer = null, MachineTables? tables = null) =>
        new("Publish", (tables ?? MachineTables.Spec).Publish, PublishTable.Initial, guard, observer, getState, setState);

    /// <summary>An inbound QoS 2 machine whose state lives in the caller's storage (one per received message).</summary>
    public static TableMachine<ReceiptState, ReceiptTrigger, ReceiptGuard, ReceiptEffect> Receipt(
        Func<ReceiptGuard, bool> guard, Func<ReceiptState> getState, Action<ReceiptState> setState, Action<TakenTransition>? observer = null, MachineTables? tables = null) =>
        new("Receipt", (tables ?? MachineTables.Spec).Receipt, ReceiptTable.Initial, guard, observer, getState, setState);
}
