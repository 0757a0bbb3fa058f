using System.Net;
using System.Net.Sockets;

namespace StateMachineMqtt.TestKit.Brokers;

/// <summary>Loopback port helpers shared by the broker fixtures.</summary>
public static class LoopbackPorts
{
    /// <summary>How long a broker may take to start listening before the fixture gives up.</summary>
    public static readonly TimeSpan StartupBound = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>A port that was free on 127.0.0.1 a moment ago (the OS picks it; another process could still take it).</summary>
    public static int FindFree()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>True when something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Polls until the port accepts connections. A real process starts on its own clock, so this polls in
    /// short steps; <paramref name="stillStarting"/> returning false (the process died) ends the wait early.
    /// </summary>
    /// <returns>True when the port accepts; false when the process died or <see cref="StartupBound"/> passed.</returns>
    public static async Task<bool> WaitUntilAcceptingAsync(int port, Func<bool> stillStarting, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(StartupBound);
        try
        {
            while (stillStarting())
            {
                if (await AcceptsAsync(port, bound.Token).ConfigureAwait(false))
                {
                    return true;
                }

                await Task.Delay(PollInterval, bound.Token).ConfigureAwait(false);
            }

            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
