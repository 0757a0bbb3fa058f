namespace StateMachineMqtt;

/// <summary>Credentials fetched per connect: the provider that refreshes a token before every CONNECT.</summary>
public sealed partial class MqttClientOptions
{
    /// <summary>
    /// Called before every link is opened — the first connect and each reconnect — for the user name and password its
    /// CONNECT carries, so a short-lived token (a JWT, a SAS token, a cloud IoT password) is fresh on every connect. Null,
    /// the default, sends <see cref="UserName"/> and <see cref="Password"/> every time; with a provider those two must be
    /// null. A provider that throws (or returns null, or a password without a user name) ends a first connect at once
    /// with <see cref="MqttConnectException"/> naming the failure; after the client has connected once it is an outage,
    /// reported as an attempt that failed, and retried with backoff. The token given is cancelled when the attempt is
    /// abandoned (disconnect, dispose, or the response time running out).
    /// </summary>
    public Func<MqttCredentialsContext, CancellationToken, ValueTask<MqttCredentials>>? CredentialsProvider { get; set; }

    private void ValidateCredentials()
    {
        if (CredentialsProvider is not null && (UserName is not null || Password is not null))
        {
            throw new ArgumentException("Set either UserName and Password, or CredentialsProvider, not both: the provider's answer is what every CONNECT sends.", nameof(CredentialsProvider));
        }
    }
}
