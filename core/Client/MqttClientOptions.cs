using System.Text;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt;

/// <summary>
/// Settings of an <see cref="MqttClient"/>. Names and defaults follow the resilient MicroPython client
/// mqtt_as where it has one (keepalive 60 s, response time 10 s, 4 re-publishes). Validate() says what is wrong.
/// </summary>
public sealed partial class MqttClientOptions
{
    /// <summary>Client identifier [MQTT-3.1.3-5]; empty lets the broker assign one (needs CleanSession).</summary>
    public string ClientId { get; set; } = "";

    /// <summary>Broker host name or address.</summary>
    public string Server { get; set; } = "localhost";

    /// <summary>Broker port; null means 1883, or 8883 with TLS.</summary>
    public int? Port { get; set; }

    /// <summary>User name, if the broker wants one.</summary>
    public string? UserName { get; set; }

    /// <summary>Password (needs a user name [MQTT-3.1.2-22]).</summary>
    public string? Password { get; set; }

    /// <summary>Keepalive period sent in CONNECT; the link is declared dead after this long with nothing received (I5). 0 disables keepalive.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Send PINGREQ when nothing has been received for this long; null means KeepAlive / 4.</summary>
    public TimeSpan? PingInterval { get; set; }

    /// <summary>How long to wait for a socket to open, CONNACK, PUBACK, PUBREC, PUBCOMP, SUBACK or UNSUBACK before acting.</summary>
    public TimeSpan ResponseTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The MQTT version to speak: <see cref="Spec.MqttProtocolVersion.V311"/> (the default) or
    /// <see cref="Spec.MqttProtocolVersion.V500"/>. Where the versions behave differently, spec/'s tables say so (for example,
    /// MQTT 5 re-sends a PUBLISH only on a new connection [MQTT-4.4.0-1]).
    /// </summary>
    public Spec.MqttProtocolVersion ProtocolVersion { get; set; } = Spec.MqttProtocolVersion.V311;

    /// <summary>
    /// MQTT 5 only: how long the broker keeps this client's session after a link ends (CONNECT's Session Expiry Interval),
    /// in whole seconds. Null, the default, keeps 3.1.1's meaning: a persistent session (CleanSession false) never expires,
    /// a clean one ends with its link. <see cref="TimeSpan.Zero"/> ends it with every link, which resumes nothing.
    /// </summary>
    public TimeSpan? SessionExpiryInterval { get; set; }

    /// <summary>
    /// MQTT 5 only: how many Topic Aliases the broker may set on a link to this client (CONNECT's Topic Alias Maximum), so
    /// it can send a short number instead of a repeated topic. 0, the default, takes none. Aliases are resolved per link,
    /// and a received message always carries its full topic.
    /// </summary>
    public int TopicAliasMaximum { get; set; }

    /// <summary>
    /// MQTT 5 only: send Topic Aliases by themselves. On each link, the first PUBLISH to a topic sets an alias (as many as the
    /// broker's Topic Alias Maximum allows) and later ones send the alias instead of the topic, which saves bytes when
    /// few topics are published often. False, the default, sends every topic in full.
    /// </summary>
    public bool AutomaticTopicAliases { get; set; }

    /// <summary>MQTT 5 only: User Properties sent in every CONNECT (e.g. a device model or firmware version), in order.</summary>
    public IReadOnlyList<MqttUserProperty> ConnectUserProperties { get; set; } = [];

    /// <summary>
    /// MQTT 5 only: whether the broker may put a Reason String and User Properties on its answers (CONNECT's Request Problem
    /// Information). True, the default, lets it, so a refusal says why; false asks it not to, for a tight link.
    /// </summary>
    public bool RequestProblemInformation { get; set; } = true;

    /// <summary>
    /// MQTT 5 only: ask the broker for Response Information in its CONNACK (CONNECT's Request Response Information), the
    /// start of topics it sets aside for responses; read it from <see cref="MqttClient.ResponseInformation"/>, and
    /// <see cref="MqttClient.RequestAsync"/> makes its response topics under it. False, the default, asks for none.
    /// </summary>
    public bool RequestResponseInformation { get; set; }

