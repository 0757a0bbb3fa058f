namespace StateMachineMqtt.Transport;

/// <summary>TEMPORARY: replaced by the transport branch.</summary>
public sealed class TcpTransport : IMqttTransport
{
    /// <summary>Creates the transport.</summary>
    public TcpTransport(string host, int port, MqttTlsOptions? tls = null)
    {
        _ = host;
        _ = port;
        _ = tls;
    }

    /// <inheritdoc />
    public ValueTask<IMqttLink> ConnectAsync(CancellationToken cancellationToken) => throw new NotImplementedException();
}
