namespace StateMachineMqtt.Protocol;

/// <summary>What, if anything, is wrong with where a topic filter's wildcards stand [MQTT-4.7.1].</summary>
internal enum TopicFilterProblem
{
    /// <summary>The wildcards (if any) are where the spec allows them.</summary>
    None,

    /// <summary>'#' is not a whole level, or not the last level [MQTT-4.7.1-2].</summary>
    MisplacedMultiLevelWildcard,

    /// <summary>'+' shares a level with other characters [MQTT-4.7.1-3].</summary>
    PartialSingleLevelWildcard,
}
