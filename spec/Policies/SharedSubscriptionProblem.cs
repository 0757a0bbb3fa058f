namespace StateMachineMqtt.Spec
{
    /// <summary>What, if anything, is wrong with a shared subscription "$share/{ShareName}/{filter}" (MQTT 5.0 section 4.8.2).</summary>
    public enum SharedSubscriptionProblem
    {
        /// <summary>Not a shared subscription, or a well-formed one.</summary>
        None = 0,

        /// <summary>"$share//…": the ShareName is empty [MQTT-4.8.2-1].</summary>
        EmptyShareName = 1,

        /// <summary>The ShareName holds '+' or '#' [MQTT-4.8.2-2] ('/' cannot be in it: the first '/' ends it).</summary>
        WildcardInShareName = 2,

        /// <summary>"$share/{ShareName}" or "$share/{ShareName}/": no topic filter follows the ShareName [MQTT-4.8.2-1].</summary>
        NoTopicFilter = 3,
    }
}
