namespace StateMachineMqtt;

/// <summary>
/// MQTT 5 enhanced authentication (section 4.12): a challenge/response method such as SCRAM or Kerberos, whose steps the
/// client runs when the broker asks. The client decides when each step is due (spec/'s Authentication table) and carries
/// the bytes; this computes them. Each call gets a token that is cancelled when the link it is for closes; a call that
/// throws fails the step: on a first connect ConnectAsync fails at once, later the link is closed and retried.
/// </summary>
public interface IMqttEnhancedAuthenticator
{
    /// <summary>The Authentication Method every CONNECT and AUTH names, e.g. "SCRAM-SHA-256"; it must not change.</summary>
    string Method { get; }

    /// <summary>
    /// The first Authentication Data of an exchange (null: none), for the CONNECT of every link, or for the AUTH 0x19 of a
    /// re-authentication when <paramref name="reauthentication"/> is true.
    /// </summary>
    ValueTask<ReadOnlyMemory<byte>?> StartAsync(bool reauthentication, CancellationToken cancellationToken);

    /// <summary>The answer to the broker's AUTH 0x18 challenge, whose Authentication Data is <paramref name="challenge"/> (null: none).</summary>
    ValueTask<ReadOnlyMemory<byte>?> ContinueAsync(ReadOnlyMemory<byte>? challenge, CancellationToken cancellationToken);

    /// <summary>
    /// The broker accepted (CONNACK, or AUTH 0x00 after a re-authentication) with <paramref name="serverData"/> (null:
    /// none): check it where the method authenticates the broker too. Throwing says the broker is not trusted, and the
    /// client closes the link.
    /// </summary>
    ValueTask CompleteAsync(ReadOnlyMemory<byte>? serverData, CancellationToken cancellationToken);
}
