using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using System.Diagnostics;
using Xunit.Abstractions;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.PropertyTests.Resilience;

/// <summary>
/// A real half-open link: the broker (Mosquitto in its own network namespace) becomes silently unreachable through an
/// iptables DROP rule, with both sockets up and no RST or FIN anywhere. The client must notice within keepalive + response
/// time (I5), and reconnect and deliver what it held once the rule is lifted (I1, I6). Real time: keepalive is 2 s.
/// </summary>
[Collection(Chaos.RealNetworkCollection.Name)]
public sealed class RealHalfOpenLinkTests(ITestOutputHelper output)
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ResponseTime = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BackoffMaximum = TimeSpan.FromMilliseconds(500);

    [RequiresToolsFact(Tool.NetworkNamespaces, Tool.Mosquitto)]
    public async Task A_silently_dropped_link_is_detected_within_keepalive_and_recovered_once_the_rule_is_lifted()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
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
        var down = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var upAgain = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        long lifted = long.MaxValue;
        client.ConnectionChanged += (_, e) =>
        {
            if (!e.IsConnected)
            {
                down.TrySetResult(Stopwatch.GetTimestamp());
            }
            else if (Stopwatch.GetTimestamp() >= Volatile.Read(ref lifted))
            {
                upAgain.TrySetResult(Stopwatch.GetTimestamp());
            }
        };
        await client.ConnectAsync(token);
        await client.PublishAsync("halfopen/before", "1", MqttQualityOfService.AtLeastOnce, cancellationToken: token);

        await network.DropBrokerTrafficAsync(NamespacedMosquitto.Port);
        long dropped = Stopwatch.GetTimestamp();
        // A busy publisher: its own traffic must not hide the silence (MQTTnet's keepalive is fooled by exactly this).
        var held = new List<Task>();
        while (!down.Task.IsCompleted && Stopwatch.GetElapsedTime(dropped) < 3 * KeepAlive)
        {
            held.Add(client.PublishAsync("halfopen/during", $"{held.Count}", MqttQualityOfService.AtLeastOnce, cancellationToken: token));
            await Task.WhenAny(down.Task, Task.Delay(50, token));
        }

        Assert.True(down.Task.IsCompleted, $"The client did not notice the dead link within {3 * KeepAlive.TotalSeconds} s.");
        var detection = Stopwatch.GetElapsedTime(dropped, await down.Task);
        Assert.True(detection <= KeepAlive + ResponseTime, $"Detected after {detection.TotalSeconds:0.00} s; the bound is keepalive + response time = {(KeepAlive + ResponseTime).TotalSeconds} s.");
        Assert.All(held, p => Assert.False(p.IsCompletedSuccessfully, "a publish completed while the broker was unreachable"));

        Volatile.Write(ref lifted, Stopwatch.GetTimestamp());
        await network.RestoreBrokerTrafficAsync();
        long restoredAt = await upAgain.Task.WaitAsync(TimeSpan.FromSeconds(15), token);
        var recovery = Stopwatch.GetElapsedTime(lifted, restoredAt);
        output.WriteLine($"detected after {detection.TotalSeconds:0.00} s, reconnected {recovery.TotalSeconds:0.00} s after the rule was lifted, {held.Count} messages held");
        // One backoff delay, plus at most one connect attempt that was already waiting on a dropped SYN (response time).
        Assert.True(recovery <= BackoffMaximum + ResponseTime + ResponseTime, $"Reconnected {recovery.TotalSeconds:0.00} s after the rule was lifted.");
        await Task.WhenAll(held).WaitAsync(TimeSpan.FromSeconds(15), token); // every message held across the outage is acknowledged (I1)
        Assert.True(client.IsConnected);
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
}
