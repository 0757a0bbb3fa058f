using StateMachineMqtt.Nano.Codec;

namespace StateMachineMqtt.Nano.Client
{
    /// <summary>
    /// What an MQTT 5 client tells the application beyond <see cref="INanoMqttEvents"/>, when the same events object also
    /// implements this interface (from inside Poll, on the thread that polls). Without it, messages still reach
    /// <see cref="INanoMqttEvents.MessageReceived"/>, and failures <see cref="NanoMqttClient.LastError"/> and
    /// <see cref="NanoMqttClient.LastReasonCode"/>.
    /// </summary>
    public interface INanoMqtt5Events
    {
        /// <summary>
        /// A PUBLISH arrived, with its MQTT 5 <paramref name="properties"/> (null when it had none); called instead of
        /// <see cref="INanoMqttEvents.MessageReceived"/>.
        /// </summary>
        void MessageReceived(string topic, byte[] payload, int qos, bool retain, bool dup, NanoProperties properties);

        /// <summary>
        /// A publish failed and is no longer held: the broker refused it in its PUBACK or PUBREC (<paramref name="reasonCode"/>
        /// 0x80 and up), or it is larger than the broker's Maximum Packet Size (<paramref name="reasonCode"/> -1).
        /// <paramref name="reason"/> says which, in words.
        /// </summary>
        void PublishFailed(string topic, int reasonCode, string reason);

        /// <summary>
        /// The broker refused a subscription to <paramref name="filter"/> in its SUBACK (<paramref name="reasonCode"/> 0x80
        /// and up): it is not in force and is not restored. Also for a filter refused when the client restored its
        /// subscriptions after a new session. <paramref name="reason"/> says so in words, as <see cref="NanoMqttClient.LastError"/> does.
        /// </summary>
        void SubscribeFailed(string filter, int reasonCode, string reason);

        /// <summary>
        /// The broker refused to unsubscribe <paramref name="filter"/> in its UNSUBACK (<paramref name="reasonCode"/> 0x80
        /// and up). The client no longer restores the subscription either way; the broker may keep it until the session
        /// ends. <paramref name="reason"/> says so in words, as <see cref="NanoMqttClient.LastError"/> does.
        /// </summary>
        void UnsubscribeFailed(string filter, int reasonCode, string reason);
    }
}
