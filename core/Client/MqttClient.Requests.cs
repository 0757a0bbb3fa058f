using System.Globalization;
using System.Security.Cryptography;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt;

/// <summary>MQTT 5 request/response [MQTT-4.10]: a publish with a Response Topic and Correlation Data, and the wait for its answer.</summary>
public sealed partial class MqttClient
{
    /// <summary>The topic prefix of the response topics <see cref="RequestAsync"/> makes up when the caller names none.</summary>
    public const string ResponseTopicPrefix = "smqtt/responses";

    /// <summary>
    /// Sends a request and returns its response (MQTT 5): subscribes to a response topic, publishes
    /// <paramref name="payload"/> to <paramref name="topic"/> with that Response Topic and Correlation Data, and completes
    /// with the first message on the response topic that carries the same Correlation Data; then unsubscribes. The
    /// response topic and correlation data are <paramref name="properties"/>' when given, else made up
    /// (under the broker's <see cref="ResponseInformation"/> when it gave one, else <see cref="ResponseTopicPrefix"/>; then a
    /// random level; and 16 random bytes). A responder answers by publishing to the request's
    /// Response Topic with its Correlation Data. Throws TimeoutException when no response came within
    /// <paramref name="timeout"/> (measured on the client's TimeProvider), ArgumentException under MQTT 3.1.1 (which has
    /// no request/response), and what PublishAsync and SubscribeStreamAsync throw.
    /// </summary>
    public async Task<MqttMessage> RequestAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService, TimeSpan timeout, MqttMessageProperties? properties = null, CancellationToken cancellationToken = default)
    {
        if (_options.ProtocolVersion != MqttProtocolVersion.V500)
        {
            throw new ArgumentException("RequestAsync needs MQTT 5 (Response Topic and Correlation Data): set MqttClientOptions.ProtocolVersion = MqttProtocolVersion.V500.", nameof(topic));
        }

        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive, e.g. TimeSpan.FromSeconds(10).");
        }

        string responseTopic = properties?.ResponseTopic ?? ResponseTopicRoot() + "/" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        ReadOnlyMemory<byte> correlation = properties?.CorrelationData ?? RandomNumberGenerator.GetBytes(16);
        var request = new MqttMessageProperties
        {
            PayloadFormat = properties?.PayloadFormat ?? MqttPayloadFormat.Unspecified,
            MessageExpiryInterval = properties?.MessageExpiryInterval,
            ContentType = properties?.ContentType,
            UserProperties = properties?.UserProperties ?? [],
            ResponseTopic = responseTopic,
            CorrelationData = correlation,
        };
        _ = MessagePropertiesMapping.ToWire(request, _options.ProtocolVersion); // a bad property fails here, before subscribing

        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        MqttSubscription responses = await SubscribeStreamAsync(responseTopic, qualityOfService, linked.Token).ConfigureAwait(true);
        try
        {
            try
            {
                await PublishAsync(topic, payload, qualityOfService, retain: false, request, linked.Token).ConfigureAwait(true);
                await foreach (MqttMessage response in responses.WithCancellation(linked.Token).ConfigureAwait(true))
                {
                    if (response.Properties?.CorrelationData is { } data && data.Span.SequenceEqual(correlation.Span))
                    {
                        return response;
                    }
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                    $"No response to the request on \"{topic}\" came on \"{responseTopic}\" within {timeout.TotalSeconds:0.###} s. Check that a responder subscribes to \"{topic}\" and answers to the Response Topic with the Correlation Data, or allow more time."));
            }
        }
        finally
        {
            await responses.DisposeAsync().ConfigureAwait(true);
        }

        throw new InvalidOperationException($"The subscription to the response topic \"{responseTopic}\" ended before a response came (the client was disposed or disconnected).");
    }

    /// <summary>Where made-up response topics go: under the broker's Response Information (without a trailing '/'), else under <see cref="ResponseTopicPrefix"/>.</summary>
    private string ResponseTopicRoot() => ResponseInformation is { Length: > 0 } given ? given.TrimEnd('/') : ResponseTopicPrefix;
}
