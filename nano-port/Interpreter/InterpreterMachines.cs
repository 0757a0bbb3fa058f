using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Interpreter
{
    /// <summary>
    /// The engine's machines on the device: spec/'s tables (or given rows, e.g. a mutated table in tests) run by the table
    /// interpreter, each kind configured once. The engine binds every guard and effect; this only picks rows.
    /// </summary>
    public sealed class InterpreterMachines : IMachineFactory
    {
        private readonly ConnectionTransition[] _connection;
        private readonly KeepAliveTransition[] _keepAlive;
        private readonly PublishTransition[] _publish;
        private readonly ReceiptTransition[] _receipt; // null: spec/'s, built only when the engine asks (a first QoS 2 message)

        /// <summary>spec/'s tables.</summary>
        public InterpreterMachines()
            : this(ConnectionTable.CreateRows(), KeepAliveTable.CreateRows(), PublishTable.CreateRows(), null)
        {
        }

        /// <summary>The given rows for each machine; <paramref name="receipt"/> null for spec/'s inbound QoS 2 table.</summary>
        public InterpreterMachines(ConnectionTransition[] connection, KeepAliveTransition[] keepAlive, PublishTransition[] publish, ReceiptTransition[] receipt)
        {
            _connection = connection;
            _keepAlive = keepAlive;
            _publish = publish;
            _receipt = receipt;
        }

        /// <summary>The Connection machine made last (for tests that read the row it took), or null.</summary>
        public ConnectionInterpreter Connection { get; private set; }

        /// <summary>The KeepAlive machine made last, or null.</summary>
        public KeepAliveInterpreter KeepAlive { get; private set; }

        /// <summary>The Publish machine made last, or null.</summary>
        public PublishInterpreter Publish { get; private set; }

        /// <summary>The inbound QoS 2 machine made last, or null (none until a QoS 2 message arrives).</summary>
        public ReceiptInterpreter Receipt { get; private set; }

        /// <inheritdoc />
        public IConnectionMachine CreateConnection(IConnectionGuards guards)
        {
            Connection = new ConnectionInterpreter(_connection, guards);
            return Connection;
        }

        /// <inheritdoc />
        public IKeepAliveMachine CreateKeepAlive(IKeepAliveGuards guards)
        {
            KeepAlive = new KeepAliveInterpreter(_keepAlive, guards);
            return KeepAlive;
        }

        /// <inheritdoc />
        public IPublishMachine CreatePublish()
        {
            Publish = new PublishInterpreter(_publish);
            return Publish;
        }

        /// <summary>The enhanced authentication machine made last, or null (the device names no Authentication Method yet).</summary>
        public AuthenticationInterpreter Authentication { get; private set; }

        /// <inheritdoc />
        public IAuthenticationMachine CreateAuthentication(IAuthenticationGuards guards)
        {
            // spec/'s rows, built only if asked: no device client names an Authentication Method yet.
            Authentication = new AuthenticationInterpreter(AuthenticationTable.CreateRows(), guards);
            return Authentication;
        }

        /// <inheritdoc />
        public IReceiptMachine CreateReceipt()
        {
            Receipt = new ReceiptInterpreter(_receipt == null ? ReceiptTable.CreateRows() : _receipt);
            return Receipt;
        }
    }
}
