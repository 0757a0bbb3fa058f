using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Machines;

/// <summary>
/// The engine's machines, as Stateless machines configured from spec/'s tables (or a mutated copy, in mutation tests):
/// each kind configured once. The one Publish machine, and the one Receipt machine, runs on each flow's own state through
/// Stateless's external state storage; no machine is built per message. Every transition taken is reported to the observer.
/// </summary>
internal sealed class StatelessMachines(MachineTables? tables = null, Action<TakenTransition>? observer = null) : IMachineFactory
{
    private readonly MachineTables _tables = tables ?? MachineTables.Spec;

    /// <inheritdoc/>
    public IConnectionMachine CreateConnection(IConnectionGuards guards) =>
        new Connection(MachineFactory.Connection(guards.Holds, observer, _tables));

    /// <inheritdoc/>
    public IKeepAliveMachine CreateKeepAlive(IKeepAliveGuards guards) =>
        new KeepAlive(MachineFactory.KeepAlive(guards.Holds, observer, _tables));

    /// <inheritdoc/>
    public IAuthenticationMachine CreateAuthentication(IAuthenticationGuards guards) =>
        new Authentication(MachineFactory.Authentication(guards.Holds, observer, _tables));

    /// <inheritdoc/>
    public IPublishMachine CreatePublish() => new Publish(_tables, observer);

    private sealed class Connection(TableMachine<ConnectionState, ConnectionTrigger, ConnectionGuard, ConnectionEffect> machine) : IConnectionMachine
    {
        public ConnectionState State => machine.State;

        public ConnectionEffect Fire(ConnectionTrigger trigger) => machine.Fire(trigger).Effect;
    }

    private sealed class KeepAlive(TableMachine<KeepAliveState, KeepAliveTrigger, KeepAliveGuard, KeepAliveEffect> machine) : IKeepAliveMachine
    {
        public KeepAliveState State => machine.State;

        public KeepAliveEffect Fire(KeepAliveTrigger trigger) => machine.Fire(trigger).Effect;
    }

    private sealed class Authentication(TableMachine<AuthenticationState, AuthenticationTrigger, AuthenticationGuard, AuthenticationEffect> machine) : IAuthenticationMachine
    {
        public AuthenticationState State => machine.State;

        public AuthenticationEffect Fire(AuthenticationTrigger trigger) => machine.Fire(trigger).Effect;
    }

    /// <inheritdoc/>
    public IReceiptMachine CreateReceipt() => new Receipt(_tables, observer);

    private sealed class Publish(MachineTables tables, Action<TakenTransition>? observer) : IPublishMachine
    {
        private readonly FlowMachine<IPublishFlow, PublishState, PublishTrigger, PublishGuard, PublishEffect> _machine = new(
            "Publish", PublishTable.Initial, f => f.State, (f, s) => f.State = s, (f, g) => f.Holds(g),
            (guard, get, set) => MachineFactory.Publish(guard, get, set, observer, tables));

        public PublishEffect Fire(IPublishFlow flow, PublishTrigger trigger) => _machine.Fire(flow, trigger);
    }

    private sealed class Receipt(MachineTables tables, Action<TakenTransition>? observer) : IReceiptMachine
    {
        private readonly FlowMachine<IReceiptFlow, ReceiptState, ReceiptTrigger, ReceiptGuard, ReceiptEffect> _machine = new(
            "Receipt", ReceiptTable.Initial, f => f.State, (f, s) => f.State = s, (f, g) => f.Holds(g),
            (guard, get, set) => MachineFactory.Receipt(guard, get, set, observer, tables));

        public ReceiptEffect Fire(IReceiptFlow flow, ReceiptTrigger trigger) => _machine.Fire(flow, trigger);
    }

    /// <summary>
    /// One table machine run on the state of whichever flow is firing it (Stateless's external state storage), so one
    /// machine serves every message.
    /// </summary>
    private sealed class FlowMachine<TFlow, TState, TTrigger, TGuard, TEffect>
        where TFlow : class
        where TState : struct, Enum
        where TTrigger : struct, Enum
        where TGuard : struct, Enum
        where TEffect : struct, Enum
    {
        private readonly string _name;
        private readonly TableMachine<TState, TTrigger, TGuard, TEffect> _machine;
        private TFlow? _flow;

        public FlowMachine(
            string name, TState initial, Func<TFlow, TState> get, Action<TFlow, TState> set, Func<TFlow, TGuard, bool> holds,
            Func<Func<TGuard, bool>, Func<TState>, Action<TState>, TableMachine<TState, TTrigger, TGuard, TEffect>> build)
        {
            _name = name;
            // Stateless reads the state when it is built and configured, before any flow is fired: it sees the initial state.
            _machine = build(g => holds(Firing("guard was read"), g), () => _flow is null ? initial : get(_flow), s => set(Firing("machine moved"), s));
        }

        public TEffect Fire(TFlow flow, TTrigger trigger)
        {
            _flow = flow;
            try
            {
                return _machine.Fire(trigger).Effect;
            }
            finally
            {
                _flow = null;
            }
        }

        private TFlow Firing(string what) => _flow ?? throw new InvalidOperationException($"A {_name} {what} outside a firing.");
    }
}
