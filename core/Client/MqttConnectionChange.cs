namespace StateMachineMqtt;

/// <summary>What a <see cref="MqttClient.ConnectionChanged"/> event reports.</summary>
public enum MqttConnectionChange
{
    /// <summary>A CONNACK accepted a link: the client is connected.</summary>
    Connected,

    /// <summary>An accepted link went down (the client reconnects, unless DisconnectAsync or DisposeAsync closed it).</summary>
    LinkLost,

    /// <summary>A connect attempt failed before any CONNACK accepted it (refused, unreachable, timed out); the client retries after <see cref="MqttConnectionEventArgs.RetryDelay"/>.</summary>
    AttemptFailed,
}
