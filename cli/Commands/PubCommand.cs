using System.Text;

namespace StateMachineMqtt.Cli.Commands;

/// <summary><c>smqtt pub</c>: publish -m once, or every stdin line with -l, then disconnect cleanly.</summary>
internal static class PubCommand
{
    /// <summary>Publishes in flight at once; matches the client's default MaxInflight so the window never idles it.</summary>
    private const int Window = 20;

    /// <summary>Runs the command; 0 once every message is acknowledged (QoS ≥ 1) or written (QoS 0) and the client has disconnected.</summary>
    public static async Task<int> RunAsync(CliArguments arguments, TextReader stdin, TextWriter stderr, CancellationToken cancellationToken)
    {
        var options = ClientOptionsFactory.Create(arguments);
        var client = new MqttClient(options);
        await using var _ = client.ConfigureAwait(false);
        var reporter = new LinkReporter(client, stderr);

        string topic = arguments.Topics[0];
        var pipeline = new PublishPipeline(
            (payload, ct) => client.PublishAsync(topic, payload, arguments.QualityOfService, arguments.Retain, arguments.PublishProperties, ct),
            Window);
        try
        {
            await Connecting.ConnectAsync(client, options, stderr, cancellationToken).ConfigureAwait(false);
            if (arguments.Message is { } message)
            {
                await pipeline.AddAsync(Encoding.UTF8.GetBytes(message), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                while (await stdin.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    await pipeline.AddAsync(Encoding.UTF8.GetBytes(line), cancellationToken).ConfigureAwait(false);
                }
            }

            await pipeline.DrainAsync().ConfigureAwait(false);
            reporter.Closing();
            await client.DisconnectAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync(pipeline.Issued == 0
                ? "smqtt: interrupted before anything was published."
                : $"smqtt: interrupted: {pipeline.Completed} of {pipeline.Issued} messages completed; the rest may not have reached the broker.").ConfigureAwait(false);
            return 1;
        }
    }
}
