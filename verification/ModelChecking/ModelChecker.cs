using System.Diagnostics;
using StateMachineMqtt.Engine;
using StateMachineMqtt.Machines;

namespace StateMachineMqtt.Verification.ModelChecking;

/// <summary>
/// Explores the session engine itself — the code users run, on machines built from the tables — composed with the
/// environment model of <see cref="World"/>, breadth-first to a depth. Each state is identified by the hash of its
/// canonical fingerprint (<see cref="SessionEngine.Fingerprint"/> and the environment's); each event is tried on a copy
/// of the state (<see cref="WorldCopier"/>). Every step's invariants are checked as it is taken; then the liveness check
/// (<see cref="LivenessChecker"/>) runs on what was reached. A counter-example is replayed from the initial state on core/'s
/// own StatelessMachines, whose observer names every row taken.
/// </summary>
internal sealed class ModelChecker
{
    private readonly Dictionary<StateId, int> _index = [];
    private readonly List<int> _parent = [];
    private readonly List<int> _event = [];
    private readonly List<StateFlags> _flags = [];
    private readonly List<StateId> _ids = [];
    private readonly HashingSink _sink = new();
    private ModelMachines? _machines;

    /// <summary>A checker over <paramref name="tables"/> (a mutated copy in mutation tests), optionally with a seeded bug in the engine's guard bindings.</summary>
    /// <param name="tables">The tables (a mutated copy, in mutation tests); spec/'s by default.</param>
    /// <param name="options">The model's bounds.</param>
    /// <param name="mutation">A seeded bug in the engine's guard bindings, if any.</param>
    public ModelChecker(MachineTables? tables = null, ModelOptions? options = null, GuardMutation? mutation = null)
    {
        Options = options ?? new ModelOptions();
        Options.Validate();
        Tables = tables ?? MachineTables.Spec;
        Mutation = mutation;
    }

    /// <summary>The tables checked.</summary>
    public MachineTables Tables { get; }

    /// <summary>The model's bounds.</summary>
    public ModelOptions Options { get; }

    /// <summary>The seeded bug in the guard bindings, if any.</summary>
    public GuardMutation? Mutation { get; }

    /// <summary>What is known of each reached state, by index (breadth-first order).</summary>
    internal IReadOnlyList<StateFlags> Flags => _flags;

    /// <summary>
    /// The liveness graph's edges found so far: (from, to, event code), from healthy states by liveness events.
    /// </summary>
    internal List<(int From, int To, int Code)> Edges { get; } = [];

    internal WorldCopier? Copier { get; private set; }

    /// <summary>Explores to <paramref name="maxDepth"/> events from the initial state, stopping at the first violation.</summary>
    public CheckReport Run(int maxDepth, bool checkLiveness = true)
    {
        var clock = Stopwatch.StartNew();
        var machines = _machines = new ModelMachines(Tables);
        World initial = World.Initial(Options, Mutation is null ? machines : new MutatedMachines(machines, Mutation));
        Copier = new WorldCopier([.. machines.Shared, Options, initial.Engine.Options], World.EnvironmentTypes);
        Add(Id(initial), -1, -1, FlagsOf(initial));
        OnReached?.Invoke(new Reach(0, initial, true, -1, -1));
        var frontier = new List<World?> { initial };
        var enabled = new List<ModelEvent>();
        long transitions = 0;
        int depth = 0;
        int levelStart = 0;
        while (depth < maxDepth && frontier.Count > 0)
        {
            var next = new List<World?>();
            for (int k = 0; k < frontier.Count; k++)
            {
                int at = levelStart + k;
                World world = frontier[k]!;
                frontier[k] = null;
                enabled.Clear();
                world.Enabled(enabled);
                bool healthy = _flags[at].HasFlag(StateFlags.Healthy);
                for (int j = 0; j < enabled.Count; j++)
                {
                    ModelEvent e = enabled[j];
                    World child = ChildFor(world, e, j == enabled.Count - 1);
                    transitions++;
                    if (child.Apply(e) is { } violation)
                    {
                        return Failed(new CheckReport { StatesExplored = _flags.Count, Transitions = transitions, Depth = depth, SafetyTime = clock.Elapsed }, violation, [.. PathTo(at), e.Code]);
                    }

                    int target = Reached(child, at, e, next);
                    if (healthy && e.InLivenessGraph)
                    {
                        Edges.Add((at, target, e.Code));
                    }
                }
            }

            levelStart += frontier.Count;
            frontier = next;
            depth++;
        }

        var report = new CheckReport
        {
            StatesExplored = _flags.Count, Transitions = transitions, Depth = depth, Exhaustive = frontier.Count == 0, SafetyTime = clock.Elapsed };
        if (!checkLiveness)
        {
            return report;
        }

        // States left unexpanded at the depth bound still join the liveness graph, closed under its events.
        var unexpanded = new List<(int, World)>();
        for (int k = 0; k < frontier.Count; k++)
        {
            if (_flags[levelStart + k].HasFlag(StateFlags.Healthy))
            {
                unexpanded.Add((levelStart + k, frontier[k]!));
            }
        }

        return new LivenessChecker(this).Check(report, unexpanded);
    }

