using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Integration.Tls;

/// <summary>
/// Certificates made once per class, and one Mosquitto with a TLS listener per case (plus a plain one for the password
/// tests), started on first use so a machine without Mosquitto only skips.
/// </summary>
public sealed class MosquittoTlsFixture : IAsyncLifetime
{
    /// <summary>The user the broker's password file knows, and the password it knows for it.</summary>
    public const string User = "device-7", Password = "Zq8-known-pa55word-4kT";

    private readonly SemaphoreSlim _starting = new(1, 1);
    private MosquittoBroker? _broker;

    public BrokerPki Pki { get; } = new();

    public async Task<MosquittoBroker> BrokerAsync()
    {
        await _starting.WaitAsync();
        try
        {
            // Every listener wants the password: per_listener_settings is off, so password_file and allow_anonymous are global.
            _broker ??= await MosquittoBroker.StartWithTlsAsync(
                Pki.Listeners(),
                ["allow_anonymous false", "password_file {dir}/passwords"],
                new Dictionary<string, string> { ["passwords"] = MosquittoPasswordFile.Line(User, Password) + "\n" });
            return _broker;
        }
        finally
        {
            _starting.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        Pki.Dispose();
        _starting.Dispose();
    }
}
