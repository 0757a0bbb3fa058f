using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Protocol.V5;

/// <summary>
/// Authentication Data is the data of an Authentication Method, so it never goes without one: "It is a Protocol Error to
/// include Authentication Data if there is no Authentication Method" (MQTT 5, 3.1.2.11.10, CONNECT), and likewise in CONNACK
/// (3.2.2.3.18) and AUTH (3.15.2.2.3), the only packets that carry it. The encoder and decoder both hold property sets to it.
/// </summary>
internal static class AuthenticationRules
{
    /// <summary>The section of MQTT 5 that says so for the packet <paramref name="context"/>, for messages.</summary>
    public static string Section(PropertyContext context) => context switch
    {
        PropertyContext.Connect => "MQTT 5, 3.1.2.11.10",
        PropertyContext.ConnAck => "MQTT 5, 3.2.2.3.18",
        _ => "MQTT 5, 3.15.2.2.3",
    };
}
