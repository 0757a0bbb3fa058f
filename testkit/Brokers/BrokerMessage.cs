namespace StateMachineMqtt.TestKit.Brokers;

/// <summary>An application message as a broker received it from a client (or a probe client received it from a broker).</summary>
/// <param name="ClientId">The client that published it (empty when not known).</param>
/// <param name="Topic">Topic name.</param>
/// <param name="Payload">Payload bytes.</param>
/// <param name="QualityOfService">0, 1 or 2.</param>
/// <param name="Retain">The RETAIN flag.</param>
/// <param name="Duplicate">The DUP flag as received.</param>
public sealed record BrokerMessage(string ClientId, string Topic, byte[] Payload, int QualityOfService, bool Retain, bool Duplicate)
{
    /// <summary>The payload as UTF-8 text.</summary>
    public string PayloadText => System.Text.Encoding.UTF8.GetString(Payload);
}
