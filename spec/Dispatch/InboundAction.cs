namespace StateMachineMqtt.Spec
{
    /// <summary>What the engine does with a packet from the broker, as the inbound dispatch table decides.</summary>
    public enum InboundAction
    {
        /// <summary>Drop it: it needs a reply that may no longer be sent, or it answers nothing still open.</summary>
        Ignore,
        /// <summary>Judge the CONNACK: accepted (session present or new) or refused (retryable or fatal).</summary>
        ConnAck,
        /// <summary>An application message: deliver it and acknowledge it by its QoS.</summary>
        Publish,
        /// <summary>Fires PubAck on the Publish flow with that packet identifier.</summary>
        PubAck,
        /// <summary>Fires PubRec on the outbound QoS 2 flow with that packet identifier (it answers with PUBREL).</summary>
        PubRec,
        /// <summary>Releases an inbound QoS 2 receipt: forget it and answer PUBCOMP [MQTT-4.3.3-2].</summary>
        PubRel,
        /// <summary>Fires PubComp on the outbound QoS 2 flow with that packet identifier, which it ends.</summary>
        PubComp,
        /// <summary>Completes the SUBSCRIBE request with that packet identifier.</summary>
        SubAck,
        /// <summary>Completes the UNSUBSCRIBE request with that packet identifier.</summary>
        UnsubAck,
        /// <summary>Nothing beyond proving the link alive (every packet does that).</summary>
        PingResp,
        /// <summary>Close the link: the broker broke the protocol [MQTT-4.8.0-1].</summary>
        ProtocolViolation,

        /// <summary>MQTT 5: the broker closes the link with a DISCONNECT and its reason code: a lost link, with the reason told.</summary>
        ServerDisconnect,

        /// <summary>MQTT 5: an AUTH packet, judged by the enhanced authentication table (a violation for a client that named no method).</summary>
        Auth,
    }
}
