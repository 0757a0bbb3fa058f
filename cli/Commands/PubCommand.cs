using System.Globalization;
using System.Text;
using StateMachineMqtt.Cli.Commands.Output;

namespace StateMachineMqtt.Cli.Commands;

/// <summary>
/// <c>smqtt pub</c>: publish one message (-m, -f, -s, -n; --repeat N times) or every stdin line (-l), then disconnect
/// cleanly. On a terminal, -l and --repeat show a progress line on stderr.
/// </summary>
internal static class PubCommand
{
    /// <summary>Publishes in flight at once; matches the client's default MaxInflight so the window never idles it.</summary>
    private const int Window = 20;

    /// <summary>Runs the command; 0 once every message is acknowledged (QoS ≥ 1) or written (QoS 0) and the client has disconnected.</summary>
    public static async Task<int> RunAsync(CliArguments arguments, TextReader stdin, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        // The message is read before connecting: an unreadable -f is reported without touching the broker.
        byte[]? single = await SingleMessageAsync(arguments, stdin, cancellationToken).ConfigureAwait(false);

        var options = ClientOptionsFactory.Create(arguments);
        var (client, lifetime) = ClientOptionsFactory.CreateClient(arguments, options, stderr);
        await using var _ = lifetime.ConfigureAwait(false);
        var reporter = new LinkReporter(client, stderr);
        var progress = new ProgressLine(stderr, environment);

        string topic = arguments.Topics[0];
        bool durableLines = arguments.StoreDirectory is not null && arguments.StdinLines && arguments.QualityOfService != StateMachineMqtt.Protocol.MqttQualityOfService.AtMostOnce;
        var pipeline = new PublishPipeline(
            durableLines
                ? (payload, ct) => PublishAndPrintWhenStoredAsync(client, topic, payload, arguments, stdout, ct)
                : (payload, ct) => client.PublishAsync(topic, payload, arguments.QualityOfService, arguments.Retain, arguments.PublishProperties, ct),
            Window);
        string Status() => string.Create(CultureInfo.InvariantCulture, $"smqtt: {pipeline.Issued} published, {pipeline.Completed} completed");
        try
        {
            await Connecting.ConnectAsync(client, options, stderr, cancellationToken).ConfigureAwait(false);
            if (single is not null)
            {
                for (int i = 0; i < arguments.Repeat; i++)
                {
                    if (i > 0 && arguments.RepeatDelay > TimeSpan.Zero)
                    {
                        await Task.Delay(arguments.RepeatDelay, environment.Time, cancellationToken).ConfigureAwait(false);
                    }

                    await pipeline.AddAsync(single, cancellationToken).ConfigureAwait(false);
                    if (arguments.Repeat > 1)
                    {
                        progress.Update(Status);
                    }
                }
            }
            else
            {
                while (await stdin.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    await pipeline.AddAsync(Encoding.UTF8.GetBytes(line), cancellationToken).ConfigureAwait(false);
                    progress.Update(Status);
                }
            }

            await pipeline.DrainAsync().ConfigureAwait(false);
            if (durableLines)
            {
                // Stored is not yet delivered: exit 0 still means every message reached the broker.
                await client.DrainAsync(cancellationToken).ConfigureAwait(false);
            }

            progress.Clear();
            reporter.Closing();
            await client.DisconnectAsync(cancellationToken).ConfigureAwait(false);
            if (arguments.Json)
            {
                await stdout.WriteLineAsync(JsonOutput.PubSummary(topic, pipeline.Issued, pipeline.Completed, interrupted: false)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            progress.Clear();
            await stderr.WriteLineAsync(pipeline.Issued == 0
                ? "smqtt: interrupted before anything was published."
                : $"smqtt: interrupted: {pipeline.Completed} of {pipeline.Issued} messages completed; the rest may not have reached the broker.").ConfigureAwait(false);
            if (arguments.Json)
            {
                await stdout.WriteLineAsync(JsonOutput.PubSummary(topic, pipeline.Issued, pipeline.Completed, interrupted: true)).ConfigureAwait(false);
            }

            return ExitCodes.Failure;
        }
        finally
        {
            progress.Clear();
        }
    }

    /// <summary>
    /// pub -l --store: the line goes out through PublishDurableAsync and is printed on stdout once the store holds it, so
    /// whatever reads stdout knows which lines survive a crash of this process.
    /// </summary>
    private static async Task PublishAndPrintWhenStoredAsync(MqttClient client, string topic, ReadOnlyMemory<byte> payload, CliArguments arguments, TextWriter stdout, CancellationToken cancellationToken)
    {
        await client.PublishDurableAsync(topic, payload, arguments.QualityOfService, arguments.Retain, cancellationToken).ConfigureAwait(false);
        string line = Encoding.UTF8.GetString(payload.Span);
        lock (stdout)
        {
            stdout.WriteLine(line);
            stdout.Flush();
        }
    }

    /// <summary>The one message of -m, -f, -s or -n; null for -l (lines are read as they come).</summary>
    private static async Task<byte[]?> SingleMessageAsync(CliArguments arguments, TextReader stdin, CancellationToken cancellationToken)
    {
        if (arguments.Message is { } message)
        {
            return Encoding.UTF8.GetBytes(message);
        }

        if (arguments.MessageFile is { } path)
        {
            try
            {
                return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"-f {path}: cannot read the file: {e.Message}", e);
            }
        }

        if (arguments.StdinWhole)
        {
            // Text: stdin arrives here as a TextReader (UTF-8). Binary data goes through -f, e.g. -f /dev/stdin.
            return Encoding.UTF8.GetBytes(await stdin.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
        }

        return arguments.NullMessage ? [] : null;
    }
}
