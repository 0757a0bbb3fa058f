using StateMachineMqtt.Spec;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;

namespace StateMachineMqtt.PropertyTests.Simulation.Broker;

/// <summary>MQTT 5 enhanced authentication on the broker's side (section 4.12), by <see cref="Authentication"/>.</summary>
internal sealed partial class SimulatedBroker
{
    /// <summary>The enhanced authentication the broker offers; null: none (a CONNECT naming a method is refused with 0x8C).</summary>
    public BrokerAuthentication? Authentication { get; set; }

    /// <summary>A packet the broker writes on every new link at once, before any CONNECT: null for none.</summary>
    public MqttPacket? Greeting { get; set; }

    /// <summary>The version <see cref="Greeting"/> is written in, before any CONNECT says which the link speaks.</summary>
    public MqttProtocolVersion GreetingVersion { get; set; } = MqttProtocolVersion.V500;

    /// <summary>
    /// A CONNECT named <paramref name="method"/>: refuse it, challenge it, or let it through (true) to be accepted.
    /// </summary>
    private bool BeginAuthentication(BrokerConnection connection, ConnectPacket connect, string method)
    {
        BrokerAuthentication? authentication = Authentication;
        authentication?.Seen.Add($"CONNECT {method} {Hex(connect.Properties?.AuthenticationData)}");
        if (authentication is null || authentication.Method != method)
        {
            RefuseWith(connection, 0x8C); // Bad authentication method [MQTT-4.12.0-1]
            return false;
        }

        if (authentication.ConnectChallenges == 0)
        {
            return true;
        }

        connection.PendingConnect = connect;
        connection.AuthRound = 1;
        switch (authentication.Misbehaviour)
        {
            case AuthenticationMisbehaviour.SuccessBeforeConnAck:
                SendAuth(connection, 0x00, [1]);
                break;
            case AuthenticationMisbehaviour.ChallengeWithAnotherMethod:
                Send(connection, new AuthPacket(0x18, new MqttProperties { AuthenticationMethod = "OTHER", AuthenticationData = new byte[] { 1 } }));
                break;
            case AuthenticationMisbehaviour.ChallengeThenAuth:
                SendChallenge(connection, 1);
                SendAuth(connection, authentication.ExtraReasonCode, [2]);
                break;
            case AuthenticationMisbehaviour.ConnAckWithoutWaiting:
                SendChallenge(connection, 1);
                AcceptPending(connection);
                break;
            default:
                SendChallenge(connection, 1);
                break;
        }

        return false;
    }

    private void HandleAuth(BrokerConnection connection, AuthPacket auth)
    {
        BrokerAuthentication authentication = Authentication!;
        ReadOnlyMemory<byte>? data = auth.Properties?.AuthenticationData;
        authentication.Seen.Add($"AUTH 0x{auth.ReasonCode:X2} {Hex(data)}");
        if (!connection.Accepted)
        {
            if (connection.PendingConnect is null || auth.ReasonCode != 0x18)
            {
                connection.Close();
                return;
            }

            if (!Answered(connection, data))
            {
                RefuseWith(connection, 0x87); // Not authorized [MQTT-4.12.0-4]
                return;
            }

            if (++connection.AuthRound <= authentication.ConnectChallenges)
            {
                SendChallenge(connection, connection.AuthRound);
                return;
            }

            AcceptPending(connection);
            return;
        }

        if (auth.ReasonCode == 0x19 && !connection.Reauthenticating)
        {
            if (authentication.IgnoreReauthentication)
            {
                return;
            }

            if (authentication.RefuseReauthentication)
            {
                RefuseReauthentication(connection);
                return;
            }

            connection.Reauthenticating = true;
            connection.AuthRound = 1;
            switch (authentication.Misbehaviour)
            {
                case AuthenticationMisbehaviour.ReauthenticateFromBroker:
                    SendAuth(connection, 0x19, [1]);
                    return;
                case AuthenticationMisbehaviour.ReauthChallengeThenAuth:
                    SendChallenge(connection, 1);
                    SendAuth(connection, authentication.ExtraReasonCode, [2]);
                    return;
            }

            if (authentication.ReauthChallenges == 0)
            {
                EndReauthentication(connection);
            }
            else
            {
                SendChallenge(connection, 1);
            }

            return;
        }

        if (auth.ReasonCode == 0x18 && connection.Reauthenticating)
        {
            if (!Answered(connection, data))
            {
                RefuseReauthentication(connection);
                return;
            }

            if (++connection.AuthRound <= authentication.ReauthChallenges)
            {
                SendChallenge(connection, connection.AuthRound);
            }
            else
            {
                EndReauthentication(connection);
            }

            return;
        }

        connection.Close(); // an AUTH out of turn: the broker closes the link
    }

    private static bool Answered(BrokerConnection connection, ReadOnlyMemory<byte>? data) =>
        data is { } answer && answer.Span.SequenceEqual(BrokerAuthentication.Answer([(byte)connection.AuthRound]));

    private void AcceptPending(BrokerConnection connection)
    {
        ConnectPacket connect = connection.PendingConnect!;
        HandleConnect(connection, connect);
        connection.PendingConnect = null;
    }

    private void EndReauthentication(BrokerConnection connection)
    {
        connection.Reauthenticating = false;
        SendAuth(connection, 0x00, Authentication!.FinalData);
    }

    private void RefuseReauthentication(BrokerConnection connection)
    {
        connection.Reauthenticating = false;
        Send(connection, new DisconnectPacket(0x87, new MqttProperties { ReasonString = "re-authentication refused" }));
        connection.Close(); // [MQTT-4.12.1-2]
    }

    private void SendChallenge(BrokerConnection connection, int round)
    {
        bool beforeConnAck = !connection.Accepted;
        Send(connection, new AuthPacket(0x18, new MqttProperties { AuthenticationMethod = Authentication!.Method, AuthenticationData = new byte[] { (byte)round } }),
            beforeConnAck ? () => _checker.OnChallengeDelivered(connection.Link) : null);
    }

    private void SendAuth(BrokerConnection connection, byte reasonCode, byte[] data) =>
        Send(connection, new AuthPacket(reasonCode, new MqttProperties { AuthenticationMethod = Authentication!.Method, AuthenticationData = data }));

    private void RefuseWith(BrokerConnection connection, byte reasonCode)
    {
        _log.Add("broker", $"refuses CONNECT on link {connection.Link.Id} with 0x{reasonCode:X2}");
        Send(connection, new ConnAckPacket(false, (ConnectReturnCode)reasonCode));
        connection.Close();
    }

    private static string Hex(ReadOnlyMemory<byte>? data) => data is { } d ? Convert.ToHexString(d.Span) : "-";
}
