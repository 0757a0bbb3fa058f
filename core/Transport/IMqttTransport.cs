using System.IO.Pipelines;

namespace StateMachineMqtt.Transport;

/// <summary>Opens links to a broker. One small interface for TCP, TLS and the tests' simulated network.</summary>
public interface IMqttTransport
{
    /// <summary>Opens a new link. Socket failures surface as SocketException / IOException (classified by SocketErrorClassifier).</summary>
    ValueTask<IMqttLink> ConnectAsync(CancellationToken cancellationToken);
}

/// <summary>One open byte stream to the broker. Disposing it closes the socket and ends pending reads and writes.</summary>
public interface IMqttLink : IAsyncDisposable
{
    /// <summary>Bytes from the broker.</summary>
    PipeReader Input { get; }

    /// <summary>Bytes to the broker.</summary>
    PipeWriter Output { get; }
}
