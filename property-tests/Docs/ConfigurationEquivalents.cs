namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>
/// The hand-written half of docs/configuration.md: for each option, the nearest setting of the MicroPython client mqtt_as
/// (a key of its <c>config</c> dict) and of MQTTnet 5 (a method of its MqttClientOptionsBuilder), or "—" for none.
/// ConfigurationReferenceTests fail when an option has no entry here, so a new option forces a decision, and when an entry
/// names an option, an mqtt_as key or an MQTTnet method that does not exist.
/// </summary>
internal static class ConfigurationEquivalents
{
    /// <summary>The keys of mqtt_as's <c>config</c> dict (mqtt_as/__init__.py, version 0.8), which the mqtt_as column may name.</summary>
    public static IReadOnlySet<string> MqttAsConfigKeys { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "client_id", "server", "port", "user", "password", "keepalive", "ping_interval", "ssl", "ssl_params",
        "response_time", "clean_init", "clean", "max_repubs", "will", "subs_cb", "wifi_coro", "connect_coro", "ssid",
        "wifi_pw", "queue_len", "gateway", "mqttv5", "mqttv5_con_props",
    };

    /// <summary>MqttClientOptions' properties: (mqtt_as, MQTTnet 5), as Markdown.</summary>
    public static IReadOnlyDictionary<string, (string MqttAs, string Mqttnet)> ClientOptions { get; } =
        new Dictionary<string, (string, string)>(StringComparer.Ordinal)
        {
            ["ClientId"] = ("`client_id` (default: the board's unique id)", "`WithClientId`"),
            ["Server"] = ("`server`", "`WithTcpServer` (host)"),
            ["Port"] = ("`port` (0: 1883, or 8883 with `ssl`)", "`WithTcpServer` (port)"),
            ["UserName"] = ("`user`", "`WithCredentials`"),
            ["Password"] = ("`password`", "`WithCredentials`"),
            ["KeepAlive"] = ("`keepalive` (seconds, default 60)", "`WithKeepAlivePeriod`; `WithNoKeepAlive` for 0"),
            ["PingInterval"] = ("`ping_interval` (seconds; 0: keepalive / 4; may only shorten it)", "—"),
            ["ResponseTime"] = ("`response_time` (seconds, default 10)", "`WithTimeout` (how long a request waits for its answer)"),
            ["ProtocolVersion"] = ("`mqttv5` (True: MQTT 5)", "`WithProtocolVersion`"),
            ["SessionExpiryInterval"] = ("`mqttv5_con_props` (property 0x11)", "`WithSessionExpiryInterval` (seconds)"),
            ["TopicAliasMaximum"] = ("`mqttv5_con_props` (property 0x22)", "`WithTopicAliasMaximum`"),
            ["AutomaticTopicAliases"] = ("—", "— (set an alias on each message yourself)"),
            ["ConnectUserProperties"] = ("`mqttv5_con_props` (property 0x26)", "`WithUserProperty`"),
            ["RequestProblemInformation"] = ("`mqttv5_con_props` (property 0x17)", "`WithRequestProblemInformation`"),
            ["RequestResponseInformation"] = ("`mqttv5_con_props` (property 0x19)", "`WithRequestResponseInformation`"),
            ["ReceiveMaximum"] = ("`mqttv5_con_props` (property 0x21)", "`WithReceiveMaximum`"),
            ["CleanSession"] = ("`clean` (default True)", "`WithCleanSession` (3.1.1), `WithCleanStart` (5)"),
            ["CleanSessionOnFirstConnect"] = ("`clean_init` (default True there, false here)", "—"),
            ["MaxRepublishes"] = ("`max_repubs` (default 4)", "—"),
            ["MaxInflight"] = ("—", "—"),
            ["ReceiveQueueLength"] = ("`queue_len` (the received-message queue of its event interface)", "—"),
            ["MaxQueuedMessages"] = ("—", "— (MQTTnet 4's ManagedMqttClient had MaxPendingMessages)"),
            ["MaxQueuedBytes"] = ("—", "—"),
            ["OutboundOverflow"] = ("—", "— (MQTTnet 4's ManagedMqttClient had PendingMessagesOverflowStrategy)"),
            ["ReceiveOverflow"] = ("— (`queue_len`'s queue overwrites its oldest entry, at any QoS: nearest is `DropOldestQoS0`)", "—"),
            ["MaximumPacketSize"] = ("—", "`WithMaximumPacketSize` (MQTT 5's CONNECT property only)"),
            ["Will"] = ("`will` (`[topic, msg, retain, qos]`)", "`WithWillTopic`, `WithWillPayload`, `WithWillQualityOfServiceLevel`, `WithWillRetain`, `WithWillDelayInterval`"),
            ["Tls"] = ("`ssl`, `ssl_params`", "`WithTlsOptions`"),
            ["ReconnectPolicy"] = ("— (reconnects by itself, with no policy to set)", "— (no automatic reconnect in MQTTnet 5; MQTTnet 4's ManagedMqttClient had a fixed AutoReconnectDelay)"),
            ["StableLinkTime"] = ("—", "—"),
            ["FirstConnectTimeout"] = ("— (the first `connect()` raises on failure)", "— (ConnectAsync makes one attempt; `WithTimeout` bounds it)"),
            ["FirstConnectAttempts"] = ("— (the first `connect()` raises on failure)", "— (ConnectAsync makes one attempt)"),
            ["EnhancedAuthenticator"] = ("—", "`WithEnhancedAuthentication`, `WithEnhancedAuthenticationHandler`"),
            ["MeterFactory"] = ("—", "—"),
            ["CredentialsProvider"] = ("—", "— (`WithCredentials` is fixed; an enhanced-authentication handler is the nearest)"),
            ["Servers"] = ("— (one `server` and `port`)", "— (one server per client: `WithTcpServer` or `WithWebSocketServer`)"),
            ["FollowServerReference"] = ("—", "— (the reference is in `MqttClientDisconnectedEventArgs`; reconnecting there is the application's)"),
            ["StoreDirectory"] = ("—", "— (no file-backed store of in-flight messages)"),
            ["StoreFlush"] = ("—", "—"),
            ["StoreFlushInterval"] = ("—", "—"),
        };

    /// <summary>MqttHostingOptions' properties: (mqtt_as, MQTTnet 5), as Markdown. Neither has a generic-host integration.</summary>
    public static IReadOnlyDictionary<string, (string MqttAs, string Mqttnet)> HostingOptions { get; } =
        new Dictionary<string, (string, string)>(StringComparer.Ordinal)
        {
            ["StartupWait"] = ("—", "—"),
            ["RequireConnectionAtStartup"] = ("—", "—"),
            ["DrainOnStop"] = ("—", "—"),
        };
}
