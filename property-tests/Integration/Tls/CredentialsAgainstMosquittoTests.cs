using StateMachineMqtt.PropertyTests.Fixtures.Logging;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.TestKit.Brokers;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt.PropertyTests.Integration.Tls;

/// <summary>
/// #12 item 4: a credentials provider asked before every CONNECT (token refresh), against a Mosquitto that checks a password
/// file; its failures and refusals fail a first connect at once and are outages later; and no password ever shows.
/// </summary>
public sealed class CredentialsAgainstMosquittoTests(MosquittoTlsFixture fixture) : IClassFixture<MosquittoTlsFixture>
{
    private const string WrongPassword = "Wr0ng-but-secret-Pq7";
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20); // a safety net against a hang, never a measure

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task The_provider_is_asked_before_every_CONNECT_and_a_refused_refresh_is_an_outage_ridden_out()
    {
        MosquittoBroker broker = await fixture.BrokerAsync();
        using var guard = new CancellationTokenSource(Guard);
        var asked = new List<MqttCredentialsContext>();
        var options = Options("cred-refresh", (context, _) =>
        {
            lock (asked)
            {
                asked.Add(context);
            }

            // The second token handed out is one the broker refuses; the third is good again.
            string password = asked.Count == 2 ? WrongPassword : MosquittoTlsFixture.Password;
            return ValueTask.FromResult(new MqttCredentials(MosquittoTlsFixture.User, password));
        });
        options.Port = broker.Port;
        var transport = new SwitchableTransport(new TcpTransport("127.0.0.1", broker.Port));
        await using var client = new MqttClient(options, transport: transport);
        var watch = new ConnectionWatch(client);
        await client.ConnectAsync(guard.Token);

        await transport.DropAsync();
        await watch.WaitForAsync(MqttConnectionChange.Connected, 2, guard.Token);

        Assert.Equal(3, asked.Count);
        Assert.False(asked[0].HasConnected);
        Assert.True(asked[1].HasConnected && asked[2].HasConnected);
        Assert.Equal(broker.Port, asked[0].Port);
        MqttConnectionEventArgs refused = Assert.Single(watch.Seen, e => e.Change == MqttConnectionChange.AttemptFailed);
        Assert.Contains("CONNACK refused", refused.Reason, StringComparison.Ordinal);
        Assert.NotNull(refused.RetryDelay);
        await client.PublishAsync("cred/after", "ok", MqttQualityOfService.AtLeastOnce, cancellationToken: guard.Token);
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task A_provider_that_throws_fails_the_first_connect_at_once_and_later_is_an_outage()
    {
        MosquittoBroker broker = await fixture.BrokerAsync();
        using var guard = new CancellationTokenSource(Guard);
        await using (var first = new MqttClient(Options("cred-throws-first", (_, _) => throw new InvalidOperationException("the token service is unreachable")), transport: new TcpTransport("127.0.0.1", broker.Port)))
        {
            var watch = new ConnectionWatch(first);
            var error = await Assert.ThrowsAsync<MqttConnectException>(() => first.ConnectAsync(guard.Token));
            Assert.Contains("the credentials provider failed: InvalidOperationException: the token service is unreachable", error.Message, StringComparison.Ordinal);
            Assert.IsType<InvalidOperationException>(error.InnerException);
            Assert.DoesNotContain(watch.Seen, e => e.Change == MqttConnectionChange.AttemptFailed);
        }

        int calls = 0;
        var transport = new SwitchableTransport(new TcpTransport("127.0.0.1", broker.Port));
        await using var later = new MqttClient(Options("cred-throws-later", (_, _) => Interlocked.Increment(ref calls) == 2
            ? throw new TimeoutException("the token service timed out")
            : ValueTask.FromResult(new MqttCredentials(MosquittoTlsFixture.User, MosquittoTlsFixture.Password))), transport: transport);
        var laterWatch = new ConnectionWatch(later);
        await later.ConnectAsync(guard.Token);
        await transport.DropAsync();
        await laterWatch.WaitForAsync(MqttConnectionChange.Connected, 2, guard.Token);
        MqttConnectionEventArgs failed = Assert.Single(laterWatch.Seen, e => e.Change == MqttConnectionChange.AttemptFailed);
        Assert.Contains("the credentials provider failed: TimeoutException: the token service timed out", failed.Reason, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(failed.Exception);
    }

    [RequiresToolsFact(Tool.Mosquitto)]
    public async Task Refused_credentials_fail_the_first_connect_at_once_and_no_password_shows_anywhere()
    {
        MosquittoBroker broker = await fixture.BrokerAsync();
        using var guard = new CancellationTokenSource(Guard);
        var logs = new CapturingLoggerFactory();
        var said = new List<string>();

        // Connects, a refresh refused, a provider failure, and a first connect refused: every path a password could leak by.
        int calls = 0;
        var transport = new SwitchableTransport(new TcpTransport("127.0.0.1", broker.Port));
        MqttClientOptions options = Options("cred-secret", (_, _) => Interlocked.Increment(ref calls) switch
        {
            2 => ValueTask.FromResult(new MqttCredentials(MosquittoTlsFixture.User, WrongPassword)),
            3 => throw new InvalidOperationException("vault sealed"),
            _ => ValueTask.FromResult(new MqttCredentials(MosquittoTlsFixture.User, MosquittoTlsFixture.Password)),
        });
        await using (var client = new MqttClient(options, loggerFactory: logs, transport: transport))
        {
            var watch = new ConnectionWatch(client);
            await client.ConnectAsync(guard.Token);
            await client.PublishAsync("cred/secret", "x", MqttQualityOfService.AtLeastOnce, cancellationToken: guard.Token);
            await transport.DropAsync();
            await watch.WaitForAsync(MqttConnectionChange.Connected, 2, guard.Token);
            said.AddRange(watch.Seen.Select(e => $"{e} {e.Reason} {e.Exception}"));
            said.Add(client.ToString()!);
        }

        var fixedOptions = new MqttClientOptions
        {
            ClientId = "cred-refused", Server = "127.0.0.1", Port = broker.Port, UserName = MosquittoTlsFixture.User, Password = WrongPassword,
            ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), seed: 5),
        };
        await using (var refused = new MqttClient(fixedOptions, loggerFactory: logs))
        {
            var error = await Assert.ThrowsAsync<MqttConnectException>(() => refused.ConnectAsync(guard.Token));
            Assert.Equal(ConnectReturnCode.NotAuthorized, error.ReturnCode); // Mosquitto answers a wrong password with 0x05
            said.Add(error.ToString());
        }

        said.Add(options.ToString()!);
        said.Add(fixedOptions.ToString()!);
        said.Add(new MqttCredentials(MosquittoTlsFixture.User, MosquittoTlsFixture.Password).ToString());
        said.Add(new ConnectPacket("id", true, 10, MosquittoTlsFixture.User, System.Text.Encoding.UTF8.GetBytes(MosquittoTlsFixture.Password)).ToString());
        said.Add(LinkCredentials.From(MosquittoTlsFixture.User, MosquittoTlsFixture.Password).ToString());
        said.AddRange(logs.Events.Select(e => e.Message + " " + string.Join(" ", e.Values.Select(v => $"{v.Key}={v.Value}"))));

        Assert.True(logs.Events.Count > 5, "the run logged what it did");
        Assert.Contains(said, line => line.Contains("CONNACK refused", StringComparison.Ordinal));
        Assert.Contains(said, line => line.Contains("vault sealed", StringComparison.Ordinal));
        foreach (string secret in new[] { MosquittoTlsFixture.Password, WrongPassword })
        {
            Assert.DoesNotContain(said, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Options_refuse_a_provider_with_fixed_credentials_and_credentials_print_masked()
    {
        var options = new MqttClientOptions { UserName = "u", CredentialsProvider = (_, _) => ValueTask.FromResult(MqttCredentials.None) };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("CredentialsProvider", error.Message, StringComparison.Ordinal);
        Assert.Equal("MqttCredentials { UserName = ***, Password = none }", new MqttCredentials("u", null).ToString());
    }

    private static MqttClientOptions Options(string clientId, Func<MqttCredentialsContext, CancellationToken, ValueTask<MqttCredentials>> provider) => new()
    {
        ClientId = clientId,
        Server = "127.0.0.1",
        CredentialsProvider = provider,
        KeepAlive = TimeSpan.FromSeconds(10),
        ResponseTime = TimeSpan.FromSeconds(5),
        ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), seed: 4),
    };
}