    /// <summary>
    /// The world to try <paramref name="e"/> on: the world itself for its last event, when that leaves every other world's
    /// engine alone; else a copy — of the environment alone, sharing the engine, when the event does not touch the engine.
    /// </summary>
    internal World ChildFor(World world, ModelEvent e, bool last)
    {
        if (last && (world.OwnsEngine || !e.TouchesEngine))
        {
            return world;
        }

        if (e.TouchesEngine)
        {
            World copy = Copier!.Fork(world);
            copy.OwnsEngine = true;
            return copy;
        }

        World shared = Copier!.Fork(world, environmentOnly: true);
        shared.OwnsEngine = false;
        world.OwnsEngine = false;
        return shared;
    }

    /// <summary>The index of <paramref name="world"/>'s state, adding it (and queuing the world) when new.</summary>
    internal int Reached(World world, int parent, ModelEvent e, List<World?> queue)
    {
        StateId id = Id(world);
        if (_index.TryGetValue(id, out int known))
        {
            OnReached?.Invoke(new Reach(known, world, false, parent, e.Code));
            return known;
        }

        queue.Add(world);
        int added = Add(id, parent, e.Code, FlagsOf(world));
        OnReached?.Invoke(new Reach(added, world, true, parent, e.Code));
        return added;
    }

    /// <summary>For the fingerprint's own tests: told of every transition's target state.</summary>
    internal Action<Reach>? OnReached { get; set; }

    /// <summary>The fingerprint's identity of reached state <paramref name="at"/>.</summary>
    internal StateId IdOf(int at) => _ids[at];

    /// <summary>The events leading from the initial state to reached state <paramref name="at"/>.</summary>
    internal List<int> PathTo(int at)
    {
        var path = new List<int>();
        for (int i = at; _parent[i] >= 0; i = _parent[i])
        {
            path.Add(_event[i]);
        }

        path.Reverse();
        return path;
    }

    /// <summary>The report for a violation, with its trace replayed on core/'s StatelessMachines.</summary>
    internal CheckReport Failed(CheckReport report, Violation violation, List<int> path, int cycleStart = -1, string? cycleNote = null)
    {
        var (trace, replayed) = Replay(path, cycleStart, cycleNote);
        return report with { Violation = violation, Trace = trace, ReplayedViolation = replayed };
    }

