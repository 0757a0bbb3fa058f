using System.Reflection;
using FsCheck;
using FsCheck.Fluent;
using StateMachineMqtt.Machines;
using StateMachineMqtt.PropertyTests.FaultSchedules;
using StateMachineMqtt.PropertyTests.Engine;
using StateMachineMqtt.PropertyTests.Scenarios;
using StateMachineMqtt.Spec;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.Conformance;

/// <summary>
/// Every row of the Connection, KeepAlive, Publish, Receipt and Authentication tables is taken by the real client somewhere: every scenario test
/// plus a fixed sample of fault schedules, recorded into this test's own ledger (so the result does not depend on which
/// other tests ran, or in what order). Rows the client cannot reach are allow-listed below with the reason; rows still
/// waiting for a scenario are listed separately as gaps. Both lists are kept honest: a listed row that becomes taken
/// fails the test too.
/// </summary>
public class RowCoverageTests(ITestOutputHelper output)
{
    private const int ScheduleSample = 60;

    /// <summary>Rows no client workload can take, each with why the table still has it (defensive rows).</summary>
    private static readonly Dictionary<string, string> Unreachable = new(StringComparer.Ordinal)
    {
        // The engine fires Tick only when its keepalive deadline is reached, and every way into Inactive sets it to Never.
        ["KeepAlive#3"] = "Inactive+Tick: DisarmTimer and DeclareLinkDead set the engine's keepalive deadline to Never, so no tick reaches Inactive",
        // LinkUp fires only on an accepted CONNACK of a new link; every way out of a link goes through the engine's
        // CloseLink, which fires LinkDown first, so the machine is always Inactive when LinkUp comes.
        ["KeepAlive#4"] = "Idle+LinkUp: the engine's CloseLink always fires LinkDown before the next link's LinkUp",
        ["KeepAlive#10"] = "PingOutstanding+LinkUp: the engine's CloseLink always fires LinkDown before the next link's LinkUp",
        // In PingOutstanding the ping deadline is min(last sent, max(last received, last ping)) + interval. The only ways
        // to raise max(...) are a receive (which leaves PingOutstanding) and a ping (which re-arms); so while the ping is
        // outstanding max(...) stays at the ping's time, min(...) with it, and a tick always finds a ping or the silence due.
        ["KeepAlive#13"] = "PingOutstanding+Tick[WithinPingInterval]: the deadline armed with the ping cannot move later while the ping is outstanding",
        // A message gets its packet identifier on Transmit; PUBACKs are matched by identifier against sent messages only.
        [EngineInvariantProperties.PublishRow(PublishState.Queued, PublishTrigger.PubAck)] = "Queued+PubAck: a queued message has no packet identifier yet, so no PUBACK can name it",
        [EngineInvariantProperties.ConnectionRow(ConnectionState.Disconnecting, ConnectionTrigger.RepublishLimitReached)] = "Disconnecting+RepublishLimitReached: PUBACK deadlines are acted on only while Connected (the engine's OnResponseDeadline stops otherwise), so no re-publish limit can be reached while disconnecting",
        // Nothing may follow DISCONNECT [MQTT-3.14.4-2]: the engine's SendDisconnect fires KeepAlive LinkDown before it
        // sends DISCONNECT, so no ping is sent and no keepalive can expire while disconnecting.
        [EngineInvariantProperties.ConnectionRow(ConnectionState.Disconnecting, ConnectionTrigger.KeepAliveExpired)] = "Disconnecting+KeepAliveExpired: SendDisconnect stops the KeepAlive machine first (no PINGREQ may follow DISCONNECT), so it cannot expire while disconnecting",
        // The Authentication machine's clock runs only in the re-authentication states; FireAuthentication sets it to Never
        // on every transition that leaves them, so its deadline cannot fire in Idle.
        [Key("Authentication", SpecTables.Authentication().First(r => r.From == AuthenticationState.Idle && r.Trigger == AuthenticationTrigger.ResponseTimeout).Index)] = "Idle+ResponseTimeout: the engine clears the authentication deadline whenever the machine leaves a re-authentication state",
    };

    /// <summary>
    /// The answers no message waiting to be re-sent can hear: a message is in Resend, ResendQos2 or ResendPubRel only between
    /// a link's loss and the next CONNACK, when LinkUp re-sends every one of them at once (each was in flight, so all fit
    /// the window); packets from the lost link are dropped by generation, and anything but CONNACK before CONNACK is a
    /// protocol violation, so no PUBACK, PUBREC or PUBCOMP (refusing or not) can reach them. The rows stay as the table's answer to every
    /// (state, answer) pair; the engine's invariant property finds them unreachable too.
    /// </summary>
    static RowCoverageTests()
    {
        foreach (PublishState waiting in new[] { PublishState.Resend, PublishState.ResendQos2, PublishState.ResendPubRel })
        {
            foreach (PublishTrigger answer in new[] { PublishTrigger.PubAck, PublishTrigger.PubRec, PublishTrigger.PubComp, PublishTrigger.PubAckRefused, PublishTrigger.PubRecRefused })
            {
                Unreachable[EngineInvariantProperties.PublishRow(waiting, answer)] = $"{waiting}+{answer}: a message waits in {waiting} only while no link is up; LinkUp re-sends it before any packet can arrive";
            }
        }
    }

