using StateMachineMqtt.Protocol;
using StateMachineMqtt.PropertyTests.Scenarios;
using StateMachineMqtt.PropertyTests.Simulation.Network;

namespace StateMachineMqtt.PropertyTests.ModelBased;

/// <summary>The actual side: the real client in a simulated world, plus the publish calls it has started.</summary>
internal sealed class ClientUnderTest
{
    /// <summary>Long enough for any fault to be noticed (keepalive 20 s) and healed (backoff at most 8 s).</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(45);

    public ClientUnderTest(int seed)
    {
        Scenario = new Scenario(seed);
        Scenario.Connect();
    }

    public Scenario Scenario { get; }

    public List<Task> Publishes { get; } = [];

    public MqttClient Client => Scenario.Client;

    public SimulatedNetwork Network => Scenario.World.Network;

    public void Settle() => Scenario.RunFor(SettleTime);

    public void Publish(string payload, MqttQualityOfService qos) => Publishes.Add(Scenario.Start(c => c.PublishAsync("model/out", payload, qos)));

    public override string ToString() => "client";
}
