namespace StateMachineMqtt;

public sealed partial class MqttClientOptions
{
    /// <summary>
    /// Broker failover: the servers to dial, in order. After each failure (a refused or lost link, a CONNACK refusal that
    /// may be retried) the client dials the next one, wrapping round; the reconnect delay grows once per full round of the
    /// list, so every server is tried at the short delay first. Null or empty, the default, is the one server of
    /// <see cref="Server"/> and <see cref="Port"/>; when set, those two are not used. Entries may be WebSocket URIs (ws://, wss://).
    /// </summary>
    public IList<MqttServerEndpoint>? Servers { get; set; }

    /// <summary>
    /// MQTT 5: follow the Server Reference a broker names in a DISCONNECT or a refusing CONNACK (0x9C Use another server,
    /// 0x9D Server moved): the next attempt dials it (host or host:port, with this client's TLS settings), and after that
    /// the list goes on. False, the default, leaves it to the application (<see cref="MqttConnectionEventArgs.ServerReference"/>):
    /// a broker must not send a client where its user did not say it may go.
    /// </summary>
    public bool FollowServerReference { get; set; }

    /// <summary>The servers dialled: <see cref="Servers"/>, or the single <see cref="Server"/>:<see cref="Port"/>; a copy.</summary>
    internal MqttServerEndpoint[] EffectiveServers() => Servers is { Count: > 0 } servers
        ? [.. servers]
        : [new MqttServerEndpoint(Server, Port)];

    private void ValidateServers()
    {
        if (Servers is null)
        {
            return;
        }

        for (int i = 0; i < Servers.Count; i++)
        {
            if (Servers[i] is null)
            {
                throw new ArgumentException($"Servers[{i}] is null: every entry must be a server, e.g. MqttServerEndpoint.Parse(\"localhost:1883\").", nameof(Servers));
            }
        }
    }
}
