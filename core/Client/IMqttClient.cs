using System.Diagnostics.CodeAnalysis;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt;

/// <summary>
/// The public surface of <see cref="MqttClient"/>, for dependency injection and for test doubles of code that uses a
/// client. Each member behaves, and is documented, as the <see cref="MqttClient"/> member of the same name.
/// </summary>
public interface IMqttClient : IAsyncDisposable
{
    /// <inheritdoc cref="MqttClient.Statistics"/>
    MqttClientStatistics Statistics { get; }

    /// <inheritdoc cref="MqttClient.IsConnected"/>
    bool IsConnected { get; }

    /// <inheritdoc cref="MqttClient.ClientIdentifier"/>
    string ClientIdentifier { get; }

    /// <inheritdoc cref="MqttClient.ResponseInformation"/>
    string? ResponseInformation { get; }

    /// <inheritdoc cref="MqttClient.HeldMessageCount"/>
    int HeldMessageCount { get; }

    /// <inheritdoc cref="MqttClient.InFlightMessageCount"/>
    int InFlightMessageCount { get; }

    /// <inheritdoc cref="MqttClient.ConnectionChanged"/>
    event EventHandler<MqttConnectionEventArgs>? ConnectionChanged;

    /// <inheritdoc cref="MqttClient.ConnectAsync"/>
    Task ConnectAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc cref="MqttClient.PublishAsync(string, ReadOnlyMemory{byte}, MqttQualityOfService, bool, CancellationToken)"/>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "As MqttClient's: the overloads differ in the payload's type, so no call is ambiguous.")]
    Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService = MqttQualityOfService.AtMostOnce, bool retain = false, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="MqttClient.PublishAsync(string, ReadOnlyMemory{byte}, MqttQualityOfService, bool, MqttMessageProperties, CancellationToken)"/>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "As MqttClient's: its properties parameter is required, so no call is ambiguous.")]
    Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService, bool retain, MqttMessageProperties? properties, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="MqttClient.PublishAsync(string, string, MqttQualityOfService, bool, CancellationToken)"/>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "As MqttClient's: the overloads differ in the payload's type, so no call is ambiguous.")]
    Task PublishAsync(string topic, string payload, MqttQualityOfService qualityOfService = MqttQualityOfService.AtMostOnce, bool retain = false, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="MqttClient.SubscribeAsync(string, MqttQualityOfService, CancellationToken)"/>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "As MqttClient's: the overload with options takes them as a required parameter.")]
    Task<MqttQualityOfService> SubscribeAsync(string topicFilter, MqttQualityOfService qualityOfService = MqttQualityOfService.AtLeastOnce, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="MqttClient.SubscribeAsync(string, MqttQualityOfService, MqttSubscriptionOptions, CancellationToken)"/>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "As MqttClient's: the overload with options takes them as a required parameter.")]
    Task<MqttQualityOfService> SubscribeAsync(string topicFilter, MqttQualityOfService qualityOfService, MqttSubscriptionOptions? options, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="MqttClient.SubscribeStreamAsync"/>
    Task<MqttSubscription> SubscribeStreamAsync(string topicFilter, MqttQualityOfService qualityOfService = MqttQualityOfService.AtLeastOnce, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="MqttClient.UnsubscribeAsync"/>
    Task UnsubscribeAsync(string topicFilter, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="MqttClient.DrainAsync"/>
    Task DrainAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc cref="MqttClient.DisconnectAsync(bool, CancellationToken)"/>
    Task DisconnectAsync(bool drain, CancellationToken cancellationToken);

    /// <inheritdoc cref="MqttClient.DisconnectAsync(CancellationToken)"/>
    [SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "As MqttClient's: the draining overload has no optional parameter, so no call is ambiguous.")]
    Task DisconnectAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc cref="MqttClient.DisconnectAsync(MqttDisconnectReason, CancellationToken)"/>
    [SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "As MqttClient's: its parameters are of other types than the draining overload's.")]
    Task DisconnectAsync(MqttDisconnectReason reason, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="MqttClient.ReadMessagesAsync"/>
    IAsyncEnumerable<MqttMessage> ReadMessagesAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc cref="MqttClient.RequestAsync"/>
    Task<MqttMessage> RequestAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService, TimeSpan timeout, MqttMessageProperties? properties = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="MqttClient.ReauthenticateAsync"/>
    Task ReauthenticateAsync(CancellationToken cancellationToken = default);
}
