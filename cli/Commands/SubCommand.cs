namespace StateMachineMqtt.Cli.Commands;

/// <summary><c>smqtt sub</c>: subscribe to every -t filter and print messages; -C N stops after N.</summary>
internal static class SubCommand
{
    /// <summary>Runs until -C messages arrived (exit 0) or Ctrl+C (exit 0 after a clean disconnect).</summary>
    public static async Task<int> RunAsync(CliArguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var options = ClientOptionsFactory.Create(arguments);
        var client = new MqttClient(options);
        await using var _ = client.ConfigureAwait(false);
        var reporter = new LinkReporter(client, stderr);
        try
        {
            await Connecting.ConnectAsync(client, options, stderr, cancellationToken).ConfigureAwait(false);
            foreach (string filter in arguments.Topics)
            {
                await client.SubscribeAsync(filter, arguments.QualityOfService, cancellationToken).ConfigureAwait(false);
            }

            int received = 0;
            var messages = client.ReadMessagesAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using var __ = messages.ConfigureAwait(false);
            while (true)
            {
                // Write through the buffer and flush only when idle (no message waiting): one flush per burst, not per
                // line, so printing keeps up with the network.
                ValueTask<bool> next = messages.MoveNextAsync();
                if (!next.IsCompleted)
                {
                    // Not with the interrupt's token: a flush cancelled while `next` is pending would dispose the
                    // enumerator mid-MoveNext (NotSupportedException). The interrupt ends `next` itself instead.
                    await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                }

                if (!await next.ConfigureAwait(false))
                {
                    break;
                }

                await stdout.WriteLineAsync(arguments.Format is { } format
                    ? MessageFormatter.Format(format, messages.Current)
                    : Format(messages.Current, arguments.Verbose)).ConfigureAwait(false);
                if (++received == arguments.Count)
                {
                    break;
                }
            }

            await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: fall through to a clean disconnect with a fresh token.
        }

        await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false); // what was printed before the interrupt too
        reporter.Closing();
        using var disconnect = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.DisconnectAsync(disconnect.Token).ConfigureAwait(false);
        return 0;
    }

    /// <summary>One output line: the payload, or "topic payload" with -v (as mosquitto_sub).</summary>
    public static string Format(MqttMessage message, bool verbose) =>
        verbose ? $"{message.Topic} {message.PayloadText}" : message.PayloadText;
}
