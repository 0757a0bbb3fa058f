using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Machines;

/// <summary>
/// The engine's machines, as Stateless machines configured from spec/'s tables (or a mutated copy, in mutation tests):
/// each kind configured once. The one Publish machine runs on each flow's own state through Stateless's external state
/// storage; no machine is built per message. Every transition taken is reported to the observer.
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

    private sealed class Publish : IPublishMachine
    {
        private readonly TableMachine<PublishState, PublishTrigger, PublishGuard, PublishEffect> _machine;
        private readonly IPublishFlow _idle = new IdleFlow();
        private IPublishFlow? _flow;

        public Publish(MachineTables tables, Action<TakenTransition>? observer)
        {
            _machine = MachineFactory.Publish(g => Current.Holds(g), () => Current.State, s => Current.State = s, observer, tables);
        }

        // Stateless reads the state when it is built and configured, before any flow is fired: it sees the initial state.
        private IPublishFlow Current => _flow ?? _idle;

        public PublishEffect Fire(IPublishFlow flow, PublishTrigger trigger)
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

        private sealed class IdleFlow : IPublishFlow
        {
            public PublishState State
            {
                get => PublishTable.Initial;
                set => throw new InvalidOperationException("The Publish machine moved outside a firing.");
            }

            public bool Holds(PublishGuard guard) => throw new InvalidOperationException("A Publish guard was read outside a firing.");
        }
    }
}
