using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>One inbound QoS 2 exchange: its state, held by the receipt (external state storage), and its guards.</summary>
    public interface IReceiptFlow
    {
        /// <summary>The exchange's state; the machine reads and writes it.</summary>
        ReceiptState State { get; set; }

        /// <summary>True when <paramref name="guard"/> holds for this exchange.</summary>
        bool Holds(ReceiptGuard guard);
    }

    /// <summary>
    /// The inbound QoS 2 machine, configured once and run on each exchange's own state: no machine is built per message.
    /// </summary>
    public interface IReceiptMachine
    {
        /// <summary>Takes the one applicable row for (<paramref name="flow"/>.State, <paramref name="trigger"/>), moves the flow to its To state and returns its effect.</summary>
        ReceiptEffect Fire(IReceiptFlow flow, ReceiptTrigger trigger);
    }
}