    /// <summary>
    /// MQTT 5 only: the most QoS 1 and 2 messages the broker may send this client before they are acknowledged (CONNECT's
    /// Receive Maximum), from 1 to 65,535. This client acknowledges a message once the application has it, so a value of
    /// about <see cref="ReceiveQueueLength"/> keeps the rest waiting at the broker, not in the socket. 0, the default,
    /// sends none: the broker may send 65,535.
    /// </summary>
    public int ReceiveMaximum { get; set; }

    /// <summary>Ask for a clean session on every connect (MQTT 5: Clean Start). False keeps the broker-side session across outages.</summary>
    public bool CleanSession { get; set; } = true;

    /// <summary>
    /// With CleanSession false: still start the very first connect with a clean session (mqtt_as's clean_init), to drop
    /// whatever an earlier run left at the broker. MQTT 3.1.1 ends a clean session with its link [MQTT-3.1.2-6], so the
    /// first outage resumes nothing: the broker keeps no messages for this client while it lasts, and the client restores
    /// its subscriptions itself on the next connect. From that connect on, the session persists.
    /// </summary>
    public bool CleanSessionOnFirstConnect { get; set; }

    /// <summary>How many times a QoS 1 or 2 PUBLISH (or a QoS 2 PUBREL) is re-sent on one link before the link is declared dead.</summary>
    public int MaxRepublishes { get; set; } = 4;

    /// <summary>How many QoS 1 and 2 messages may await their answer (PUBACK, PUBREC or PUBCOMP) at once; more wait their turn in order.</summary>
    public int MaxInflight { get; set; } = 20;

    /// <summary>How many received messages are buffered for the application; while they are all unread, the client stops reading the socket.</summary>
    public int ReceiveQueueLength { get; set; } = 1000;

    /// <summary>
    /// The outbound queue's bound in messages (queued, being written, or awaiting PUBACK or PUBCOMP). When it is reached,
    /// <see cref="OutboundOverflow"/> says what PublishAsync does.
    /// </summary>
    public int MaxQueuedMessages { get; set; } = 10_000;

    /// <summary>The outbound queue's bound in payload bytes (an empty queue always takes one message, however big).</summary>
    public long MaxQueuedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>What PublishAsync does when the outbound queue is full: wait for room (the default), fail, or drop the oldest QoS 0 message.</summary>
    public Spec.OutboundOverflowPolicy OutboundOverflow { get; set; } = Spec.OutboundOverflowPolicy.Wait;

    /// <summary>What a received message meets when the application's queue is full: reading pauses (the default), or the oldest QoS 0 message is dropped and counted.</summary>
    public Spec.ReceiveOverflowPolicy ReceiveOverflow { get; set; } = Spec.ReceiveOverflowPolicy.PauseReading;

    /// <summary>
    /// The largest packet, in bytes on the wire (fixed header included), this client accepts from the broker and sends to it;
    /// default 1 MiB, at least 16. Both ways, because an MQTT 3.1.1 client cannot learn its peers' limits: a message that
    /// would be too large for a subscriber configured like this client is refused at PublishAsync (ArgumentException naming
    /// the size and the limit) rather than sent. A received PUBLISH over the limit whose header and topic fit is read past
    /// without buffering its payload, acknowledged as its QoS requires (so the broker does not re-deliver it on every
    /// reconnect), not delivered, counted in <see cref="MqttClientStatistics.DroppedOversized"/> and logged as a warning with
    /// its topic and size; any other oversized packet is a protocol error that closes the link. MQTT itself bounds every
    /// packet at 268,435,460 bytes, whatever this says.
    /// </summary>
    public int MaximumPacketSize { get; set; } = 1024 * 1024;

    /// <summary>Will message, published by the broker if the client vanishes.</summary>
    public MqttWillMessage? Will { get; set; }

    /// <summary>TLS settings; null means plain TCP.</summary>
    public MqttTlsOptions? Tls { get; set; }

