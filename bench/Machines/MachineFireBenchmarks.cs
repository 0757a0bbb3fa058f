using BenchmarkDotNet.Attributes;
using StateMachineMqtt.Engine;
using StateMachineMqtt.Machines;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Benchmarks.Machines;

/// <summary>
/// One Fire of each machine, as the client builds them (StatelessMachines over spec/'s tables). Each fires a row that
/// stays in its state, so every iteration is the same transition. The Stateless-only rows fire the underlying Stateless
/// machine directly, so its own per-Fire cost is reported apart from the table lookup around it.
/// </summary>
[MemoryDiagnoser]
public class MachineFireBenchmarks
{
    private readonly Flow _publishFlow = new();
    private readonly Flow _receiptFlow = new();
    private IConnectionMachine _connection = null!;
    private IKeepAliveMachine _keepAlive = null!;
    private IAuthenticationMachine _authentication = null!;
    private IPublishMachine _publish = null!;
    private IReceiptMachine _receipt = null!;
    private TableMachine<KeepAliveState, KeepAliveTrigger, KeepAliveGuard, KeepAliveEffect> _keepAliveTable = null!;

    /// <summary>Builds each machine once and moves it to the state its benchmark fires in.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var machines = new StatelessMachines();
        _connection = machines.CreateConnection(AlwaysGuards.Instance);
        _connection.Fire(ConnectionTrigger.Connect); // Idle -> Connecting
        _keepAlive = machines.CreateKeepAlive(AlwaysGuards.Instance);
        _keepAlive.Fire(KeepAliveTrigger.LinkUp); // Inactive -> Idle
        _authentication = machines.CreateAuthentication(AlwaysGuards.Instance);
        _publish = machines.CreatePublish();
        _publishFlow.PublishState = PublishState.AwaitingPubAck;
        _receipt = machines.CreateReceipt();
        _receiptFlow.ReceiptState = ReceiptState.Unknown;
        _keepAliveTable = MachineFactory.KeepAlive(_ => true);
        _keepAliveTable.Fire(KeepAliveTrigger.LinkUp);
    }

    /// <summary>Connection: Connecting --Connect--> Connecting ("already under way").</summary>
    [Benchmark]
    public ConnectionEffect Connection() => _connection.Fire(ConnectionTrigger.Connect);

    /// <summary>KeepAlive: Idle --PacketReceived--> Idle (re-arm).</summary>
    [Benchmark]
    public KeepAliveEffect KeepAlive() => _keepAlive.Fire(KeepAliveTrigger.PacketReceived);

    /// <summary>Authentication: Idle --AnswerReady--> Idle.</summary>
    [Benchmark]
    public AuthenticationEffect Authentication() => _authentication.Fire(AuthenticationTrigger.AnswerReady);

    /// <summary>Publish (external state): AwaitingPubAck --PubRec--> AwaitingPubAck (ignored).</summary>
    [Benchmark]
    public PublishEffect Publish() => _publish.Fire(_publishFlow, PublishTrigger.PubRec);

    /// <summary>One QoS 1 flow's whole life on the Publish machine: Queued --Transmit--> AwaitingPubAck --PubAck--> Acked (two Fires).</summary>
    [Benchmark]
    public PublishEffect PublishQos1Flow()
    {
        _publishFlow.PublishState = PublishState.Queued;
        _publish.Fire(_publishFlow, PublishTrigger.Transmit);
        PublishEffect effect = _publish.Fire(_publishFlow, PublishTrigger.PubAck);
        _publishFlow.PublishState = PublishState.AwaitingPubAck;
        return effect;
    }

    /// <summary>Receipt (external state): Unknown --PubRel--> Unknown (answer PUBCOMP).</summary>
    [Benchmark]
    public ReceiptEffect Receipt() => _receipt.Fire(_receiptFlow, ReceiptTrigger.PubRel);

    /// <summary>Stateless alone: the KeepAlive row's Stateless Fire, without the table lookup and check around it.</summary>
    [Benchmark]
    public KeepAliveState StatelessOnlyKeepAlive()
    {
        _keepAliveTable.Stateless.Fire(KeepAliveTrigger.PacketReceived);
        return _keepAliveTable.State;
    }

    /// <summary>The table machine's Fire (lookup, Stateless Fire, landing check) for the same row.</summary>
    [Benchmark]
    public KeepAliveEffect TableMachineKeepAlive() => _keepAliveTable.Fire(KeepAliveTrigger.PacketReceived).Effect;

    /// <summary>Guards that all hold: each benchmarked row is unguarded or needs its guard to hold.</summary>
    private sealed class AlwaysGuards : IConnectionGuards, IKeepAliveGuards, IAuthenticationGuards
    {
        public static readonly AlwaysGuards Instance = new();

        public bool Holds(ConnectionGuard guard) => true;

        public bool Holds(KeepAliveGuard guard) => true;

        public bool Holds(AuthenticationGuard guard) => true;
    }

    /// <summary>A flow's state, as the engine keeps it per message.</summary>
    private sealed class Flow : IPublishFlow, IReceiptFlow
    {
        public PublishState PublishState { get; set; }

        public ReceiptState ReceiptState { get; set; }

        PublishState IPublishFlow.State { get => PublishState; set => PublishState = value; }

        ReceiptState IReceiptFlow.State { get => ReceiptState; set => ReceiptState = value; }

        public bool Holds(PublishGuard guard) => guard == PublishGuard.None || guard == PublishGuard.AtLeastOnce;

        public bool Holds(ReceiptGuard guard) => true;
    }
}
