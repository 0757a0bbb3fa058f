namespace StateMachineMqtt.Spec
{
    /// <summary>How a message received from the broker is acknowledged, and when.</summary>
    public static class AcknowledgementRules
    {
        /// <summary>
        /// The packet that acknowledges a received PUBLISH of <paramref name="qos"/>: <see cref="PacketKind.None"/> for QoS 0, PUBACK for QoS 1
        /// [MQTT-4.3.2-2], PUBREC for QoS 2 [MQTT-4.3.3-2]. It is sent once the application has taken the message (handed to
        /// its reader or handler), never before, so a message is not acknowledged and then lost in a full queue; and only on
        /// the link it arrived on: after a reconnect the broker re-sends it instead [MQTT-4.4.0-1].
        /// </summary>
        public static PacketKind AcknowledgementFor(int qos)
        {
            if (qos == 1)
            {
                return PacketKind.PubAck;
            }

            return qos == 2 ? PacketKind.PubRec : PacketKind.None;
        }

        /// <summary>
        /// True when the acknowledgement of a received PUBLISH too large to deliver (read past, see
        /// <see cref="PacketSizeRules.MayReadPast"/>) may go at once: no message received before it still waits for the
        /// application. Otherwise it waits behind them, as a placeholder in the application's queue that is acknowledged, never
        /// delivered, when it reaches the head: acknowledgements go in the order the PUBLISH packets arrived [MQTT-4.6.0-2],
        /// and those ahead are acknowledged only when taken. The placeholder counts against the queue's bound (I10).
        /// </summary>
        public static bool AcknowledgesDroppedAtOnce(int undelivered)
        {
            return undelivered == 0;
        }
    }
}
