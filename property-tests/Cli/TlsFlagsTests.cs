using System.Globalization;
using StateMachineMqtt.Cli.Commands;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using StateMachineMqtt.PropertyTests.Integration.Tls;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Cli;

/// <summary>
/// #12 item 7, TLS: smqtt's mosquitto-style TLS flags (--cafile, --capath, --insecure, --tls-version) against Mosquitto TLS
/// listeners. Each refusal ends the first connect at once with exit 1 and a line naming what was wrong and which flag to
/// fix; the runs use --connect-timeout 0 (retry forever), so a refusal treated as transient would hang until the guard
/// fails the test. No run ever prints a password, -d included. Side by side, mosquitto_pub accepts and refuses the same cases.
/// </summary>
public sealed class TlsFlagsTests(CliTlsFixture fixture) : IClassFixture<CliTlsFixture>
{
    private const string OpenSsl = "/usr/bin/openssl";
    private const string WrongPassword = "Wr0ng-cli-secret-Hx3";
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20); // a safety net against a hang, never a measure

    /// <summary>A case: which broker and listener, the TLS flags, the password, and whether the connect must succeed.</summary>
    private sealed record Case(string Listener, bool Tls12Only, string[] Flags, string Password, bool Accepted, string[] Says);

    public static TheoryData<string> CaseNames() => [.. CaseTable(new BrokerPkiPaths("ca", "other", "capath", "othercapath")).Keys];

    [RequiresToolsTheory(Tool.Mosquitto)]
    [MemberData(nameof(CaseNames))]
    public async Task Smqtt_pub_accepts_or_refuses_at_once_with_exit_1_and_a_message_naming_the_fix(string name)
    {
        Case c = CaseTable(Paths())[name];
        using var guard = new CancellationTokenSource(Guard);
        MosquittoBroker broker = c.Tls12Only ? await fixture.Tls12OnlyBrokerAsync() : await fixture.BrokerAsync();

        ToolRun run = await ClientProcesses.RunSmqttAsync(
            ["pub", .. Common(broker, c), "--connect-timeout", "0", "-d"], null, guard.Token);

        string output = run.Out + run.Err;
        if (c.Accepted)
        {
            Assert.True(run.Code == ExitCodes.Success, $"{name}: exit {run.Code}, stderr:\n{run.Err}");
        }
        else
        {
            Assert.True(run.Code == ExitCodes.Failure, $"{name}: exit {run.Code}, stderr:\n{run.Err}");
            foreach (string words in c.Says)
            {
                Assert.True(run.Err.Contains(words, StringComparison.Ordinal), $"{name}: '{words}' not in stderr:\n{run.Err}");
            }
        }

        if (c.Accepted || c.Password == WrongPassword)
        {
            Assert.Contains("sending CONNECT", run.Err, StringComparison.Ordinal); // past the handshake, -d printed the CONNECT ...
        }

        Assert.DoesNotContain(MosquittoTlsFixture.Password, output, StringComparison.Ordinal); // ... without the password
        Assert.DoesNotContain(WrongPassword, output, StringComparison.Ordinal);
    }

    [RequiresToolsFact(Tool.Mosquitto, Tool.MosquittoClients)]
    public async Task Mosquitto_pub_accepts_and_refuses_the_same_cases_as_smqtt()
    {
        using var guard = new CancellationTokenSource(Guard * 2);
        var differences = new List<string>();
        BrokerPkiPaths paths = Paths();
        // mosquitto_pub reads --capath through OpenSSL's hash links, which `openssl rehash` makes (smqtt reads the files);
        // without the openssl tool the --capath cases are compared by smqtt's own test above only.
        bool rehashed = File.Exists(OpenSsl);
        if (rehashed)
        {
            ToolRun rehash = await ClientProcesses.RunToolAsync(OpenSsl, ["rehash", paths.CaPath, paths.OtherCaPath], null, guard.Token);
            Assert.True(rehash.Code == 0, rehash.Err);
        }

        foreach ((string name, Case c) in CaseTable(paths))
        {
            if (!rehashed && c.Flags.Contains("--capath"))
            {
                continue;
            }

            MosquittoBroker broker = c.Tls12Only ? await fixture.Tls12OnlyBrokerAsync() : await fixture.BrokerAsync();
            string[] arguments = Common(broker, c);
            ToolRun theirs = await ClientProcesses.RunToolAsync(ClientProcesses.MosquittoPub, arguments, null, guard.Token);
            ToolRun ours = await ClientProcesses.RunSmqttAsync(["pub", .. arguments], null, guard.Token);
            if ((theirs.Code == 0) != c.Accepted || (ours.Code == 0) != c.Accepted)
            {
                differences.Add($"{name}: expected {(c.Accepted ? "accepted" : "refused")}; mosquitto_pub exit {theirs.Code} ({theirs.Err.Trim()}), smqtt exit {ours.Code} ({ours.Err.Trim()})");
            }
        }

        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public void Insecure_and_tls_version_without_a_CA_are_usage_errors_and_old_versions_are_refused()
    {
        var missing = Assert.Throws<UsageException>(() => ArgumentParser.Parse(["pub", "-t", "a", "-m", "x", "--insecure"]));
        Assert.Contains("--cafile FILE or --capath DIR", missing.Message, StringComparison.Ordinal);
        var old = Assert.Throws<UsageException>(() => ArgumentParser.Parse(["pub", "-t", "a", "-m", "x", "--cafile", "ca.crt", "--tls-version", "tlsv1.1"]));
        Assert.Contains("use tlsv1.2 or tlsv1.3", old.Message, StringComparison.Ordinal);
        var wrong = Assert.Throws<UsageException>(() => ArgumentParser.Parse(["sub", "-t", "a", "--capath", "d", "--tls-version", "1.3"]));
        Assert.Contains("tlsv1.2 or tlsv1.3, not '1.3'", wrong.Message, StringComparison.Ordinal);
        CliArguments parsed = ArgumentParser.Parse(["sub", "-t", "a", "--capath", "d", "--insecure", "--tls-version", "tlsv1.3"]);
        Assert.True(parsed.UsesTls && parsed.Insecure);
        Assert.Equal(StateMachineMqtt.Transport.MqttTlsVersion.Tls13, parsed.TlsVersion);
    }

    [Fact]
    public void A_capath_without_certificates_is_refused_before_connecting_saying_what_it_wants()
    {
        DirectoryInfo empty = Directory.CreateTempSubdirectory("smqtt-capath-empty-");
        try
        {
            File.WriteAllText(Path.Combine(empty.FullName, "README.txt"), "not a certificate");
            CliArguments arguments = ArgumentParser.Parse(["pub", "-t", "a", "-m", "x", "--capath", empty.FullName]);
            var error = Assert.Throws<UsageException>(() => TlsSettings.FromArguments(arguments));
            Assert.Contains("holds no PEM certificate in a *.crt or *.pem file", error.Message, StringComparison.Ordinal);
            var absent = Assert.Throws<UsageException>(() => TlsSettings.FromArguments(arguments with { CaPath = Path.Combine(empty.FullName, "nope") }));
            Assert.Contains("does not exist", absent.Message, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    /// <summary>The flags both clients take: broker, credentials, topic, message, and the case's TLS flags.</summary>
    private static string[] Common(MosquittoBroker broker, Case c) =>
    [
        "-h", "127.0.0.1", "-p", broker.TlsPort(c.Listener).ToString(CultureInfo.InvariantCulture),
        "-u", MosquittoTlsFixture.User, "-P", c.Password, "-i", "cli-tls-" + c.Listener, "-q", "1", "-t", "cli/tls", "-m", "over TLS",
        .. c.Flags,
    ];

    private sealed record BrokerPkiPaths(string CaFile, string OtherCaFile, string CaPath, string OtherCaPath);

    private BrokerPkiPaths Paths()
    {
        BrokerPki pki = fixture.Pki;
        string capath = Path.Combine(pki.Directory, "capath"), other = Path.Combine(pki.Directory, "othercapath");
        Directory.CreateDirectory(capath);
        Directory.CreateDirectory(other);
        File.Copy(pki.CaFile, Path.Combine(capath, "smqtt-test-ca.crt"), overwrite: true);
        File.Copy(pki.OtherCaFile, Path.Combine(other, "smqtt-other-ca.pem"), overwrite: true);
        return new BrokerPkiPaths(pki.CaFile, pki.OtherCaFile, capath, other);
    }

    private static Dictionary<string, Case> CaseTable(BrokerPkiPaths p)
    {
        string good = MosquittoTlsFixture.Password;
        return new Dictionary<string, Case>(StringComparer.Ordinal)
        {
            ["cafile"] = new(BrokerPki.Good, false, ["--cafile", p.CaFile], good, true, []),
            ["capath"] = new(BrokerPki.Good, false, ["--capath", p.CaPath], good, true, []),
            ["wrong CA"] = new(BrokerPki.WrongCa, false, ["--cafile", p.CaFile], good, false, ["not trusted", "smqtt other CA", "--cafile"]),
            ["capath of another CA"] = new(BrokerPki.Good, false, ["--capath", p.OtherCaPath], good, false, ["not trusted", "--cafile"]),
            ["expired"] = new(BrokerPki.Expired, false, ["--cafile", p.CaFile], good, false, ["has expired", "renew"]),
            ["wrong host"] = new(BrokerPki.WrongHost, false, ["--cafile", p.CaFile], good, false, ["does not name the host", "'elsewhere.example'", "--insecure"]),
            ["wrong host, --insecure"] = new(BrokerPki.WrongHost, false, ["--cafile", p.CaFile, "--insecure"], good, true, []),
            ["wrong CA, --insecure"] = new(BrokerPki.WrongCa, false, ["--cafile", p.CaFile, "--insecure"], good, false, ["not trusted"]),
            ["refused credentials"] = new(BrokerPki.Good, false, ["--cafile", p.CaFile], WrongPassword, false, ["not authorised", "Check the credentials"]),
            ["tlsv1.3 to a 1.2-only listener"] = new(BrokerPki.Good, true, ["--cafile", p.CaFile, "--tls-version", "tlsv1.3"], good, false, ["share no TLS version", "--tls-version"]),
            ["tlsv1.2 to a 1.2-only listener"] = new(BrokerPki.Good, true, ["--cafile", p.CaFile, "--tls-version", "tlsv1.2"], good, true, []),
        };
    }
}