    /// <summary>Delay before each reconnect attempt.</summary>
    public IReconnectPolicy ReconnectPolicy { get; set; } = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    /// <summary>
    /// A link that stayed up this long was healthy, so the reconnect delays after it start over, as they do after a link on
    /// which the broker acknowledged a message; a shorter link with nothing acknowledged keeps them growing, so a loop of
    /// "connect, fail at once" slows down to the policy's maximum. Default 30 s.
    /// </summary>
    public TimeSpan StableLinkTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the first connect may take — from ConnectAsync until a CONNACK accepts the client — before ConnectAsync
    /// fails with MqttConnectException carrying the last attempt's error; null (the default) retries transient errors for
    /// as long as the caller waits. Once connected, outages are ridden out whatever this says.
    /// </summary>
    public TimeSpan? FirstConnectTimeout { get; set; }

    /// <summary>How many attempts the first connect may make before ConnectAsync fails with the last one's error; null (the default): no bound.</summary>
    public int? FirstConnectAttempts { get; set; }

    /// <summary>
    /// MQTT 5 enhanced authentication: the method CONNECT names and the authenticator that computes each step's data;
    /// null (the default) for none (UserName and Password still go in CONNECT either way). With one set, the client can
    /// re-authenticate (<see cref="MqttClient.ReauthenticateAsync"/>).
    /// </summary>
    public IMqttEnhancedAuthenticator? EnhancedAuthenticator { get; set; }

    /// <summary>
    /// Where the client's metrics go: its meter, named <see cref="MqttClientTelemetry.MeterName"/>, is created by this factory
    /// (with dependency injection, the container's IMeterFactory, so the meter is scoped to it and disposed with it); null
    /// (the default) reports to one meter of that name shared by every client in the process. Either way each measurement
    /// is tagged with the client identifier (mqtt.client.id). See docs/observability.md for the instruments.
    /// </summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; set; }

    /// <summary>The port used: Port, or the MQTT default for the transport.</summary>
    public int EffectivePort => Port ?? (Tls is null ? 1883 : 8883);

    /// <summary>The ping interval used: PingInterval, or KeepAlive / 4.</summary>
    public TimeSpan EffectivePingInterval => PingInterval ?? KeepAlive / 4;

    /// <summary>A copy: the client keeps its own, so changing these options afterwards changes nothing in a running client.</summary>
    internal MqttClientOptions Copy() => (MqttClientOptions)MemberwiseClone();

    /// <summary>Throws ArgumentException naming the first invalid setting and how to fix it.</summary>
    public void Validate()
    {
        if (ClientId is null || Encoding.UTF8.GetByteCount(ClientId) > 65535)
        {
            throw new ArgumentException("ClientId must be a string of at most 65,535 UTF-8 bytes.", nameof(ClientId));
        }

        if (ClientId.Length == 0 && !CleanSession && ProtocolVersion != Spec.MqttProtocolVersion.V500)
        {
            // MQTT 5 lets the broker assign one, which the client then keeps for its reconnects [MQTT-3.2.2-16].
            throw new ArgumentException("An empty ClientId needs CleanSession = true under MQTT 3.1.1 [MQTT-3.1.3-7]: set a ClientId to keep a session, or use MQTT 5, whose broker assigns one.", nameof(ClientId));
        }

        if (string.IsNullOrWhiteSpace(Server))
        {
            throw new ArgumentException("Server must name the broker's host, e.g. \"localhost\" or \"broker.example.com\".", nameof(Server));
        }

        if (Port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "Port must be between 1 and 65535 (1883 for MQTT, 8883 for MQTT over TLS).");
        }

        if (Password is not null && UserName is null)
        {
            throw new ArgumentException("A Password needs a UserName [MQTT-3.1.2-22]: set UserName too.", nameof(Password));
        }

        ValidateCredentials();
        ValidateServers();
        ValidateStore();

