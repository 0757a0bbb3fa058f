using System.Net;
using System.Net.Sockets;
using StateMachineMqtt.PropertyTests.Chaos;

namespace StateMachineMqtt.PropertyTests.Fixtures.MaliciousBroker;

/// <summary>What a scripted connection does, given its socket.</summary>
internal delegate Task ConnectionScript(ScriptedConnection connection, CancellationToken cancellationToken);

/// <summary>
/// A loopback TCP "broker" whose first connection follows a script — typically: accept the CONNECT, take a QoS 1
/// PUBLISH without acknowledging it, then break the protocol — and whose later connections behave well
/// (<see cref="ScriptedConnection.ServeWellAsync"/>). So a test sees what the client did with the hostile bytes (how the
/// first connection ended, and why the client said it ended) and whether it then recovered on the second.
/// </summary>
internal sealed class MaliciousBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConnectionScript _first;
    private readonly List<ScriptedConnection> _connections = [];
    private readonly List<Task> _sessions = [];
    private readonly Task _accept;

    private MaliciousBroker(ConnectionScript first)
    {
        _first = first;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accept = AcceptAsync();
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>Starts listening; the first connection runs <paramref name="first"/>, every later one serves well.</summary>
    public static MaliciousBroker Start(ConnectionScript first) => new(first);

    /// <summary>The connections accepted so far, in order.</summary>
    public IReadOnlyList<ScriptedConnection> Connections
    {
        get
        {
            lock (_connections)
            {
                return [.. _connections];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll(sessions);
        foreach (ScriptedConnection connection in Connections)
        {
            connection.Dispose();
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            socket.NoDelay = true;
            ScriptedConnection connection;
            lock (_connections)
            {
                connection = new ScriptedConnection(new FrameSocket(socket), _connections.Count + 1);
                _connections.Add(connection);
            }

            lock (_sessions)
            {
                _sessions.Add(RunAsync(connection, connection.Number == 1 ? _first : (c, token) => c.ServeWellAsync(token)));
            }
        }
    }

    private async Task RunAsync(ScriptedConnection connection, ConnectionScript script)
    {
        try
        {
            await script(connection, _stop.Token);
            connection.ScriptFinished();
        }
        catch (OperationCanceledException)
        {
            connection.End("test over");
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            connection.End("socket error: " + e.Message);
        }
        catch (Exception e)
        {
            connection.End("script failed: " + e);
        }
    }
}