    [Fact]
    public void Every_table_row_is_taken_by_the_scenarios_and_fault_schedules()
    {
        var taken = new HashSet<(string Machine, int Row)>();
        void Sink(TakenTransition t)
        {
            lock (taken)
            {
                taken.Add((t.Machine, t.RowIndex));
            }
        }

        int scenarios = 0;
        TransitionLedger.Record(Sink, () => scenarios = RunEveryScenario());
        int fromScenarios = taken.Count;
        FaultSchedule[] schedules = Gen.Sample(ScheduleGenerators.Schedules().Generator, ScheduleSample, new Rnd(2026UL, 0x9E3779B97F4A7C15UL), 300);
        foreach (FaultSchedule schedule in schedules)
        {
            _ = ScheduleRunner.Run(schedule, null, Sink);
        }

        List<(string Machine, int Row, string Description)> all = AllRows();
        var untaken = all.Where(r => !taken.Contains((r.Machine, r.Row))).ToList();
        output.WriteLine($"scenario runs: {scenarios} (rows taken: {fromScenarios}), fault schedules: {schedules.Length}");
        output.WriteLine($"rows: {all.Count}, taken: {all.Count - untaken.Count}, untaken: {untaken.Count} (unreachable: {Unreachable.Count})");
        foreach ((string machine, int row, string description) in untaken)
        {
            string key = Key(machine, row);
            string note = Unreachable.TryGetValue(key, out string? why) ? $" (unreachable: {why})" : "";
            output.WriteLine($"untaken {key}: {description}{note}");
        }

        string[] listed = [.. Unreachable.Keys];
        string[] missing = untaken.Where(r => !listed.Contains(Key(r.Machine, r.Row))).Select(r => $"{Key(r.Machine, r.Row)}: {r.Description}").ToArray();
        string[] dishonest = listed.Where(k => all.Exists(r => Key(r.Machine, r.Row) == k && taken.Contains((r.Machine, r.Row)))).ToArray();
        string[] unknown = listed.Where(k => !all.Exists(r => Key(r.Machine, r.Row) == k)).ToArray();
        Assert.True(missing.Length == 0, "Rows never taken: add a scenario that takes them (or, only if the client truly cannot reach them, allow-list them with the argument why):" + Environment.NewLine + string.Join(Environment.NewLine, missing));
        Assert.True(dishonest.Length == 0, "Allow-listed as unreachable but taken: the reasoning was wrong, remove them from the list: " + string.Join(", ", dishonest));
        Assert.True(unknown.Length == 0, "Allow-list names rows that do not exist: " + string.Join(", ", unknown));
    }

    private static string Key(string machine, int row) => $"{machine}#{row}";

    private static List<(string Machine, int Row, string Description)> AllRows()
    {
        var rows = new List<(string, int, string)>();
        rows.AddRange(SpecTables.Connection().Select(r => ("Connection", r.Index, $"{r.From} --{r.Trigger}[{r.Guard}]--> {r.To}")));
        rows.AddRange(SpecTables.KeepAlive().Select(r => ("KeepAlive", r.Index, $"{r.From} --{r.Trigger}[{r.Guard}]--> {r.To}")));
        rows.AddRange(SpecTables.Publish().Select(r => ("Publish", r.Index, $"{r.From} --{r.Trigger}[{r.Guard}]--> {r.To}")));
        rows.AddRange(SpecTables.Receipt().Select(r => ("Receipt", r.Index, $"{r.From} --{r.Trigger}[{r.Guard}]--> {r.To}")));
        rows.AddRange(SpecTables.Authentication().Select(r => ("Authentication", r.Index, $"{r.From} --{r.Trigger}[{r.Guard}]--> {r.To}")));
        return rows;
    }

    /// <summary>Invokes every scenario test method: facts without arguments, theories once per InlineData/MemberData row.</summary>
    private static int RunEveryScenario()
    {
        int runs = 0;
        IEnumerable<Type> scenarioClasses = typeof(Scenario).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(Scenario).Namespace && t.IsClass && !t.IsAbstract && t.IsPublic)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (Type type in scenarioClasses)
        {
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance).OrderBy(m => m.Name, StringComparer.Ordinal))
            {
                foreach (object[] arguments in ArgumentSets(method))
                {
                    runs++;
                    object instance = Activator.CreateInstance(type)!;
                    object? result = method.Invoke(instance, arguments);
                    if (result is Task task)
                    {
                        task.GetAwaiter().GetResult();
                    }
                }
            }
        }

        return runs;
    }

    private static List<object[]> ArgumentSets(MethodInfo method)
    {
        if (method.GetCustomAttribute<FactAttribute>() is { Skip: null } && method.GetCustomAttribute<TheoryAttribute>() is null)
        {
            return method.GetParameters().Length == 0 ? [[]] : [];
        }

        if (method.GetCustomAttribute<TheoryAttribute>() is not { Skip: null })
        {
            return [];
        }

        var sets = method.GetCustomAttributes<InlineDataAttribute>().SelectMany(a => a.GetData(method)).ToList();
        foreach (MemberDataAttribute member in method.GetCustomAttributes<MemberDataAttribute>())
        {
            sets.AddRange(member.GetData(method));
        }

        ParameterInfo[] parameters = method.GetParameters();
        // As xUnit does: optional parameters the data leave out take their defaults.
        return [.. sets.Select(set => parameters.Select((p, i) => i < set.Length ? Converted(set[i], p.ParameterType)! : p.DefaultValue!).ToArray())];
    }

    /// <summary>As xUnit does: an InlineData int given to a byte (or other numeric) parameter is converted.</summary>
    private static object? Converted(object? value, Type type) =>
        value is IConvertible && !type.IsInstanceOfType(value) && !type.IsEnum && Nullable.GetUnderlyingType(type) is null
            ? Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture)
            : value;
}
