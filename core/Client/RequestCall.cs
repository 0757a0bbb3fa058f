using StateMachineMqtt.Engine;

namespace StateMachineMqtt;

/// <summary>One SubscribeAsync or UnsubscribeAsync call: the engine's request, and the caller's task and token.</summary>
internal sealed class RequestCall
{
    private RequestCall(Func<RequestCall, SubscriptionRequest> request, MqttSubscription? stream, CancellationToken callerToken)
    {
        Request = request(this);
        CallerToken = callerToken;
        Stream = stream;
    }

    public SubscriptionRequest Request { get; }

    public CancellationToken CallerToken { get; }

    public TaskCompletionSource<Protocol.MqttQualityOfService> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationTokenRegistration Cancellation { get; set; }

    /// <summary>The subscription stream a SUBSCRIBE opens or an UNSUBSCRIBE ends; null for SubscribeAsync and UnsubscribeAsync.</summary>
    public MqttSubscription? Stream { get; }

    public static RequestCall Subscribe(string filter, int qos, CancellationToken callerToken, MqttSubscription? stream = null) =>
        new(call => SubscriptionRequest.Subscribe([filter], [qos], call), stream, callerToken);

    /// <summary>An MQTT 5 SUBSCRIBE with the engine's options bits and Subscription Identifier (0: none).</summary>
    public static RequestCall Subscribe(string filter, int qos, int options, int identifier, CancellationToken callerToken) =>
        new(call => SubscriptionRequest.Subscribe([filter], [qos], options == 0 ? null : [options], identifier, call), null, callerToken);

    public static RequestCall Unsubscribe(string filter, CancellationToken callerToken, MqttSubscription? stream = null) =>
        new(call => SubscriptionRequest.Unsubscribe([filter], call), stream, callerToken);
}
