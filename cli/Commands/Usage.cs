namespace StateMachineMqtt.Cli.Commands;

/// <summary>The help text. ArgumentParserTableTests checks that it names every flag in <see cref="ArgumentParser.Flags"/>.</summary>
internal static class Usage
{
    /// <summary>What <c>smqtt --help</c> prints.</summary>
    public const string Text = """
        smqtt — a resilient MQTT 3.1.1 and 5 client driven by transition tables

        Usage:
          smqtt pub  -t TOPIC (-m MESSAGE | -f FILE | -s | -n | -l) [options]   publish
          smqtt sub  -t FILTER [-t FILTER ...] [-U FILTER ...] [options]      print received messages
          smqtt diagrams [--out DIR]                       regenerate the state diagrams (default: docs/diagrams)
          smqtt demo [--broker HOST:PORT]                  inject faults and show that no message is lost
          smqtt chaos [--minutes N | --messages N] [--seed S] [--rate N] [--out DIR] [--compare]
                                                           soak against Mosquitto with random faults and broker kills;
                                                           writes chaos-report.json/.md (--compare: also MQTTnet,
                                                           and docs/resilience.md)
          smqtt bench [--messages N] [--quick]               publish rate of smqtt, MQTTnet and mosquitto_pub -l at
                                                           QoS 0 and 1 (16 B, 1 KiB) on one broker; prints ratios
                                                           (--messages: per run, default 20,000; --quick: 2,000)
          smqtt --help

        pub/sub options (as mosquitto_pub / mosquitto_sub):
          -h HOST        broker host (default localhost)
          -p PORT        broker port (default 1883, 8883 with TLS)
          --servers host1:port1,host2:port2
                         failover list in place of -h/-p: each failure moves to the next server, the backoff
                         grows per full round; ws://host:port/path and wss://... dial MQTT over WebSockets
          -t TOPIC       pub: the topic; sub: a filter to subscribe to (repeatable)
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
          -d             debug: print every packet sent and received on stderr (passwords shown as ***)
          --json         sub: one JSON object per message; pub: a JSON summary at the end (both on stdout)
          --cafile FILE  CA certificate (PEM) to trust: enables TLS
          --cert FILE    client certificate (PEM), with --key
          --key FILE     client private key (PEM), with --cert
          --capath DIR   trust every CA certificate (PEM) in DIR's *.crt and *.pem files: enables TLS
          --insecure     TLS: do not check that the server certificate names the host (the CA is still
                         checked), as mosquitto's --insecure; for testing only
          --tls-version tlsv1.2|tlsv1.3
                         the oldest TLS version accepted (default tlsv1.2, which also allows 1.3)
          --store DIR    durable session store (needs -c and -i): QoS 1/2 messages in flight, inbound QoS 2
                         and subscriptions survive a crash and are re-sent on the next run with the same DIR;
                         pub -l then prints each line on stdout once it is stored (fsynced)
          --will-topic TOPIC   a will the broker publishes if the link is lost without DISCONNECT, with
          --will-payload TEXT  its payload,  --will-qos 0|1|2  its QoS,  --will-retain  retained
          -D COMMAND IDENTIFIER VALUE
                         an MQTT 5 property (needs -V mqttv5). COMMAND publish or will:
                           content-type, correlation-data, message-expiry-interval, payload-format-indicator,
                           response-topic, user-property NAME VALUE (repeatable); will also will-delay-interval;
                         connect session-expiry-interval (as -x)
        pub only (exactly one message source):
          -m MESSAGE     the message
          -f FILE        the file's contents as one message (binary safe; -f /dev/stdin for binary stdin)
          -s             all of stdin (as UTF-8 text) as one message
          -n             a zero-length (null) message
          -l             each line of stdin as one message (progress line on stderr when it is a terminal)
          -r             retain
          --repeat N     publish the message N times (-m, -f, -s, -n)
          --repeat-delay SECONDS
                         wait this long between repeats (fractions allowed: 0.5)
        sub only:
          -C N           exit after N messages (those -R and -T leave out do not count)
          -E             exit once the subscriptions (and -U unsubscriptions) are acknowledged
          -W SECONDS     exit after SECONDS from the connect, with code 27
          -U FILTER      unsubscribe from FILTER (repeatable), e.g. to clear a kept session (-c);
                         with no -t, exit once done
          -T FILTER      do not print messages whose topic matches FILTER (repeatable)
          -R             do not print stale retained messages (those with the retain flag set)
          -N             no newline after each message
          -v             print "topic payload" instead of the payload alone
          -F FORMAT      print each message as FORMAT, as mosquitto_sub: %t topic, %p payload, %x/%X hex,
                         %l length, %q QoS, %r retain, %m packet id, %I ISO-8601 time, %U Unix time,
                         %j/%J JSON, MQTT 5 %C content type, %D correlation data, %E expiry, %F format,
                         %P user properties, %R response topic, %S subscription ids, %A topic alias; %%;
                         widths %-10.4t; @Y @m @d @H @M @S @N @z ... (strftime); \n \t \0 \a \e \\

        Exit codes:
          0   success
          1   failure: connection refused or unreachable within --connect-timeout, a message not acknowledged,
              a publish, subscribe or unsubscribe refused by the broker (MQTT 5), a file that cannot be read
          2   bad command line (the message says what was wrong)
          27  sub -W: the time ran out (as mosquitto_sub)
        SIGINT (Ctrl+C) and SIGTERM stop pub and sub cleanly however smqtt was started (a background job of
        a script included): they disconnect and flush the output; sub then exits 0, pub exits 1 if messages
        were still unacknowledged.
        """;
}
