using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.Extensions.Hosting;

/// <summary>One AddHandler call: the filter to subscribe to, the QoS to ask for, and the handler type messages go to.</summary>
internal sealed record MqttHandlerRegistration(string TopicFilter, MqttQualityOfService QualityOfService, Type HandlerType);
