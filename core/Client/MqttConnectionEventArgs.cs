namespace StateMachineMqtt;

/// <summary>The link to the broker went up or down, or a connect attempt failed.</summary>
public sealed class MqttConnectionEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="change">What happened.</param>
    /// <param name="reason">Why, in words.</param>
    /// <param name="exception">The error behind a loss or a failed attempt, when there was one.</param>
    /// <param name="retryDelay">When the client retries: the delay before its next attempt; null when it does not.</param>
    /// <param name="attempt">For a failed attempt: its number since ConnectAsync (1 for the first); 0 otherwise.</param>
    public MqttConnectionEventArgs(MqttConnectionChange change, string reason, Exception? exception, TimeSpan? retryDelay, int attempt)
    {
        Change = change;
        Reason = reason;
        Exception = exception;
        RetryDelay = retryDelay;
        Attempt = attempt;
    }

    /// <summary>What happened: connected, an accepted link lost, or a connect attempt failed.</summary>
    public MqttConnectionChange Change { get; }

    /// <summary>True when the link came up; false when it went down or an attempt failed.</summary>
    public bool IsConnected => Change == MqttConnectionChange.Connected;

    /// <summary>Why, in words (e.g. "keepalive expired: nothing received for 60 s", or "ECONNREFUSED: connection refused").</summary>
    public string Reason { get; }

    /// <summary>The error behind a loss or a failed attempt, when there was one.</summary>
    public Exception? Exception { get; }

    /// <summary>When the client will try again: the delay before its next attempt; null when it will not (disconnected, disposed, or gave up).</summary>
    public TimeSpan? RetryDelay { get; }

    /// <summary>
    /// For <see cref="MqttConnectionChange.Connected"/>: whether the broker resumed a stored session (CONNACK's session
    /// present). False with <see cref="MqttClientOptions.CleanSession"/> off means the broker had none: what was sent to this
    /// client while it was away is gone, and the client restores its subscriptions itself. Always false for other changes.
    /// </summary>
    public bool SessionPresent { get; init; }

    /// <summary>
    /// For <see cref="MqttConnectionChange.LinkLost"/> under MQTT 5: the reason code of the DISCONNECT with which the broker
    /// ended the link (0x8B Server shutting down, 0x8E Session taken over, 0x9C Use another server...); null when the link
    /// was lost otherwise. <see cref="Reason"/> names it and carries the broker's reason string.
    /// </summary>
    public int? DisconnectReasonCode { get; init; }

    /// <summary>
    /// For <see cref="MqttConnectionChange.LinkLost"/> under MQTT 5: the Server Reference the broker's DISCONNECT named
    /// (with 0x9C Use another server or 0x9D Server moved), or null. The client dials it next only with
    /// <see cref="MqttClientOptions.FollowServerReference"/>; otherwise it goes on with its own servers.
    /// </summary>
    public string? ServerReference { get; init; }

    /// <summary>
    /// The server this change is about: the one connected to, lost, or whose attempt failed (one of
    /// <see cref="MqttClientOptions.Servers"/>, or a followed Server Reference). Null only where no server was dialled.
    /// </summary>
    public MqttServerEndpoint? Server { get; init; }

    /// <summary>For <see cref="MqttConnectionChange.AttemptFailed"/>: the attempt's number since ConnectAsync (1 for the first); otherwise 0.</summary>
    public int Attempt { get; }
}
