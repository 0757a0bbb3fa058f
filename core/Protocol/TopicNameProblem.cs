namespace StateMachineMqtt.Protocol;

/// <summary>What makes a string not a topic name [MQTT-4.7]; <see cref="TopicRules.FindNameProblem"/> finds it.</summary>
internal enum TopicNameProblem
{
    /// <summary>A valid topic name.</summary>
    None,

    /// <summary>Empty: topic names are at least one character [MQTT-4.7.3-1].</summary>
    Empty,

    /// <summary>Contains '+' or '#', which only topic filters may [MQTT-3.3.2-2].</summary>
    Wildcard,

    /// <summary>Contains U+0000, which no MQTT string may [MQTT-1.5.3-2].</summary>
    NullCharacter,
}
