using StateMachineMqtt.Machines;
using StateMachineMqtt.PropertyTests.Conformance;
using StateMachineMqtt.PropertyTests.Simulation;

namespace StateMachineMqtt.PropertyTests.Scenarios;

/// <summary>
/// One client in a simulated world on virtual time: the harness every scenario uses. It records every transition the
/// client's machines take and every up/down event with its virtual time, and explains failures with the world's log.
/// </summary>
internal sealed class Scenario
{
    public const string ClientId = "c";

    public Scenario(int seed, Action<MqttClientOptions>? configure = null, string clientId = ClientId, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        World = new SimulationWorld(seed);
        Options = new MqttClientOptions
        {
            ClientId = clientId,
            KeepAlive = TimeSpan.FromSeconds(20),
            ResponseTime = TimeSpan.FromSeconds(2),
            ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), seed),
        };
        configure?.Invoke(Options);
        Client = new MqttClient(Options, World.Time, loggerFactory, World.Network.CreateTransport(clientId), World.Scheduler, Record);
        Client.ConnectionChanged += (_, e) => Events.Add((World.Time.Elapsed, e));
    }

    public SimulationWorld World { get; }

    // Captured at construction: the client may call its observer from contexts the ambient value does not flow into.
    private readonly Action<TakenTransition>? ledger = TransitionLedger.Current;

    /// <summary>Every scenario also feeds the row-coverage ledger when a coverage run has one active.</summary>
    private void Record(TakenTransition taken)
    {
        Transitions.Add(taken);
        ledger?.Invoke(taken);
    }

    public MqttClientOptions Options { get; }

    public MqttClient Client { get; }

    public List<TakenTransition> Transitions { get; } = [];

    public List<(TimeSpan At, MqttConnectionEventArgs Event)> Events { get; } = [];

    public TimeSpan Now => World.Time.Elapsed;

    /// <summary>Starts an API call on the world's scheduler.</summary>
    public Task Start(Func<MqttClient, Task> call) => World.Start(() => call(Client));

    /// <summary>Starts an API call that returns a value.</summary>
    public Task<T> Start<T>(Func<MqttClient, Task<T>> call) => World.Start(() => call(Client));

    /// <summary>Runs the world until the task completes (or throws with the world's log after the virtual limit).</summary>
    public void Await(Task task, TimeSpan? limit = null) => World.Await(task, limit ?? TimeSpan.FromSeconds(60));

    public T Await<T>(Task<T> task, TimeSpan? limit = null) => World.Await(task, limit ?? TimeSpan.FromSeconds(60));

    public void Connect() => Await(Start(c => c.ConnectAsync()));

    public void RunFor(TimeSpan duration) => World.RunFor(duration);

    public bool RunUntil(Func<bool> condition, TimeSpan limit) => World.RunUntil(condition, limit);

    public bool Took(string machine, string trigger) => Transitions.Exists(t => t.Machine == machine && t.Trigger == trigger);

    public string Describe() => World.Describe();

    /// <summary>
    /// I3/I4 as the broker saw them, no broker-side bug, and conformance: every transition the client took is a row of its
    /// table in spec/ (same index, from, trigger and to).
    /// </summary>
    public void AssertConformant()
    {
        foreach (TakenTransition taken in Transitions)
        {
            (string From, string Trigger, string To) row = taken.Machine switch
            {
                "Connection" => Row(SpecTables.Connection()[taken.RowIndex]),
                "KeepAlive" => Row(SpecTables.KeepAlive()[taken.RowIndex]),
                "Publish" => Row(SpecTables.Publish()[taken.RowIndex]),
                "Receipt" => Row(SpecTables.Receipt()[taken.RowIndex]),
                "Authentication" => Row(SpecTables.Authentication()[taken.RowIndex]),
                _ => throw new InvalidOperationException($"unknown machine {taken.Machine}"),
            };
            Assert.True(row == (taken.From, taken.Trigger, taken.To), $"{taken} is not row {taken.RowIndex} of the {taken.Machine} table {row}");
        }

        Assert.True(World.Broker.Violations.Count == 0, string.Join(Environment.NewLine, World.Broker.Violations) + Environment.NewLine + Describe());
        Assert.True(World.Broker.InternalErrors.Count == 0, string.Join(Environment.NewLine, World.Broker.InternalErrors) + Environment.NewLine + Describe());
    }

    private static (string, string, string) Row<TS, TT, TG, TE>(TableRow<TS, TT, TG, TE> row)
        where TS : struct, Enum
        where TT : struct, Enum
        where TG : struct, Enum
        where TE : struct, Enum => (row.From.ToString(), row.Trigger.ToString(), row.To.ToString());

    /// <summary>Exceptions a completed task ended with, unwrapped.</summary>
    public static Exception? Failure(Task task) => task.Exception?.GetBaseException() ?? (task.IsCanceled ? new TaskCanceledException(task) : null);
}
