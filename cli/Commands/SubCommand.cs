using StateMachineMqtt.Cli.Commands.Format;
using StateMachineMqtt.Cli.Commands.Output;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.Cli.Commands;

/// <summary>
/// <c>smqtt sub</c>: subscribe to every -t filter, unsubscribe every -U filter, and print messages; -C N stops after N,
/// -E once subscribed, -W after a time (exit 27, as mosquitto_sub).
/// </summary>
internal static class SubCommand
{
    /// <summary>Runs until -C messages arrived, -E's subscriptions are acknowledged or Ctrl+C (each exit 0), or -W ran out (27).</summary>
    public static async Task<int> RunAsync(CliArguments arguments, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        var options = ClientOptionsFactory.Create(arguments);
        var (client, lifetime) = ClientOptionsFactory.CreateClient(arguments, options, stderr);
        await using var _ = lifetime.ConfigureAwait(false);
        var reporter = new LinkReporter(client, stderr);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bool timedOut = false;
        ITimer? timeout = null;
        try
        {
            await Connecting.ConnectAsync(client, options, stderr, stop.Token).ConfigureAwait(false);
            if (arguments.TimeoutSeconds is { } seconds)
            {
                // As mosquitto_sub: the time counts from the connect on.
                timeout = environment.Time.CreateTimer(_ =>
                {
                    timedOut = true;
                    stop.Cancel();
                }, null, TimeSpan.FromSeconds(seconds), Timeout.InfiniteTimeSpan);
            }

            foreach (string filter in arguments.Topics)
            {
                await client.SubscribeAsync(filter, arguments.QualityOfService, stop.Token).ConfigureAwait(false);
            }

            foreach (string filter in arguments.Unsubscribes)
            {
                await client.UnsubscribeAsync(filter, stop.Token).ConfigureAwait(false);
            }

            // -U alone is a chore (clearing a kept session's subscription), done once acknowledged.
            if (!arguments.ExitWhenSubscribed && arguments.Topics.Count > 0)
            {
                await PrintAsync(client, arguments, stdout, stderr, environment.Time, stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C or -W: fall through to a clean disconnect with a fresh token.
        }
        finally
        {
            if (timeout is not null)
            {
                await timeout.DisposeAsync().ConfigureAwait(false);
            }
        }

        await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false); // what was printed before the interrupt too
        reporter.Closing();
        using var disconnect = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.DisconnectAsync(disconnect.Token).ConfigureAwait(false);
        if (timedOut && !cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("Timed out").ConfigureAwait(false); // mosquitto_sub's words, for scripts that look for them
            return ExitCodes.Timeout;
        }

        return ExitCodes.Success;
    }

    private static async Task PrintAsync(MqttClient client, CliArguments arguments, TextWriter stdout, TextWriter stderr, TimeProvider time, CancellationToken cancellationToken)
    {
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

            MqttMessage message = messages.Current;
            if (!Shown(message, arguments))
            {
                continue; // as mosquitto_sub: a message not printed does not count towards -C either
            }

            string? text = Render(message, arguments, time.GetLocalNow(), out string? formatError);
            if (formatError is not null)
            {
                await stderr.WriteLineAsync(formatError).ConfigureAwait(false);
                text = ""; // as mosquitto_sub: the message's line is left empty
            }

            if (arguments.NoNewline)
            {
                await stdout.WriteAsync(text).ConfigureAwait(false);
            }
            else
            {
                await stdout.WriteLineAsync(text).ConfigureAwait(false);
            }

            if (++received == arguments.Count)
            {
                break;
            }
        }

        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>False for what -R (retained, hence stale) and -T (a filtered-out topic) leave out.</summary>
    public static bool Shown(MqttMessage message, CliArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.NoStaleRetained && message.Retain)
        {
            return false;
        }

        foreach (string filter in arguments.FilterOuts)
        {
            if (MqttTopicMatcher.IsMatch(filter, message.Topic))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The text for one message, received at <paramref name="now"/>: --json, -F FORMAT, -v's "topic payload", or the payload
    /// alone; null with <paramref name="error"/> set when -F's %J meets a payload that is not JSON.
    /// </summary>
    public static string? Render(MqttMessage message, CliArguments arguments, DateTimeOffset now, out string? error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        error = null;
        return arguments.Json ? JsonOutput.Message(message)
            : arguments.Format is { } format ? MessageFormatter.Format(format, message, now, out error)
            : Format(message, arguments.Verbose);
    }

    /// <summary>One output line: the payload, or "topic payload" with -v (as mosquitto_sub).</summary>
    public static string Format(MqttMessage message, bool verbose)
    {
        ArgumentNullException.ThrowIfNull(message);
        return verbose ? $"{message.Topic} {message.PayloadText}" : message.PayloadText;
    }
}
