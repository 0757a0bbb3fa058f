namespace StateMachineMqtt;

/// <summary>
/// An MQTT 5 User Property: a name and a value, both UTF-8 strings. A packet may carry many, the same name more than once,
/// and their order is kept [MQTT-3.3.2-18].
/// </summary>
/// <param name="Name">The property's name.</param>
/// <param name="Value">The property's value.</param>
public readonly record struct MqttUserProperty(string Name, string Value);
