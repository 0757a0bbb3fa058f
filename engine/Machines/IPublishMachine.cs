using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Engine
{
    /// <summary>One outbound QoS 1 flow: its state, held by the message (external state storage), and its guards.</summary>
    public interface IPublishFlow
    {
        /// <summary>The flow's state; the machine reads and writes it.</summary>
        PublishState State { get; set; }

        /// <summary>True when <paramref name="guard"/> holds for this flow.</summary>
        bool Holds(PublishGuard guard);
    }

    /// <summary>
    /// The Publish machine, configured once and run on each flow's own state: no machine is built per message.
    /// </summary>
    public interface IPublishMachine
    {
        /// <summary>Takes the one applicable row for (<paramref name="flow"/>.State, <paramref name="trigger"/>), moves the flow to its To state and returns its effect.</summary>
        PublishEffect Fire(IPublishFlow flow, PublishTrigger trigger);
    }
}
