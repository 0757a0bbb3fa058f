using System.Net;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt.PropertyTests.Resilience;

/// <summary>Opens the client's links from inside the client namespace of a <see cref="NetworkNamespacePair"/>.</summary>
internal sealed class NamespacedTransport(NetworkNamespacePair network, IPAddress broker, int port) : IMqttTransport
{
    public async ValueTask<IMqttLink> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = network.CreateClientSocket();
        try
        {
            await socket.ConnectAsync(broker, port, cancellationToken);
            return new StreamLink(socket, new System.Net.Sockets.NetworkStream(socket, ownsSocket: true));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