    /// <summary>
    /// Replays <paramref name="events"/> from the initial state on core/'s own StatelessMachines (built from the same tables,
    /// with the same seeded bug), printing each event with the rows its observer reports, what the engine sent and said,
    /// and the state after. Returns the lines and the violation the replay itself met (null if none).
    /// </summary>
    internal (List<string> Lines, Violation? Violation) Replay(IReadOnlyList<int> events, int cycleStart = -1, string? cycleNote = null)
    {
        var log = new List<string>();
        IMachineFactory machines = new StatelessMachines(Tables, t => log.Add(RowText(t)));
        World world = World.Initial(Options, Mutation is null ? machines : new MutatedMachines(machines, Mutation));
        world.Log = log;
        var lines = new List<string> { $"   initial: {world}" };
        var enabled = new List<ModelEvent>();
        Violation? violation = null;
        for (int step = 0; step < events.Count; step++)
        {
            if (step == cycleStart)
            {
                lines.Add($"   --- {cycleNote} ---");
            }

            var e = ModelEvent.FromCode(events[step]);
            enabled.Clear();
            world.Enabled(enabled);
            if (!enabled.Contains(e))
            {
                lines.Add($"   !!! {e} is not enabled on replay: the exploration and core/'s machines disagree");
                break;
            }

            log.Clear();
            violation = world.Apply(e);
            lines.Add($"{step + 1,4}. {e}");
            lines.AddRange(log.Select(l => "        " + l));
            lines.Add($"      -> {world}{(violation is null ? "" : "  <-- " + violation)}");
            if (violation is not null)
            {
                break;
            }
        }

        return (lines, violation);
    }

    /// <summary>The world reached by replaying <paramref name="events"/> on core/'s StatelessMachines.</summary>
    internal World ReplayWorld(IReadOnlyList<int> events, bool onExplorationMachines = false)
    {
        IMachineFactory machines = onExplorationMachines ? _machines ??= new ModelMachines(Tables) : new StatelessMachines(Tables);
        World world = World.Initial(Options, Mutation is null ? machines : new MutatedMachines(machines, Mutation));
        foreach (int code in events)
        {
            world.Apply(ModelEvent.FromCode(code));
        }

        return world;
    }

    internal StateId Id(World world)
    {
        _sink.Reset();
        world.Fingerprint(_sink);
        return _sink.Id;
    }

    internal static StateFlags FlagsOf(World w) =>
        (w.Healthy ? StateFlags.Healthy : 0) | (w.Engine.IsConnected ? StateFlags.Connected : 0) | (w.Engine.HeldCount > 0 ? StateFlags.Holding : 0)
        | (w.ConnectPending ? StateFlags.ConnectPending : 0) | (w.DisconnectPending ? StateFlags.DisconnectPending : 0);

    private string RowText(TakenTransition t)
    {
        string effect = t.Machine switch
        {
            "Connection" => Tables.Connection[t.RowIndex].Effect.ToString(),
            "KeepAlive" => Tables.KeepAlive[t.RowIndex].Effect.ToString(),
            "Receipt" => Tables.Receipt[t.RowIndex].Effect.ToString(), // its own table: the Publish row of that index is another row
            _ => Tables.Publish[t.RowIndex].Effect.ToString(),
        };
        return $"{t.Machine}[{t.RowIndex}] {t.From} --{t.Trigger}--> {t.To} / {effect}";
    }

    private int Add(StateId id, int parent, int eventCode, StateFlags flags)
    {
        _index.Add(id, _flags.Count);
        _ids.Add(id);
        _parent.Add(parent);
        _event.Add(eventCode);
        _flags.Add(flags);
        return _flags.Count - 1;
    }
}

/// <summary>What the liveness check needs to know of a state.</summary>
[Flags]
internal enum StateFlags : byte
{
    None = 0,
    /// <summary>Network and broker up: a root of the liveness graph.</summary>
    Healthy = 1,
    /// <summary>The engine is Connected.</summary>
    Connected = 2,
    /// <summary>The engine holds a message.</summary>
    Holding = 4,
    /// <summary>A ConnectAsync call is waiting.</summary>
    ConnectPending = 8,
    /// <summary>A DisconnectAsync call is waiting.</summary>
    DisconnectPending = 16,
}

/// <summary>A transition's target, for <see cref="ModelChecker.OnReached"/>.</summary>
/// <param name="Index">The target state's index.</param>
/// <param name="World">The world the transition produced.</param>
/// <param name="IsNew">True when the state was first reached by this transition.</param>
/// <param name="Parent">The source state's index.</param>
/// <param name="Code">The event's code.</param>
internal readonly record struct Reach(int Index, World World, bool IsNew, int Parent, int Code);