        if (KeepAlive < TimeSpan.Zero || KeepAlive.TotalSeconds > ushort.MaxValue || KeepAlive.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(KeepAlive), KeepAlive, "KeepAlive must be whole seconds between 0 (off) and 65,535 s.");
        }

        if (KeepAlive > TimeSpan.Zero && (EffectivePingInterval <= TimeSpan.Zero || EffectivePingInterval > KeepAlive))
        {
            throw new ArgumentOutOfRangeException(nameof(PingInterval), PingInterval, $"PingInterval must be positive and at most KeepAlive ({KeepAlive.TotalSeconds} s); leave it null for KeepAlive / 4.");
        }

        if (ResponseTime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ResponseTime), ResponseTime, "ResponseTime must be positive, e.g. TimeSpan.FromSeconds(10).");
        }

        if (MaxRepublishes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRepublishes), MaxRepublishes, "MaxRepublishes must be 0 or more.");
        }

        if (MaxInflight is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxInflight), MaxInflight, "MaxInflight must be between 1 and 65,535.");
        }

        if (ReceiveQueueLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ReceiveQueueLength), ReceiveQueueLength, "ReceiveQueueLength must be at least 1.");
        }

        if (MaxQueuedMessages < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueuedMessages), MaxQueuedMessages, "MaxQueuedMessages must be at least 1.");
        }

        if (MaxQueuedBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueuedBytes), MaxQueuedBytes, "MaxQueuedBytes must be at least 1.");
        }

        if (!Enum.IsDefined(OutboundOverflow) || !Enum.IsDefined(ReceiveOverflow))
        {
            throw new ArgumentOutOfRangeException(nameof(OutboundOverflow), "OutboundOverflow and ReceiveOverflow must be values of their enums.");
        }

        if (ProtocolVersion is not (Spec.MqttProtocolVersion.V311 or Spec.MqttProtocolVersion.V500))
        {
            throw new ArgumentOutOfRangeException(nameof(ProtocolVersion), ProtocolVersion, "ProtocolVersion must be MqttProtocolVersion.V311 or MqttProtocolVersion.V500.");
        }

        if (SessionExpiryInterval is { } expiry)
        {
            if (ProtocolVersion != Spec.MqttProtocolVersion.V500)
            {
                throw new ArgumentException("SessionExpiryInterval is an MQTT 5 setting: set ProtocolVersion = MqttProtocolVersion.V500, or leave it null (MQTT 3.1.1's CleanSession decides).", nameof(SessionExpiryInterval));
            }

            if (expiry < TimeSpan.Zero || expiry.Ticks % TimeSpan.TicksPerSecond != 0 || expiry.TotalSeconds > uint.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(SessionExpiryInterval), expiry, "SessionExpiryInterval must be whole seconds between 0 and 4,294,967,295 (never expires).");
            }
        }

        if (TopicAliasMaximum is < 0 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(TopicAliasMaximum), TopicAliasMaximum, "TopicAliasMaximum must be from 0 (take no aliases) to 65,535.");
        }

        if (ConnectUserProperties is null)
        {
            throw new ArgumentNullException(nameof(ConnectUserProperties), "ConnectUserProperties must not be null: give [] for none.");
        }

        if ((ConnectUserProperties.Count > 0 || !RequestProblemInformation) && ProtocolVersion != Spec.MqttProtocolVersion.V500)
        {
            throw new ArgumentException("ConnectUserProperties and RequestProblemInformation are MQTT 5 settings: set ProtocolVersion = MqttProtocolVersion.V500, or leave them at their defaults.", nameof(ConnectUserProperties));
        }

        if (ProtocolVersion == Spec.MqttProtocolVersion.V500)
        {
            var check = new Protocol.V5.MqttProperties();
            foreach (MqttUserProperty pair in ConnectUserProperties)
            {
                check.UserProperties.Add(pair);
            }

            _ = Protocol.V5.PropertyEncoder.Measure(check, Spec.PropertyContext.Connect, "CONNECT"); // a bad string fails here, not at connect
        }

        if (AutomaticTopicAliases && ProtocolVersion != Spec.MqttProtocolVersion.V500)
        {
            throw new ArgumentException("AutomaticTopicAliases is an MQTT 5 setting: set ProtocolVersion = MqttProtocolVersion.V500, or leave it false.", nameof(AutomaticTopicAliases));
        }

        if (ReceiveMaximum is < 0 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(ReceiveMaximum), ReceiveMaximum, "ReceiveMaximum must be from 1 to 65,535, or 0 to send none (the broker may then send 65,535).");
        }

        if ((ReceiveMaximum > 0 || RequestResponseInformation) && ProtocolVersion != Spec.MqttProtocolVersion.V500)
        {
            throw new ArgumentException("ReceiveMaximum and RequestResponseInformation are MQTT 5 settings: set ProtocolVersion = MqttProtocolVersion.V500, or leave them at their defaults.", ReceiveMaximum > 0 ? nameof(ReceiveMaximum) : nameof(RequestResponseInformation));
        }

        if (EnhancedAuthenticator is { } authenticator)
        {
            if (ProtocolVersion != Spec.MqttProtocolVersion.V500)
            {
                throw new ArgumentException("EnhancedAuthenticator is an MQTT 5 setting (AUTH packets): set ProtocolVersion = MqttProtocolVersion.V500, or leave it null.", nameof(EnhancedAuthenticator));
            }

            if (string.IsNullOrEmpty(authenticator.Method) || Encoding.UTF8.GetByteCount(authenticator.Method) > 65535 || authenticator.Method.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("EnhancedAuthenticator.Method must name the method, e.g. \"SCRAM-SHA-256\": a non-empty UTF-8 string of at most 65,535 bytes without U+0000.", nameof(EnhancedAuthenticator));
            }
        }

        if (TopicAliasMaximum > 0 && ProtocolVersion != Spec.MqttProtocolVersion.V500)
        {
            throw new ArgumentException("TopicAliasMaximum is an MQTT 5 setting: set ProtocolVersion = MqttProtocolVersion.V500, or leave it 0.", nameof(TopicAliasMaximum));
        }

        if (MaximumPacketSize < 16)
        {
            throw new ArgumentOutOfRangeException(nameof(MaximumPacketSize), MaximumPacketSize, "MaximumPacketSize must be at least 16 bytes.");
        }

        if (Will is not null)
        {
            TopicValidation.EnsureTopicName(Will.Topic, "Will.Topic");
            if ((Will.Properties is not null || Will.DelayInterval is not null) && ProtocolVersion != Spec.MqttProtocolVersion.V500)
            {
                throw new ArgumentException("Will.Properties and Will.DelayInterval need MQTT 5: set ProtocolVersion = MqttProtocolVersion.V500, or leave them null.", nameof(Will));
            }

            _ = MessagePropertiesMapping.WillProperties(Will, ProtocolVersion); // checks them now, not at the first connect
            if (Will.Properties?.PayloadFormat == MqttPayloadFormat.Utf8 && !System.Text.Unicode.Utf8.IsValid(Will.Payload.Span))
            {
                throw new ArgumentException(
                    "Will.Payload is marked PayloadFormat.Utf8 (UTF-8 text) but is not well-formed UTF-8 (MQTT 5.0 section 3.1.3.2.3); a broker that checks refuses the CONNECT. Give valid UTF-8, or leave PayloadFormat Unspecified for binary data.",
                    nameof(Will));
            }
        }

        if (StableLinkTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(StableLinkTime), StableLinkTime, "StableLinkTime must be zero or more, e.g. TimeSpan.FromSeconds(30).");
        }

        if (FirstConnectTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FirstConnectTimeout), FirstConnectTimeout, "FirstConnectTimeout must be positive, or null to retry the first connect without a time bound.");
        }

        if (FirstConnectAttempts is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(FirstConnectAttempts), FirstConnectAttempts, "FirstConnectAttempts must be at least 1, or null for no bound.");
        }

        if (ReconnectPolicy is null)
        {
            throw new ArgumentException("ReconnectPolicy must be set, e.g. new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)).", nameof(ReconnectPolicy));
        }
    }
}
