using StateMachineMqtt.Engine;

namespace StateMachineMqtt;

/// <summary>One SubscribeAsync or UnsubscribeAsync call: the engine's request, and the caller's task and token.</summary>
internal sealed class RequestCall
{
    private RequestCall(Func<RequestCall, SubscriptionRequest> request, CancellationToken callerToken)
    {
        Request = request(this);
        CallerToken = callerToken;
    }

    public SubscriptionRequest Request { get; }

    public CancellationToken CallerToken { get; }

    public TaskCompletionSource<Protocol.MqttQualityOfService> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationTokenRegistration Cancellation { get; set; }

    public static RequestCall Subscribe(string filter, int qos, CancellationToken callerToken) =>
        new(call => SubscriptionRequest.Subscribe([filter], [qos], call), callerToken);

    public static RequestCall Unsubscribe(string filter, CancellationToken callerToken) =>
        new(call => SubscriptionRequest.Unsubscribe([filter], call), callerToken);
}
