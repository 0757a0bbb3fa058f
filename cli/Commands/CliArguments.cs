using StateMachineMqtt.Spec;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.Cli.Commands;

/// <summary>The sub-command named first on the command line.</summary>
internal enum CliCommand
{
    /// <summary>Print usage.</summary>
    Help,
    /// <summary>Publish messages (mosquitto_pub flags).</summary>
    Pub,
    /// <summary>Subscribe and print messages (mosquitto_sub flags).</summary>
    Sub,
    /// <summary>Regenerate docs/diagrams from the spec tables.</summary>
    Diagrams,
    /// <summary>Run the fault-injection showcase.</summary>
    Demo,
    /// <summary>Run the chaos soak against Mosquitto (and compare with MQTTnet).</summary>
    Chaos,
    /// <summary>Measure smqtt against MQTTnet and mosquitto_pub on one broker.</summary>
    Bench,
}

/// <summary>Everything the command line said, already validated by <see cref="ArgumentParser"/>.</summary>
internal sealed record CliArguments
{
    /// <summary>Which command to run.</summary>
    public CliCommand Command { get; init; }

    /// <summary>Broker host (-h).</summary>
    public string Host { get; init; } = "localhost";

    /// <summary>Broker port (-p); null means the default for the transport.</summary>
    public int? Port { get; init; }

    /// <summary>Failover list (--servers), dialled in turn; when given, -h and -p are not used.</summary>
    public IReadOnlyList<MqttServerEndpoint>? Servers { get; init; }

    /// <summary>Topic(s) (-t): exactly one for pub, one or more for sub.</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];

    /// <summary>Message to publish (-m).</summary>
    public string? Message { get; init; }

    /// <summary>Publish the contents of this file as one message (pub -f).</summary>
    public string? MessageFile { get; init; }

    /// <summary>Publish all of stdin as one message (pub -s).</summary>
    public bool StdinWhole { get; init; }

    /// <summary>Publish a zero-length message (pub -n).</summary>
    public bool NullMessage { get; init; }

    /// <summary>How many times to publish the message (pub --repeat); 1 by default.</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>The pause between repeats (pub --repeat-delay).</summary>
    public TimeSpan RepeatDelay { get; init; }

    /// <summary>Print every packet sent and received on stderr, passwords masked (-d).</summary>
    public bool Debug { get; init; }

    /// <summary>Machine-readable output (--json): sub prints one JSON object per message, pub a JSON summary at the end.</summary>
    public bool Json { get; init; }

    /// <summary>No newline after each message (sub -N).</summary>
    public bool NoNewline { get; init; }

    /// <summary>Skip messages with the retain flag set: the broker's stored ones (sub -R).</summary>
    public bool NoStaleRetained { get; init; }

    /// <summary>Filters whose matching topics are not printed (sub -T, repeatable).</summary>
    public IReadOnlyList<string> FilterOuts { get; init; } = [];

    /// <summary>Filters to unsubscribe from once connected (sub -U, repeatable).</summary>
    public IReadOnlyList<string> Unsubscribes { get; init; } = [];

    /// <summary>Exit once every subscription (and -U unsubscription) is acknowledged (sub -E).</summary>
    public bool ExitWhenSubscribed { get; init; }

    /// <summary>Stop after this many seconds from connecting, exit 27 (sub -W).</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Publish one message per stdin line (-l).</summary>
    public bool StdinLines { get; init; }

    /// <summary>QoS (-q).</summary>
    public MqttQualityOfService QualityOfService { get; init; } = MqttQualityOfService.AtMostOnce;

    /// <summary>Retain flag (-r).</summary>
    public bool Retain { get; init; }

    /// <summary>Client identifier (-i); null means generated.</summary>
    public string? ClientId { get; init; }

    /// <summary>Keepalive in seconds (-k).</summary>
    public int KeepAliveSeconds { get; init; } = 60;

    /// <summary>How long the first connect may take before the command gives up with exit 1 (--connect-timeout); 0: forever.</summary>
    public int ConnectTimeoutSeconds { get; init; } = 10;

    /// <summary>User name (-u).</summary>
    public string? UserName { get; init; }

    /// <summary>Password (-P).</summary>
    public string? Password { get; init; }

    /// <summary>Keep the broker session (-c): CleanSession = false.</summary>
    public bool PersistentSession { get; init; }

    /// <summary>The MQTT version (-V mqttv311 | mqttv5).</summary>
    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.V311;

    /// <summary>MQTT 5 session expiry in seconds (-x); null: as -c says (kept for good with -c, else none).</summary>
    public int? SessionExpirySeconds { get; init; }

    /// <summary>Exit after this many messages (sub -C).</summary>
    public int? Count { get; init; }

    /// <summary>Print "topic payload" (sub -v).</summary>
    public bool Verbose { get; init; }

    /// <summary>CA certificate PEM file (--cafile).</summary>
    public string? CaFile { get; init; }

    /// <summary>Client certificate PEM file (--cert).</summary>
    public string? CertFile { get; init; }

    /// <summary>Client private key PEM file (--key).</summary>
    public string? KeyFile { get; init; }

    /// <summary>Output directory (diagrams --out).</summary>
    public string? OutDirectory { get; init; }

    /// <summary>External broker "host:port" (demo --broker).</summary>
    public string? Broker { get; init; }

    /// <summary>Publishing time of a soak (chaos --minutes).</summary>
    public int? Minutes { get; init; }

    /// <summary>Messages of a soak (chaos --messages).</summary>
    public int? Messages { get; init; }

    /// <summary>Seed of the fault schedule (chaos --seed).</summary>
    public int? Seed { get; init; }

    /// <summary>Messages per second offered (chaos --rate).</summary>
    public int? Rate { get; init; }

    /// <summary>Also run MQTTnet and write docs/resilience.md (chaos --compare).</summary>
    public bool Compare { get; init; }

    /// <summary>Small message counts, so the run takes seconds (bench --quick).</summary>
    public bool Quick { get; init; }

    /// <summary>MQTT 5 message properties of every publish (-D publish ...); null for none.</summary>
    public MqttMessageProperties? PublishProperties { get; init; }

    /// <summary>The will (--will-topic, --will-payload, --will-qos, --will-retain, -D will ...); null for none.</summary>
    public MqttWillMessage? Will { get; init; }

    /// <summary>The output format of each received message (sub -F), mosquitto_sub's codes; null: the payload, or -v's "topic payload".</summary>
    public string? Format { get; init; }

    /// <summary>Folder of CA certificates (*.crt, *.pem) to trust (--capath), besides or instead of --cafile.</summary>
    public string? CaPath { get; init; }

    /// <summary>Skip only the check that the server certificate names the host (--insecure); the chain is still checked.</summary>
    public bool Insecure { get; init; }

    /// <summary>The oldest TLS version accepted (--tls-version tlsv1.2 | tlsv1.3); null: TLS 1.2.</summary>
    public StateMachineMqtt.Transport.MqttTlsVersion? TlsVersion { get; init; }

    /// <summary>True when any TLS flag that names certificates was given.</summary>
    public bool UsesTls => CaFile is not null || CaPath is not null || CertFile is not null || KeyFile is not null;
    /// <summary>The durable session store's directory (--store DIR); null for none.</summary>
    public string? StoreDirectory { get; init; }
}
