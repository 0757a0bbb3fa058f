namespace StateMachineMqtt.TestKit.Soak;

/// <summary>
/// One MQTT client library as a soak run drives it: connect with a persistent session, keep connected (by itself or with
/// the reconnect loop its documentation recommends), publish at QoS 1, receive at QoS 1.
/// </summary>
public interface ISoakClient : IAsyncDisposable
{
    /// <summary>Raised with true when a link comes up and false when it goes down, and why; any thread.</summary>
    event Action<bool, string>? LinkChanged;

    /// <summary>How many publish calls the run may have outstanding at once (1: the application awaits each).</summary>
    int PublishWindow { get; }

    /// <summary>Connects (and, for a subscriber, subscribes to <paramref name="topicFilter"/> at QoS 1).</summary>
    Task StartAsync(string topicFilter, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes at QoS 1 and completes once the client reports the broker's PUBACK. <paramref name="failed"/> is called
    /// with the error for every call the library failed (and the application had to repeat, where it does).
    /// </summary>
    Task PublishAsync(string topic, byte[] payload, Action<Exception> failed, CancellationToken cancellationToken);

    /// <summary>Received application messages (topic, payload) in arrival order.</summary>
    IAsyncEnumerable<(string Topic, byte[] Payload)> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>Disconnects politely (bounded by <paramref name="cancellationToken"/>).</summary>
    Task StopAsync(CancellationToken cancellationToken);
}

/// <summary>Creates the publisher and the subscriber of one library for a run.</summary>
public interface ISoakClientFactory
{
    /// <summary>The library's name as the report shows it.</summary>
    string Name { get; }

    /// <summary>How it keeps its link, in one line for the report.</summary>
    string ReconnectStrategy { get; }

    /// <summary>
    /// A client with a persistent session and client id <paramref name="clientId"/>, connecting to 127.0.0.1:<paramref name="port"/>;
    /// what the library logs as a warning or worse goes to <paramref name="trace"/>.
    /// </summary>
    ISoakClient Create(string clientId, int port, SoakOptions options, Action<string> trace);
}
