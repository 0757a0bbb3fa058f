using FsCheck;
using FsCheck.Experimental;
using FsCheck.Fluent;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.PropertyTests.Simulation.Network;

namespace StateMachineMqtt.PropertyTests.ModelBased;

/// <summary>
/// One operation on the client or its environment. Every operation lets the world settle, then compares what the model
/// predicts with what the client shows: IsConnected, the held messages with their Publish-table states in order, the
/// subscriptions, the broker's view of them, and that every completed publish was accepted by the broker.
/// </summary>
internal abstract class ClientOperation : Operation<ClientUnderTest, ClientModel>
{
    protected abstract void Apply(ClientUnderTest actual);

    public sealed override Property Check(ClientUnderTest actual, ClientModel model)
    {
        Apply(actual);
        actual.Settle();
        return Agrees(actual, model);
    }

    private static Property Agrees(ClientUnderTest actual, ClientModel model)
    {
        var held = actual.Client.SnapshotHeldMessages().Select(h => (System.Text.Encoding.UTF8.GetString(h.Payload.Span), h.State)).ToList();
        var modelHeld = model.Held.Select(h => (h.Payload, h.State)).ToList();
        var subscriptions = actual.Client.SnapshotSubscriptions().Order(StringComparer.Ordinal).ToList();
        var broker = actual.Scenario.World.Broker;
        var accepted = broker.AcceptedOn("model/out").Select(m => System.Text.Encoding.UTF8.GetString(m.Payload.Span)).ToHashSet(StringComparer.Ordinal);
        var expectedAccepted = model.Published.Where(p => !model.Held.Exists(h => h.Payload == p)).ToList();
        bool brokerSubscriptions = !model.Connected || broker.SubscriptionsOf(Scenarios.Scenario.ClientId).Keys.Order(StringComparer.Ordinal).SequenceEqual(model.Subscriptions);

        string actualText = $"connected={actual.Client.IsConnected} held=[{string.Join(",", held.Select(h => $"{h.Item1}:{h.State}"))}] subs=[{string.Join(",", subscriptions)}]";
        bool agrees = actual.Client.IsConnected == model.Connected
            && held.SequenceEqual(modelHeld)
            && subscriptions.SequenceEqual(model.Subscriptions)
            && brokerSubscriptions
            && expectedAccepted.TrueForAll(accepted.Contains)
            && actual.Publishes.Count(t => t.IsCompletedSuccessfully) == expectedAccepted.Count
            && actual.Scenario.World.Broker.Violations.Count == 0;
        return agrees.Label($"model {model}{Environment.NewLine}actual {actualText}{Environment.NewLine}broker subscriptions agree: {brokerSubscriptions}{Environment.NewLine}{actual.Scenario.World.Describe(30)}");
    }
}

internal sealed class Publish(int number, int qos) : ClientOperation
{
    private string Payload => $"m{number}";

    protected override void Apply(ClientUnderTest actual) => actual.Publish(Payload, (MqttQualityOfService)qos);

    public override ClientModel Run(ClientModel model) => model.Publish(Payload, qos);

    public override string ToString() => $"publish QoS {qos} {Payload}";
}

internal sealed class Subscribe(string filter) : ClientOperation
{
    // A SUBSCRIBE while disconnected fails fast or waits; the model only predicts it on a working network.
    public override bool Pre(ClientModel model) => model.NetworkUp;

    protected override void Apply(ClientUnderTest actual) => actual.Scenario.Await(actual.Scenario.Start(c => c.SubscribeAsync(filter, MqttQualityOfService.AtLeastOnce)));

    public override ClientModel Run(ClientModel model) => model with { Subscriptions = model.Subscriptions.Add(filter) };

    public override string ToString() => $"subscribe {filter}";
}

internal sealed class ResetLink : ClientOperation
{
    protected override void Apply(ClientUnderTest actual) => actual.Network.ResetAllLinks();

    public override ClientModel Run(ClientModel model) => model.Settle();

    public override string ToString() => "reset link";
}

internal sealed class HalfOpenLink : ClientOperation
{
    protected override void Apply(ClientUnderTest actual) => actual.Network.HalfOpenAllLinks();

    public override ClientModel Run(ClientModel model) => model.Settle();

    public override string ToString() => "half-open link";
}

internal sealed class DropNextAnswer(MqttPacketType answer) : ClientOperation
{
    protected override void Apply(ClientUnderTest actual) => actual.Scenario.World.Broker.Faults.DropOutgoing(answer);

    public override ClientModel Run(ClientModel model) => model;

    public override string ToString() => $"broker drops next {answer}";
}

internal sealed class RestartBroker(bool keepSessions) : ClientOperation
{
    protected override void Apply(ClientUnderTest actual) => actual.Scenario.World.Broker.Restart(keepSessions);

    public override ClientModel Run(ClientModel model) => model.Settle();

    public override string ToString() => keepSessions ? "broker restart with session" : "broker restart without session";
}

internal sealed class NetworkDown : ClientOperation
{
    protected override void Apply(ClientUnderTest actual)
    {
        actual.Network.ConnectFault = ConnectFault.NetworkDown;
        actual.Network.ResetAllLinks();
    }

    public override ClientModel Run(ClientModel model) => (model with { NetworkUp = false }).LoseLink();

    public override string ToString() => "network down";
}

internal sealed class NetworkUp : ClientOperation
{
    protected override void Apply(ClientUnderTest actual) => actual.Network.ConnectFault = ConnectFault.None;

    public override ClientModel Run(ClientModel model) => (model with { NetworkUp = true }).Settle();

    public override string ToString() => "network up";
}

internal sealed class Wait(int seconds) : ClientOperation
{
    protected override void Apply(ClientUnderTest actual) => actual.Scenario.RunFor(TimeSpan.FromSeconds(seconds));

    public override ClientModel Run(ClientModel model) => model.Settle();

    public override string ToString() => $"wait {seconds} s";
}
