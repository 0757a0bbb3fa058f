namespace StateMachineMqtt.Spec
{
    /// <summary>What an outbound publish meets when the outbound queue is at its bound (count or bytes).</summary>
    public enum OutboundOverflowPolicy
    {
        /// <summary>The call waits for room, honouring its CancellationToken (the default).</summary>
        Wait,
        /// <summary>The call fails at once with an error naming the bound that was hit.</summary>
        Reject,
        /// <summary>The oldest queued QoS 0 message is dropped and counted; QoS >= 1 is never dropped, so with none to drop the call waits.</summary>
        DropOldestQoS0,
    }

    /// <summary>What a message from the broker meets when the application's queue is full.</summary>
    public enum ReceiveOverflowPolicy
    {
        /// <summary>Stop reading the socket, at every QoS, so TCP holds the broker back; nothing is dropped (the default).</summary>
        PauseReading,
        /// <summary>
        /// Drop the oldest queued QoS 0 message, and count it, to make room for any arrival (the MicroPython client's ring
        /// buffer). A QoS >= 1 message is never dropped: with no QoS 0 message queued, reading pauses.
        /// </summary>
        DropOldestQoS0,
    }

    /// <summary>The engine's verdict on admitting one outbound message.</summary>
    public enum AdmitVerdict
    {
        /// <summary>There is room: queue it.</summary>
        Accept,
        /// <summary>Drop the oldest queued QoS 0 message, then queue this one.</summary>
        AcceptAfterDroppingOldestQoS0,
        /// <summary>No room yet: the caller waits.</summary>
        Wait,
        /// <summary>No room, and the policy says fail.</summary>
        Reject,
        /// <summary>
        /// Refused whatever the queue holds: its PUBLISH would be larger than the maximum outbound packet size, or than
        /// MQTT can frame (<see cref="PacketSizeRules.FitsOutbound"/>). The peer would close the link over it.
        /// </summary>
        TooLarge,
    }
}
