using System.Collections.Concurrent;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using System.Diagnostics;
using Xunit.Abstractions;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.PropertyTests.Resilience;

/// <summary>
/// A real half-open link: the broker (Mosquitto in its own network namespace) becomes silently unreachable through an
/// iptables DROP rule, with both sockets up and no RST or FIN anywhere. The client must declare the link lost by its
/// keepalive (I5), and reconnect and deliver what it held once the rule is lifted (I1, I6). Real time: keepalive is 2 s.
/// The test asserts on what the client reported, never on how long it took; the real-time figures are only printed.
/// </summary>
[Collection(Chaos.RealNetworkCollection.Name)]
public sealed class RealHalfOpenLinkTests(ITestOutputHelper output)
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ResponseTime = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BackoffMaximum = TimeSpan.FromMilliseconds(500);

    // Hang guard only: a healthy run takes a few seconds. Generous, so a loaded machine cannot turn the test red.
    private static readonly TimeSpan Hung = TimeSpan.FromSeconds(120);

    // What MqttClient reports when its keepalive declares the link dead; a PUBACK timeout or socket error reads differently.
    private const string KeepAliveReason = "keepalive expired";

    [RequiresToolsFact(Tool.NetworkNamespaces, Tool.Mosquitto)]
    public async Task A_silently_dropped_link_is_detected_by_the_keepalive_and_recovered_once_the_rule_is_lifted()
    {
        using var timeout = new CancellationTokenSource(Hung);
        var token = timeout.Token;
        await using var network = await NetworkNamespacePair.CreateAsync();
        await using var broker = await NamespacedMosquitto.StartAsync(network);
        var options = new MqttClientOptions
        {
            ClientId = "halfopen",
            Server = network.BrokerAddress.ToString(),
            Port = NamespacedMosquitto.Port,
            KeepAlive = KeepAlive,
            ResponseTime = ResponseTime,
            CleanSession = false,
            ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), BackoffMaximum, seed: 4),
        };
        await using var client = new MqttClient(options, transport: new NamespacedTransport(network, network.BrokerAddress, NamespacedMosquitto.Port));
        var down = new TaskCompletionSource<MqttConnectionEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var upAgain = new TaskCompletionSource<MqttConnectionEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var events = new ConcurrentQueue<string>(); // every change, for the failure messages
        bool lifted = false;
        int upWhileDropped = 0;
        long downAt = 0, upAt = 0; // Stopwatch timestamps, printed only
        client.ConnectionChanged += (_, e) =>
        {
            events.Enqueue($"{(e.IsConnected ? "up" : "down")}: {e.Reason}");
            if (!e.IsConnected)
            {
                Volatile.Write(ref downAt, Stopwatch.GetTimestamp());
                down.TrySetResult(e);
            }
            else if (Volatile.Read(ref lifted))
            {
                Volatile.Write(ref upAt, Stopwatch.GetTimestamp());
                upAgain.TrySetResult(e);
            }
            else if (down.Task.IsCompleted)
            {
                Interlocked.Increment(ref upWhileDropped); // a link "up" through a rule that drops everything
            }
        };
        await client.ConnectAsync(token);
        await client.PublishAsync("halfopen/before", "1", MqttQualityOfService.AtLeastOnce, cancellationToken: token);

        await network.DropBrokerTrafficAsync(NamespacedMosquitto.Port);
        long dropped = Stopwatch.GetTimestamp();
        // A busy publisher: its own traffic must not hide the silence (MQTTnet's keepalive is fooled by exactly this).
        var held = new List<Task>();
        while (!down.Task.IsCompleted)
        {
            Assert.False(token.IsCancellationRequested, $"Hung: the client did not notice the dead link in {Hung.TotalSeconds:0} s.");
            held.Add(client.PublishAsync("halfopen/during", $"{held.Count}", MqttQualityOfService.AtLeastOnce, cancellationToken: token));
            await Task.WhenAny(down.Task, Task.Delay(50, token));
        }

        // The only thing that can tell a silent link from a quiet one is the keepalive (I5): not a PUBACK timeout, not a socket error.
        MqttConnectionEventArgs lost = await down.Task;
        Assert.True(lost.Reason.StartsWith(KeepAliveReason, StringComparison.Ordinal), $"The link was declared lost for \"{lost.Reason}\", not by keepalive.");
        Assert.All(held, p => Assert.False(p.IsCompletedSuccessfully, "a publish completed while the broker was unreachable"));

        Volatile.Write(ref lifted, true);
        long liftedAt = Stopwatch.GetTimestamp();
        await network.RestoreBrokerTrafficAsync();
        await Guarded(upAgain.Task, "the client did not reconnect after the rule was lifted", events, token);
        Assert.Equal(0, Volatile.Read(ref upWhileDropped));
        await Guarded(Task.WhenAll(held), "not every held message was acknowledged after the reconnect", events, token); // I1
        Assert.All(held, p => Assert.True(p.IsCompletedSuccessfully));
        Assert.True(client.IsConnected, string.Join(Environment.NewLine, events));
        output.WriteLine(string.Join(Environment.NewLine, events));
        output.WriteLine(
            $"(real time, for information) detected {Stopwatch.GetElapsedTime(dropped, Volatile.Read(ref downAt)).TotalSeconds:0.00} s after the drop, " +
            $"reconnected {Stopwatch.GetElapsedTime(liftedAt, Volatile.Read(ref upAt)).TotalSeconds:0.00} s after the rule was lifted, {held.Count} messages held");
    }

    [RequiresToolsFact(Tool.NetworkNamespaces, Tool.Mosquitto)]
    public async Task The_namespaces_the_test_makes_are_gone_afterwards()
    {
        string ns;
        await using (var network = await NetworkNamespacePair.CreateAsync())
        {
            ns = network.ClientNamespace;
            await network.DropBrokerTrafficAsync(NamespacedMosquitto.Port);
            var (_, listed) = await HostCommand.TryRunAsync(ToolRequirements.IpPath, "netns", "list");
            Assert.Contains(ns, listed, StringComparison.Ordinal);
        }

        var (_, after) = await HostCommand.TryRunAsync(ToolRequirements.IpPath, "netns", "list");
        Assert.DoesNotContain(ns, after, StringComparison.Ordinal);
    }

    /// <summary>Awaits <paramref name="task"/>; if the hang guard fires first, fails saying what hung and what the client reported.</summary>
    private static async Task Guarded(Task task, string what, IEnumerable<string> events, CancellationToken hung)
    {
        try
        {
            await task.WaitAsync(hung);
        }
        catch (OperationCanceledException) when (hung.IsCancellationRequested)
        {
            Assert.Fail($"Hung: {what} within {Hung.TotalSeconds:0} s. Connection events:{Environment.NewLine}{string.Join(Environment.NewLine, events)}");
        }
    }
}
