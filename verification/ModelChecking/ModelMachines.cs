using StateMachineMqtt.Engine;
using StateMachineMqtt.Machines;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Verification.ModelChecking;

/// <summary>
/// The engine's machines while exploring: core/'s <see cref="TableMachine{TState,TTrigger,TGuard,TEffect}"/> (Stateless,
/// configured from the tables and checked against the row it takes), one per kind for the whole run, each firing on the
/// state of the engine that fires it through Stateless's external state storage — as core/'s StatelessMachines runs its
/// one Publish machine on every flow. So an engine's machines are three small cells the checker copies with the engine
/// (<see cref="WorldCopier"/>), and a copy never rebuilds a Stateless machine. Traces are replayed on core/'s own
/// StatelessMachines with its observer (<see cref="ModelChecker"/>), and the two agree (FingerprintTests).
/// </summary>
internal sealed class ModelMachines : IMachineFactory
{
    private readonly TableMachine<ConnectionState, ConnectionTrigger, ConnectionGuard, ConnectionEffect> _connection;
    private readonly TableMachine<KeepAliveState, KeepAliveTrigger, KeepAliveGuard, KeepAliveEffect> _keepAlive;
    private readonly IPublishMachine _publish;
    private readonly IReceiptMachine _receipt;
    private ConnectionCell? _firingConnection;
    private KeepAliveCell? _firingKeepAlive;

    public ModelMachines(MachineTables tables)
    {
        _connection = new TableMachine<ConnectionState, ConnectionTrigger, ConnectionGuard, ConnectionEffect>(
            "Connection", tables.Connection, ConnectionTable.Initial, g => _firingConnection!.Guards.Holds(g), null,
            () => _firingConnection?.State ?? ConnectionTable.Initial, s => _firingConnection!.State = s);
        _keepAlive = new TableMachine<KeepAliveState, KeepAliveTrigger, KeepAliveGuard, KeepAliveEffect>(
            "KeepAlive", tables.KeepAlive, KeepAliveTable.Initial, g => _firingKeepAlive!.Guards.Holds(g), null,
            () => _firingKeepAlive?.State ?? KeepAliveTable.Initial, s => _firingKeepAlive!.State = s);
        // The Publish and Receipt machines already keep no state of their own: core's, shared by every engine of the run.
        var stateless = new StatelessMachines(tables);
        _publish = stateless.CreatePublish();
        _receipt = stateless.CreateReceipt();
    }

    /// <summary>What every engine of the run shares, and a copy of a world must not copy: this factory and its Publish and Receipt machines.</summary>
    public object[] Shared => [this, _publish, _receipt];

    public IConnectionMachine CreateConnection(IConnectionGuards guards) => new ConnectionCell(this, guards);

    public IKeepAliveMachine CreateKeepAlive(IKeepAliveGuards guards) => new KeepAliveCell(this, guards);

    public IPublishMachine CreatePublish() => _publish;

    public IReceiptMachine CreateReceipt() => _receipt;

    // The model's client names no Authentication Method, so its engines never ask; a Stateless machine here would hold
    // state the world copier does not copy.
    public IAuthenticationMachine CreateAuthentication(IAuthenticationGuards guards) =>
        throw new NotSupportedException("The model checker's client names no Authentication Method: enhanced authentication is not modelled.");

    private sealed class ConnectionCell(ModelMachines shared, IConnectionGuards guards) : IConnectionMachine
    {
        public IConnectionGuards Guards { get; } = guards;

        public ConnectionState State { get; set; } = ConnectionTable.Initial;

        public ConnectionEffect Fire(ConnectionTrigger trigger)
        {
            shared._firingConnection = this;
            try
            {
                return shared._connection.Fire(trigger).Effect;
            }
            finally
            {
                shared._firingConnection = null;
            }
        }
    }

    private sealed class KeepAliveCell(ModelMachines shared, IKeepAliveGuards guards) : IKeepAliveMachine
    {
        public IKeepAliveGuards Guards { get; } = guards;

        public KeepAliveState State { get; set; } = KeepAliveTable.Initial;

        public KeepAliveEffect Fire(KeepAliveTrigger trigger)
        {
            shared._firingKeepAlive = this;
            try
            {
                return shared._keepAlive.Fire(trigger).Effect;
            }
            finally
            {
                shared._firingKeepAlive = null;
            }
        }
    }
}

