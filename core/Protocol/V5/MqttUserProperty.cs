namespace StateMachineMqtt.Protocol.V5;

/// <summary>An MQTT 5 User Property: a name and a value, both UTF-8 strings; a set may hold many, and one name twice.</summary>
internal readonly record struct MqttUserProperty(string Name, string Value);
