namespace StateMachineMqtt.Machines;

/// <summary>A spec row in generic form: the shape every machine's table shares.</summary>
internal readonly record struct TableRow<TState, TTrigger, TGuard, TEffect>(
    int Index, TState From, TTrigger Trigger, TState To, TGuard Guard, TEffect Effect, string Rule)
    where TState : struct, Enum
    where TTrigger : struct, Enum
    where TGuard : struct, Enum
    where TEffect : struct, Enum;

/// <summary>A transition the runtime took, as recorded for conformance checks.</summary>
/// <param name="Machine">Machine name ("Connection", "KeepAlive", "Publish").</param>
/// <param name="RowIndex">Index of the row in the table's CreateRows() order.</param>
/// <param name="From">State before.</param>
/// <param name="Trigger">Trigger fired.</param>
/// <param name="To">State after.</param>
internal readonly record struct TakenTransition(string Machine, int RowIndex, string From, string Trigger, string To);
