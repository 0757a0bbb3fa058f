namespace StateMachineMqtt;

/// <summary>The link to the broker went up or down.</summary>
public sealed class MqttConnectionEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public MqttConnectionEventArgs(bool isConnected, string reason, Exception? exception = null)
    {
        IsConnected = isConnected;
        Reason = reason;
        Exception = exception;
    }

    /// <summary>True when the link came up, false when it went down.</summary>
    public bool IsConnected { get; }

    /// <summary>Why, in words (e.g. "keepalive expired: nothing received for 60 s").</summary>
    public string Reason { get; }

    /// <summary>The error behind a loss, when there was one.</summary>
    public Exception? Exception { get; }
}
