namespace StateMachineMqtt.PropertyTests.Simulation.Broker;

/// <summary>
/// The simulated broker's MQTT 5 enhanced authentication (section 4.12), a challenge/response method for tests: each
/// challenge is one byte, its round number, and the right answer is <see cref="Answer"/> of it. A CONNECT naming another
/// method is refused with 0x8C; a wrong answer with 0x87 (before CONNACK) or DISCONNECT 0x87 (in a re-authentication).
/// Misbehaviours let tests hold the client to the table's violation rows.
/// </summary>
internal sealed class BrokerAuthentication
{
    public const string DefaultMethod = "SIM-CHALLENGE";

    /// <summary>The Authentication Method the broker supports.</summary>
    public string Method { get; init; } = DefaultMethod;

    /// <summary>Challenges before CONNACK accepts a CONNECT.</summary>
    public int ConnectChallenges { get; set; } = 1;

    /// <summary>Challenges before AUTH 0x00 ends a re-authentication.</summary>
    public int ReauthChallenges { get; set; } = 1;

    /// <summary>The Authentication Data the broker's accepting CONNACK and AUTH 0x00 carry (the client's authenticator checks them).</summary>
    public byte[] FinalData { get; set; } = [0x5F];

    /// <summary>Refuse the next re-authentication with DISCONNECT 0x87 Not authorized [MQTT-4.12.1-2].</summary>
    public bool RefuseReauthentication { get; set; }

    /// <summary>Do not answer re-authentications at all.</summary>
    public bool IgnoreReauthentication { get; set; }

    /// <summary>How the broker breaks the exchange, for the client's violation rows.</summary>
    public AuthenticationMisbehaviour Misbehaviour { get; set; }

    /// <summary>The reason code of the AUTH the ...ThenAuth misbehaviours send after their challenge.</summary>
    public byte ExtraReasonCode { get; set; } = 0x18;

    /// <summary>CONNECTs and AUTHs seen, with their reason codes and data, in order (for assertions).</summary>
    public List<string> Seen { get; } = [];

    /// <summary>The right answer to a challenge.</summary>
    public static byte[] Answer(ReadOnlySpan<byte> challenge) => [.. challenge.ToArray().Select(b => (byte)(b ^ 0xA5))];
}

/// <summary>Ways the simulated broker breaks enhanced authentication.</summary>
public enum AuthenticationMisbehaviour
{
    /// <summary>None.</summary>
    None,
    /// <summary>The challenge to a CONNECT names another method [MQTT-4.12.0-5].</summary>
    ChallengeWithAnotherMethod,
    /// <summary>AUTH 0x00 instead of a challenge before CONNACK.</summary>
    SuccessBeforeConnAck,
    /// <summary>The accepting CONNACK names no method [MQTT-4.12.0-5].</summary>
    ConnAckWithoutMethod,
    /// <summary>A challenge to a CONNECT, then at once an AUTH with <see cref="BrokerAuthentication.ExtraReasonCode"/>, without waiting for the answer.</summary>
    ChallengeThenAuth,
    /// <summary>CONNACK right after the first challenge, without waiting for its answer.</summary>
    ConnAckWithoutWaiting,
    /// <summary>A re-authentication answered with AUTH 0x19, which only clients send.</summary>
    ReauthenticateFromBroker,
    /// <summary>A re-authentication answered with a challenge, then at once an AUTH with <see cref="BrokerAuthentication.ExtraReasonCode"/>.</summary>
    ReauthChallengeThenAuth,
}
