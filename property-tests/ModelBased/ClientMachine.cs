using FsCheck;
using FsCheck.Experimental;
using FsCheck.Fluent;
using StateMachineMqtt.Protocol;

namespace StateMachineMqtt.PropertyTests.ModelBased;

/// <summary>FsCheck's model-based machine: a fresh client per run, operations drawn from the current model.</summary>
internal sealed class ClientMachine() : Machine<ClientUnderTest, ClientModel>(20)
{
    private static int _nextPayload;

    public override Arbitrary<Setup<ClientUnderTest, ClientModel>> Setup =>
        Gen.Choose(1, 1_000_000).Select(seed => (Setup<ClientUnderTest, ClientModel>)new ClientSetup(seed)).ToArbitrary();

    public override Gen<Operation<ClientUnderTest, ClientModel>> Next(ClientModel model) =>
        Gen.Frequency(
            (3, Gen.Fresh(() => (Operation<ClientUnderTest, ClientModel>)new Publish(Interlocked.Increment(ref _nextPayload), 1))),
            (2, Gen.Fresh(() => (Operation<ClientUnderTest, ClientModel>)new Publish(Interlocked.Increment(ref _nextPayload), 2))),
            (2, Gen.Elements("in/a", "in/#", "in/+").Select(f => (Operation<ClientUnderTest, ClientModel>)new Subscribe(f))),
            (1, Gen.Constant((Operation<ClientUnderTest, ClientModel>)new ResetLink())),
            (1, Gen.Constant((Operation<ClientUnderTest, ClientModel>)new HalfOpenLink())),
            (1, Gen.Elements(MqttPacketType.PubAck, MqttPacketType.PubRec, MqttPacketType.PubComp).Select(a => (Operation<ClientUnderTest, ClientModel>)new DropNextAnswer(a))),
            (1, Gen.Elements(true, false).Select(k => (Operation<ClientUnderTest, ClientModel>)new RestartBroker(k))),
            (1, Gen.Constant((Operation<ClientUnderTest, ClientModel>)new NetworkDown())),
            (2, Gen.Constant((Operation<ClientUnderTest, ClientModel>)new NetworkUp())),
            (1, Gen.Choose(1, 60).Select(n => (Operation<ClientUnderTest, ClientModel>)new Wait(n))));

    private sealed class ClientSetup(int seed) : Setup<ClientUnderTest, ClientModel>
    {
        public override ClientUnderTest Actual() => new(seed);

        public override ClientModel Model() => ClientModel.Initial;

        public override string ToString() => $"client seed {seed}";
    }
}
