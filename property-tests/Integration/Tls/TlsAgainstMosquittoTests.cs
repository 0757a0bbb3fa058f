using System.Security.Authentication;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Spec;
using StateMachineMqtt.TestKit.Brokers;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt.PropertyTests.Integration.Tls;

/// <summary>
/// #12 item 5: TLS against a real Mosquitto TLS listener, with certificates made during the run. A wrong CA, an expired
/// certificate, a wrong host and a wrong pin each fail a first connect at once with a message naming what was wrong and
/// what to do; on a reconnect the same failure is an outage the client rides out.
/// </summary>
public sealed class TlsAgainstMosquittoTests(MosquittoTlsFixture fixture) : IClassFixture<MosquittoTlsFixture>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20); // a safety net against a hang, never a measure

    private BrokerPki Pki => fixture.Pki;

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task A_certificate_from_the_CA_file_connects_and_carries_messages_both_ways()
    {
        MosquittoBroker broker = await fixture.BrokerAsync();
        using var guard = new CancellationTokenSource(Guard);
        await using var client = new MqttClient(Options(broker.TlsPort(BrokerPki.Good), Tls(), "tls-good"));
        await client.ConnectAsync(guard.Token);
        await client.SubscribeAsync("tls/echo", MqttQualityOfService.AtLeastOnce, guard.Token);

        await client.PublishAsync("tls/echo", "over TLS", MqttQualityOfService.AtLeastOnce, cancellationToken: guard.Token);

        await foreach (MqttMessage message in client.ReadMessagesAsync(guard.Token))
        {
            Assert.Equal("over TLS", System.Text.Encoding.UTF8.GetString(message.Payload.Span));
            break;
        }
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task TLS_1_3_as_the_minimum_connects_to_a_1_3_listener_and_1_2_alone_is_refused_as_a_version_mismatch()
    {
        MosquittoBroker broker = await fixture.BrokerAsync();
        using var guard = new CancellationTokenSource(Guard);
        MqttTlsOptions tls13 = Tls();
        tls13.MinimumVersion = MqttTlsVersion.Tls13;
        await using (var client = new MqttClient(Options(broker.TlsPort(BrokerPki.Tls13), tls13, "tls-13")))
        {
            await client.ConnectAsync(guard.Token);
            Assert.True(client.IsConnected);
        }

        MqttTlsOptions only12 = Tls();
        only12.Protocols = SslProtocols.Tls12;
        await using var old = new MqttClient(Options(broker.TlsPort(BrokerPki.Tls13), only12, "tls-12-only"));
        var watch = new ConnectionWatch(old);
        var error = await Assert.ThrowsAsync<MqttConnectException>(() => old.ConnectAsync(guard.Token));
        AssertFailedFast(error, watch, TlsFailure.VersionMismatch, "--tls-version");
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task A_certificate_from_another_CA_fails_the_first_connect_at_once_saying_to_give_the_CA()
    {
        MosquittoBroker broker = await fixture.BrokerAsync();
        using var guard = new CancellationTokenSource(Guard);
        await using var client = new MqttClient(Options(broker.TlsPort(BrokerPki.WrongCa), Tls(), "tls-wrong-ca"));
        var watch = new ConnectionWatch(client);

        var error = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(guard.Token));

        AssertFailedFast(error, watch, TlsFailure.UntrustedCertificate, "--cafile");
        Assert.Contains("smqtt other CA", error.Message, StringComparison.Ordinal); // names the issuer it did not trust
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task An_expired_certificate_fails_the_first_connect_at_once_with_its_dates()
    {
        MosquittoBroker broker = await fixture.BrokerAsync();
        using var guard = new CancellationTokenSource(Guard);
        await using var client = new MqttClient(Options(broker.TlsPort(BrokerPki.Expired), Tls(), "tls-expired"));
        var watch = new ConnectionWatch(client);

        var error = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(guard.Token));

        AssertFailedFast(error, watch, TlsFailure.CertificateExpired, "renew");
        Assert.Contains(Pki.ExpiredServer.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task A_certificate_for_another_host_fails_the_first_connect_at_once_naming_both_and_VerifyHostName_false_lets_it_through()
    {
        MosquittoBroker broker = await fixture.BrokerAsync();
        using var guard = new CancellationTokenSource(Guard);
        await using (var client = new MqttClient(Options(broker.TlsPort(BrokerPki.WrongHost), Tls(), "tls-wrong-host")))
        {
            var watch = new ConnectionWatch(client);
            var error = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(guard.Token));
            AssertFailedFast(error, watch, TlsFailure.HostNameMismatch, "TargetHost");
            Assert.Contains("'elsewhere.example'", error.Message, StringComparison.Ordinal);
            Assert.Contains("'localhost'", error.Message, StringComparison.Ordinal);
        }

        MqttTlsOptions insecure = Tls();
        insecure.VerifyHostName = false;
        await using var trusting = new MqttClient(Options(broker.TlsPort(BrokerPki.WrongHost), insecure, "tls-insecure"));
        await trusting.ConnectAsync(guard.Token);
        Assert.True(trusting.IsConnected);
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task After_a_first_connect_a_certificate_failure_is_an_outage_the_client_retries_until_the_broker_is_fixed()
    {
        MosquittoBroker broker = await fixture.BrokerAsync();
        using var guard = new CancellationTokenSource(Guard);
        MqttTlsOptions tls = Tls();
        var good = new TcpTransport("127.0.0.1", broker.TlsPort(BrokerPki.Good), tls);
        var transport = new SwitchableTransport(good);
        await using var client = new MqttClient(Options(0, tls, "tls-outage"), transport: transport);
        var watch = new ConnectionWatch(client);
        await client.ConnectAsync(guard.Token);

        // The broker comes back with a certificate that has expired: every attempt fails, and the client keeps trying.
        transport.Current = new TcpTransport("127.0.0.1", broker.TlsPort(BrokerPki.Expired), tls);
        await transport.DropAsync();
        await watch.WaitForAsync(MqttConnectionChange.AttemptFailed, 3, guard.Token);
        MqttConnectionEventArgs failed = watch.Seen.First(e => e.Change == MqttConnectionChange.AttemptFailed);
        Assert.NotNull(failed.RetryDelay);
        Assert.Contains("expired", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(TlsFailure.CertificateExpired, Assert.IsType<MqttTlsException>(failed.Exception).Failure);

        // Fixed: the next attempt connects, and the client is up again by itself.
        transport.Current = good;
        await watch.WaitForAsync(MqttConnectionChange.Connected, 2, guard.Token);
        await client.PublishAsync("tls/after", "back", MqttQualityOfService.AtLeastOnce, cancellationToken: guard.Token);
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task Mutual_TLS_connects_with_the_client_certificate_and_fails_fast_without_one()
    {
        MosquittoBroker broker = await fixture.BrokerAsync();
        using var guard = new CancellationTokenSource(Guard);
        MqttTlsOptions withCertificate = Tls();
        withCertificate.ClientCertificate = Pki.Client;
        await using (var client = new MqttClient(Options(broker.TlsPort(BrokerPki.Mutual), withCertificate, "mtls-yes")))
        {
            await client.ConnectAsync(guard.Token);
            Assert.True(client.IsConnected);
        }

        // TLS 1.2: the server refuses during the handshake (the listener's tls_version is a floor, so ask for 1.2 alone).
        MqttTlsOptions only12 = Tls();
        only12.Protocols = SslProtocols.Tls12;
        await using var without = new MqttClient(Options(broker.TlsPort(BrokerPki.Mutual), only12, "mtls-no"));
        var watch = new ConnectionWatch(without);
        var error = await Assert.ThrowsAsync<MqttConnectException>(() => without.ConnectAsync(guard.Token));
        AssertFailedFast(error, watch, TlsFailure.RefusedByServer, "--cert");
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task Over_TLS_1_3_a_missing_client_certificate_is_heard_after_the_handshake_and_still_fails_fast()
    {
        MosquittoBroker broker = await fixture.BrokerAsync();
        using var guard = new CancellationTokenSource(Guard);
        await using var without = new MqttClient(Options(broker.TlsPort(BrokerPki.Mutual13), Tls(), "mtls13-no"));
        var watch = new ConnectionWatch(without);

        var error = await Assert.ThrowsAsync<MqttConnectException>(() => without.ConnectAsync(guard.Token));

        AssertFailedFast(error, watch, TlsFailure.RefusedByServer, "--cert");
        // Known from the server's certificate request, so it holds whether its alert or the reset it causes comes first.
        Assert.Contains("it asked for a client certificate, none was given", error.Message, StringComparison.Ordinal);
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task The_client_certificate_provider_is_asked_before_every_handshake_so_a_renewed_certificate_is_used()
    {
        MosquittoBroker broker = await fixture.BrokerAsync();
        using var guard = new CancellationTokenSource(Guard);
        var handedOut = new List<string>();
        MqttTlsOptions tls = Tls();
        tls.ClientCertificateProvider = _ =>
        {
            // The first call gets the original certificate, later ones a renewed copy (a new key, same CA).
            var certificate = handedOut.Count == 0 ? Pki.Client : Pki.RenewClient();
            lock (handedOut)
            {
                handedOut.Add(certificate.Thumbprint);
            }

            return ValueTask.FromResult<System.Security.Cryptography.X509Certificates.X509Certificate2?>(certificate);
        };
        var transport = new SwitchableTransport(new TcpTransport("127.0.0.1", broker.TlsPort(BrokerPki.Mutual), tls));
        await using var client = new MqttClient(Options(0, tls, "mtls-renew"), transport: transport);
        var watch = new ConnectionWatch(client);
        await client.ConnectAsync(guard.Token);

        await transport.DropAsync();
        await watch.WaitForAsync(MqttConnectionChange.Connected, 2, guard.Token);

        // The broker demands a certificate from its CA on this listener: both links were accepted with what the provider gave.
        Assert.Equal(2, handedOut.Count);
        Assert.NotEqual(handedOut[0], handedOut[1]);
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task A_pinned_key_connects_and_a_wrong_pin_fails_the_first_connect_at_once()
    {
        MosquittoBroker broker = await fixture.BrokerAsync();
        using var guard = new CancellationTokenSource(Guard);
        MqttTlsOptions pinned = Tls();
        pinned.PinnedPublicKeySha256 = [MqttTlsOptions.PublicKeyPin(Pki.Server)];
        await using (var client = new MqttClient(Options(broker.TlsPort(BrokerPki.Good), pinned, "pin-right")))
        {
            await client.ConnectAsync(guard.Token);
            Assert.True(client.IsConnected);
        }

        MqttTlsOptions wrong = Tls();
        wrong.PinnedPublicKeySha256 = [MqttTlsOptions.PublicKeyPin(Pki.OtherCaServer)];
        await using var refused = new MqttClient(Options(broker.TlsPort(BrokerPki.Good), wrong, "pin-wrong"));
        var watch = new ConnectionWatch(refused);
        var error = await Assert.ThrowsAsync<MqttConnectException>(() => refused.ConnectAsync(guard.Token));
        AssertFailedFast(error, watch, TlsFailure.PinMismatch, MqttTlsOptions.PublicKeyPin(Pki.Server));
    }

    [Fact]
    public void Every_TLS_failure_has_a_name_and_advice_and_only_a_late_refusal_of_the_client_counts_once_the_link_is_open()
    {
        foreach (TlsFailure failure in Enum.GetValues<TlsFailure>())
        {
            Assert.False(string.IsNullOrWhiteSpace(TlsFailureRules.Name(failure)));
            Assert.False(string.IsNullOrWhiteSpace(TlsFailureRules.Advice(failure)));
            Assert.Equal(ConnectionTrigger.ConfigurationError, TlsFailureRules.Trigger(failure, linkOpen: false));
            Assert.Equal(
                failure == TlsFailure.RefusedByServer ? ConnectionTrigger.ConfigurationError : ConnectionTrigger.LinkLost,
                TlsFailureRules.Trigger(failure, linkOpen: true));
        }

        Assert.Equal(Enum.GetValues<TlsFailure>().Length, Enum.GetValues<TlsFailure>().Select(TlsFailureRules.Advice).Distinct().Count());
    }

    /// <summary>Failed as a configuration error: no retry was made, and the message says what was wrong and what to do.</summary>
    private static void AssertFailedFast(MqttConnectException error, ConnectionWatch watch, TlsFailure failure, string advice)
    {
        var tls = Assert.IsType<MqttTlsException>(error.InnerException);
        Assert.Equal(failure, tls.Failure);
        Assert.Contains(TlsFailureRules.Name(failure), error.Message, StringComparison.Ordinal);
        Assert.Contains(advice, error.Message, StringComparison.Ordinal);
        Assert.Null(error.ReturnCode);
        Assert.DoesNotContain(watch.Seen, e => e.Change == MqttConnectionChange.AttemptFailed);
    }

    private MqttTlsOptions Tls() => new() { TargetHost = "localhost", TrustedCertificateAuthorities = Pki.Trust() };

    private static MqttClientOptions Options(int port, MqttTlsOptions tls, string clientId) => new()
    {
        ClientId = clientId,
        Server = "127.0.0.1",
        Port = port == 0 ? null : port,
        Tls = tls,
        UserName = MosquittoTlsFixture.User,
        Password = MosquittoTlsFixture.Password,
        KeepAlive = TimeSpan.FromSeconds(10),
        ResponseTime = TimeSpan.FromSeconds(5),
        ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), seed: 3),
    };
}
