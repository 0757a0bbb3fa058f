using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Simulation.Network;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Simulation.Tests;

/// <summary>The fixtures drive the real client: its loop runs on the world's scheduler, its timers on virtual time.</summary>
public sealed class RealClientSmokeTests
{
    private static MqttClient Client(SimulationWorld world, string id, bool clean = true) =>
        new(new MqttClientOptions { ClientId = id, CleanSession = clean, KeepAlive = TimeSpan.FromSeconds(20), ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), seed: world.Seed) },
            world.Time, null, world.Network.CreateTransport(id), world.Scheduler, null);

    [Fact]
    public void Lost_PUBACK_then_reset_makes_the_client_resend_with_DUP_and_no_violation()
    {
        var world = new SimulationWorld(seed: 1);
        MqttClient client = Client(world, "c1", clean: false);
        world.Await(world.Start(() => client.ConnectAsync()), TimeSpan.FromSeconds(5));
        world.Await(world.Start(() => client.PublishAsync("t", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce)), TimeSpan.FromSeconds(5));
        world.Broker.Faults.DropOutgoing(MqttPacketType.PubAck);
        Task second = world.Start(() => client.PublishAsync("t", new byte[] { 2 }, MqttQualityOfService.AtLeastOnce));
        world.RunFor(TimeSpan.FromSeconds(1));
        world.Network.LastLink!.Reset();
        world.Await(second, TimeSpan.FromSeconds(60));

        Assert.True(world.Broker.Violations.Count == 0, string.Join("\n", world.Broker.Violations) + world.Describe());
        Assert.Equal(3, world.Broker.AcceptedOn("t").Count);
        Assert.True(world.Broker.AcceptedOn("t")[2].Dup, world.Describe());
    }

    [Fact]
    public void Half_open_link_is_detected_by_keepalive_and_replaced()
    {
        var world = new SimulationWorld(seed: 2);
        MqttClient client = Client(world, "c2");
        world.Await(world.Start(() => client.ConnectAsync()), TimeSpan.FromSeconds(5));
        world.Network.LastLink!.MakeHalfOpen();

        bool relinked = world.RunUntil(() => world.Network.LinksOpened == 2 && world.Broker.IsConnected("c2"), TimeSpan.FromSeconds(60));

        Assert.True(relinked, world.Describe());
        Assert.Empty(world.Broker.Violations);
    }

    [Fact]
    public void Connect_keeps_retrying_while_the_network_is_down_and_completes_when_it_is_up()
    {
        var world = new SimulationWorld(seed: 3);
        world.Network.ConnectFault = ConnectFault.NetworkDown;
        MqttClient client = Client(world, "c3");
        Task connect = world.Start(() => client.ConnectAsync());
        world.RunFor(TimeSpan.FromSeconds(30));
        Assert.False(connect.IsCompleted);
        world.Network.ConnectFault = ConnectFault.None;
        world.Await(connect, TimeSpan.FromSeconds(30));
        Assert.True(world.Network.ConnectAttempts > 3, world.Describe());
    }

    [Fact]
    public void Same_seed_replays_the_real_client_to_the_same_log()
    {
        static string Run()
        {
            var world = new SimulationWorld(seed: 4);
            MqttClient client = Client(world, "c4", clean: false);
            world.Await(world.Start(() => client.ConnectAsync()), TimeSpan.FromSeconds(5));
            for (int i = 0; i < 5; i++)
            {
                byte[] payload = [(byte)i];
                _ = world.Start(() => client.PublishAsync("t", payload, MqttQualityOfService.AtLeastOnce));
                world.RunFor(TimeSpan.FromMilliseconds(world.Random.Next(1, 3000)));
                if (world.Random.Next(3) == 0)
                {
                    world.Network.LastLink!.MakeHalfOpen();
                }
            }

            world.RunFor(TimeSpan.FromSeconds(60));
            return world.Log.ToString();
        }

        string first = Run();

        Assert.Equal(first, Run());
        Assert.Contains("DUP", first, StringComparison.Ordinal);
    }
}
