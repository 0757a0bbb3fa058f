namespace StateMachineMqtt.Nano.Client
{
    /// <summary>What the client tells the application, from inside Poll (so on the thread that polls).</summary>
    public interface INanoMqttEvents
    {
        /// <summary>A PUBLISH arrived on a subscribed topic (QoS 1 may arrive again, with <paramref name="dup"/> set).</summary>
        void MessageReceived(string topic, byte[] payload, int qos, bool retain, bool dup);

        /// <summary>The link to the broker came up (CONNACK accepted it) or went down.</summary>
        void ConnectionChanged(bool up);

        /// <summary>Connecting failed for good: the broker address or the credentials are wrong. <paramref name="reason"/> says what to fix.</summary>
        void ConnectFailed(string reason);
    }
}
