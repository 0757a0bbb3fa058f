using StateMachineMqtt.PropertyTests.Integration.Tls;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Cli;

/// <summary>
/// The TLS brokers the CLI's TLS flag tests share: <see cref="MosquittoTlsFixture"/>'s broker (one TLS listener per case,
/// a password file) and, started on first use, one whose TLS stops at 1.2, with the same certificates and password.
/// </summary>
public sealed class CliTlsFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _starting = new(1, 1);
    private MosquittoBroker? _tls12Only;

    public MosquittoTlsFixture Tls { get; } = new();

    public BrokerPki Pki => Tls.Pki;

    public Task<MosquittoBroker> BrokerAsync() => Tls.BrokerAsync();

    /// <summary>A broker whose <see cref="BrokerPki.Good"/> listener speaks TLS 1.2 and nothing newer.</summary>
    public async Task<MosquittoBroker> Tls12OnlyBrokerAsync()
    {
        await _starting.WaitAsync();
        try
        {
            _tls12Only ??= await MosquittoBroker.StartWithTls12OnlyAsync(
                [.. Pki.Listeners().Where(l => l.Name == BrokerPki.Good)],
                ["allow_anonymous false", "password_file {dir}/passwords"],
                new Dictionary<string, string> { ["passwords"] = MosquittoPasswordFile.Line(MosquittoTlsFixture.User, MosquittoTlsFixture.Password) + "\n" });
            return _tls12Only;
        }
        finally
        {
            _starting.Release();
        }
    }

    public Task InitializeAsync() => Tls.InitializeAsync();

    public async Task DisposeAsync()
    {
        if (_tls12Only is not null)
        {
            await _tls12Only.DisposeAsync();
        }

        await Tls.DisposeAsync();
        _starting.Dispose();
    }
}