/// <summary>
/// One seeded misreading of a guard: the machine asking <see cref="Guard"/> is answered as if it had asked whether any of
/// <see cref="ReadAs"/> holds, in the engine's own binding (none: never; the guard and its complement: always). Data, not
/// code, so the checker binds no guard itself: every answer still comes from the engine.
/// </summary>
/// <typeparam name="TGuard">The guard enum of one machine kind.</typeparam>
public sealed record GuardRewrite<TGuard>(TGuard Guard, params TGuard[] ReadAs)
    where TGuard : struct, Enum
{
    /// <summary>The answer the machine sees: through the rewrite for <paramref name="guard"/> in <paramref name="rewrites"/>, if any.</summary>
    internal static bool Read(IReadOnlyList<GuardRewrite<TGuard>>? rewrites, TGuard guard, Func<TGuard, bool> engine)
    {
        GuardRewrite<TGuard>? rewrite = rewrites?.FirstOrDefault(r => EqualityComparer<TGuard>.Default.Equals(r.Guard, guard));
        return rewrite is null ? engine(guard) : rewrite.ReadAs.Any(engine);
    }
}

/// <summary>
/// A seeded bug in the engine's guard bindings (the checker's test-only hook into the engine, at the machine interfaces
/// it binds its guards through): guards the machines read as others (<see cref="GuardRewrite{TGuard}"/>). Applied by
/// <see cref="MutatedMachines"/> around any machine factory, so exploration and the replay of its trace see the same bug.
/// </summary>
/// <param name="Name">What the bug is, for reports.</param>
/// <param name="Connection">Rewrites of Connection guards.</param>
/// <param name="KeepAlive">Rewrites of KeepAlive guards.</param>
/// <param name="Publish">Rewrites of Publish guards.</param>
/// <param name="Receipt">Rewrites of inbound QoS 2 guards.</param>
public sealed record GuardMutation(
    string Name,
    IReadOnlyList<GuardRewrite<ConnectionGuard>>? Connection = null,
    IReadOnlyList<GuardRewrite<KeepAliveGuard>>? KeepAlive = null,
    IReadOnlyList<GuardRewrite<PublishGuard>>? Publish = null,
    IReadOnlyList<GuardRewrite<ReceiptGuard>>? Receipt = null)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>Wraps a machine factory so that its machines ask the engine's guards through a <see cref="GuardMutation"/>.</summary>
internal sealed class MutatedMachines(IMachineFactory inner, GuardMutation mutation) : IMachineFactory
{
    public IConnectionMachine CreateConnection(IConnectionGuards guards) => inner.CreateConnection(new ConnectionGuards(guards, mutation));

    public IKeepAliveMachine CreateKeepAlive(IKeepAliveGuards guards) => inner.CreateKeepAlive(new KeepAliveGuards(guards, mutation));

    public IPublishMachine CreatePublish() => new Publish(inner.CreatePublish(), mutation);

    public IReceiptMachine CreateReceipt() => new Receipt(inner.CreateReceipt(), mutation);

    public IAuthenticationMachine CreateAuthentication(IAuthenticationGuards guards) => inner.CreateAuthentication(guards);

    private sealed class ConnectionGuards(IConnectionGuards engine, GuardMutation mutation) : IConnectionGuards
    {
        public bool Holds(ConnectionGuard guard) => GuardRewrite<ConnectionGuard>.Read(mutation.Connection, guard, engine.Holds);
    }

    private sealed class KeepAliveGuards(IKeepAliveGuards engine, GuardMutation mutation) : IKeepAliveGuards
    {
        public bool Holds(KeepAliveGuard guard) => GuardRewrite<KeepAliveGuard>.Read(mutation.KeepAlive, guard, engine.Holds);
    }

    private sealed class Publish(IPublishMachine machine, GuardMutation mutation) : IPublishMachine
    {
        public PublishEffect Fire(IPublishFlow flow, PublishTrigger trigger) => machine.Fire(new Flow(flow, mutation), trigger);
    }

    private sealed class Flow(IPublishFlow flow, GuardMutation mutation) : IPublishFlow
    {
        public PublishState State
        {
            get => flow.State;
            set => flow.State = value;
        }

        public bool Holds(PublishGuard guard) => GuardRewrite<PublishGuard>.Read(mutation.Publish, guard, flow.Holds);
    }

    private sealed class Receipt(IReceiptMachine machine, GuardMutation mutation) : IReceiptMachine
    {
        public ReceiptEffect Fire(IReceiptFlow flow, ReceiptTrigger trigger) => machine.Fire(new ReceiptFlow(flow, mutation), trigger);
    }

    private sealed class ReceiptFlow(IReceiptFlow flow, GuardMutation mutation) : IReceiptFlow
    {
        public ReceiptState State
        {
            get => flow.State;
            set => flow.State = value;
        }

        public bool Holds(ReceiptGuard guard) => GuardRewrite<ReceiptGuard>.Read(mutation.Receipt, guard, flow.Holds);
    }
}
