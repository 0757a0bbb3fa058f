namespace StateMachineMqtt.Verification.ModelChecking;

/// <summary>What a model-checking run found and how much it explored.</summary>
public sealed record CheckReport
{
    /// <summary>Distinct states reached (by fingerprint), including those the liveness closure added.</summary>
    public long StatesExplored { get; init; }
    /// <summary>Transitions (state, event) examined by the breadth-first search.</summary>
    public long Transitions { get; init; }
    /// <summary>Deepest level completed.</summary>
    public int Depth { get; init; }
    /// <summary>True when no new state remained: every reachable state was explored.</summary>
    public bool Exhaustive { get; init; }
    /// <summary>Time spent on the safety search.</summary>
    public TimeSpan SafetyTime { get; init; }
    /// <summary>States in the liveness graph (healthy environment, quiet application), closed under its transitions.</summary>
    public long LivenessStates { get; init; }
    /// <summary>Edges in the liveness graph.</summary>
    public long LivenessEdges { get; init; }
    /// <summary>Strongly connected components of the liveness graph that contain a cycle.</summary>
    public long CyclicComponents { get; init; }
    /// <summary>Of those, the ones a weakly fair scheduler can stay in forever.</summary>
    public long FairComponents { get; init; }
    /// <summary>Time spent on the liveness check.</summary>
    public TimeSpan LivenessTime { get; init; }
    /// <summary>The first violation found, or null.</summary>
    public Violation? Violation { get; init; }
    /// <summary>The violation the trace's replay on core/'s StatelessMachines met (it should be <see cref="Violation"/>'s, for a safety violation).</summary>
    public Violation? ReplayedViolation { get; init; }
    /// <summary>The counter-example: one entry per event, with the rows it took, what was sent and heard, and the state after; a lasso for liveness.</summary>
    public IReadOnlyList<string> Trace { get; init; } = [];

    /// <summary>A summary line and, on failure, the trace.</summary>
    public override string ToString()
    {
        string summary = $"safety: {StatesExplored:N0} states, {Transitions:N0} transitions, depth {Depth}{(Exhaustive ? " (exhaustive)" : "")}, {SafetyTime.TotalSeconds:0.0} s; "
            + $"liveness: {LivenessStates:N0} states, {LivenessEdges:N0} edges, {CyclicComponents:N0} cyclic SCCs ({FairComponents:N0} fair), {LivenessTime.TotalSeconds:0.0} s";
        return Violation is null ? summary + "; no violation" : $"{summary}{Environment.NewLine}VIOLATION {Violation}{Environment.NewLine}{string.Join(Environment.NewLine, Trace)}";
    }
}
