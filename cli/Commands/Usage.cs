namespace StateMachineMqtt.Cli.Commands;

/// <summary>The help text.</summary>
internal static class Usage
{
    /// <summary>What <c>smqtt --help</c> prints.</summary>
    public const string Text = """
        smqtt — a resilient MQTT 3.1.1 and 5 client driven by transition tables

        Usage:
          smqtt pub  -t TOPIC (-m MESSAGE | -l) [options]   publish (-l: one message per stdin line)
          smqtt sub  -t FILTER [-t FILTER ...] [options]   print received messages
          smqtt diagrams [--out DIR]                       regenerate the state diagrams (default: docs/diagrams)
          smqtt demo [--broker HOST:PORT]                  inject faults and show that no message is lost
          smqtt chaos [--minutes N | --messages N] [--seed S] [--rate N] [--out DIR] [--compare]
                                                           soak against Mosquitto with random faults and broker kills;
                                                           writes chaos-report.json/.md (--compare: also MQTTnet,
                                                           and docs/resilience.md)
          smqtt --help

        pub/sub options (as mosquitto_pub / mosquitto_sub):
          -h HOST        broker host (default localhost)
          -p PORT        broker port (default 1883, 8883 with TLS)
          -q 0|1|2       quality of service (default 0)
          -i ID          client id (default: generated)
          -k SECONDS     keepalive (default 60, 0 = off)
          --connect-timeout SECONDS
                         give up on the first connect after this long, exit 1 with the cause
                         (default 10, 0 = retry until Ctrl+C); once connected, outages are ridden out
          -u USER        user name
          -P PASSWORD    password (needs -u)
          -c             keep the broker session across connections (needs -i)
          -V VERSION     mqttv311 (default) or mqttv5
          -x SECONDS     MQTT 5 session expiry (default with -c: never expires; without: 0)
          --cafile FILE  CA certificate (PEM) to trust: enables TLS
          --cert FILE    client certificate (PEM), with --key
          --key FILE     client private key (PEM), with --cert
          --will-topic TOPIC  a will the broker publishes if the link is lost without DISCONNECT;
          --will-payload TEXT --will-qos 0|1|2  --will-retain
          -D COMMAND IDENTIFIER VALUE
                         an MQTT 5 property (needs -V mqttv5). COMMAND publish or will:
                           content-type, correlation-data, message-expiry-interval, payload-format-indicator,
                           response-topic, user-property NAME VALUE (repeatable); will also will-delay-interval;
                         connect session-expiry-interval (as -x)
        pub only:
          -m MESSAGE     the message to publish
          -l             publish each line of stdin as one message
          -r             retain
        sub only:
          -C N           exit after N messages
          -v             print "topic payload" instead of the payload alone
          -F FORMAT      print each message as FORMAT: %t topic, %p payload, %x/%X hex, %l length, %q QoS,
                         %r retain, MQTT 5 %C content type, %D correlation data, %E expiry, %F format,
                         %P user properties, %R response topic, %S subscription ids; %%, \n, \t

        Exit codes: 0 success, 1 failure (connection refused or unreachable within --connect-timeout,
        message not acknowledged or, over MQTT 5, refused by the broker), 2 bad command line.
        SIGINT (Ctrl+C) and SIGTERM stop pub and sub cleanly however smqtt was started (a background job of
        a script included): they disconnect and flush the output; sub then exits 0, pub exits 1 if messages
        were still unacknowledged.
        """;
}
