using StateMachineMqtt.Machines;

namespace StateMachineMqtt.PropertyTests.Conformance;

/// <summary>
/// An ambient sink for taken transitions, active only inside a coverage run. AsyncLocal rather than static so a
/// coverage run never sees transitions of tests running in parallel with it.
/// </summary>
internal static class TransitionLedger
{
    private static readonly AsyncLocal<Action<TakenTransition>?> Sink = new();

    /// <summary>The active sink, or null outside a coverage run.</summary>
    public static Action<TakenTransition>? Current => Sink.Value;

    /// <summary>Runs <paramref name="body"/> with every scenario's transitions also going to <paramref name="sink"/>.</summary>
    public static void Record(Action<TakenTransition> sink, Action body)
    {
        Action<TakenTransition>? previous = Sink.Value;
        Sink.Value = sink;
        try
        {
            body();
        }
        finally
        {
            Sink.Value = previous;
        }
    }
}
