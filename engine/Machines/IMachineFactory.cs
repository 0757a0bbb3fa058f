namespace StateMachineMqtt.Engine
{
    /// <summary>How a driver gives the engine its machines: each kind configured once, from spec/'s tables.</summary>
    public interface IMachineFactory
    {
        /// <summary>A Connection machine in its initial state, asking <paramref name="guards"/> about its guards.</summary>
        IConnectionMachine CreateConnection(IConnectionGuards guards);

        /// <summary>A KeepAlive machine in its initial state, asking <paramref name="guards"/> about its guards.</summary>
        IKeepAliveMachine CreateKeepAlive(IKeepAliveGuards guards);

        /// <summary>The one Publish machine every outbound QoS 1 flow runs on.</summary>
        IPublishMachine CreatePublish();

        /// <summary>The one inbound QoS 2 machine every received QoS 2 message's exchange runs on (made when the first one arrives).</summary>
        IReceiptMachine CreateReceipt();

        /// <summary>
        /// The MQTT 5 enhanced authentication machine, asking <paramref name="guards"/> about its guards: made only for a
        /// client that names an Authentication Method, at its first CONNECT.
        /// </summary>
        IAuthenticationMachine CreateAuthentication(IAuthenticationGuards guards);
    }
}
