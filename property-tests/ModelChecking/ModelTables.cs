using StateMachineMqtt.Machines;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// The three spec tables the model checker composes, read through core/Machines/SpecTables so a test can pass a mutated
/// copy of the rows (e.g. <c>ConnectionTable.CreateRows()</c> with one row replaced).
/// </summary>
public sealed class ModelTables
{
    private readonly Dictionary<(ConnectionState, ConnectionTrigger), TableRow<ConnectionState, ConnectionTrigger, ConnectionGuard, ConnectionEffect>[]> _connection;
    private readonly Dictionary<(KeepAliveState, KeepAliveTrigger), TableRow<KeepAliveState, KeepAliveTrigger, KeepAliveGuard, KeepAliveEffect>[]> _keepAlive;
    private readonly Dictionary<(PublishState, PublishTrigger), TableRow<PublishState, PublishTrigger, PublishGuard, PublishEffect>[]> _publish;

    /// <summary>Builds the tables from spec/ rows; a null argument means the unmodified table.</summary>
    public ModelTables(ConnectionTransition[]? connection = null, KeepAliveTransition[]? keepAlive = null, PublishTransition[]? publish = null)
    {
        Connection = SpecTables.Connection(connection);
        KeepAlive = SpecTables.KeepAlive(keepAlive);
        Publish = SpecTables.Publish(publish);
        _connection = Connection.GroupBy(r => (r.From, r.Trigger)).ToDictionary(g => g.Key, g => g.ToArray());
        _keepAlive = KeepAlive.GroupBy(r => (r.From, r.Trigger)).ToDictionary(g => g.Key, g => g.ToArray());
        _publish = Publish.GroupBy(r => (r.From, r.Trigger)).ToDictionary(g => g.Key, g => g.ToArray());
    }

    /// <summary>Connection rows.</summary>
    public IReadOnlyList<TableRow<ConnectionState, ConnectionTrigger, ConnectionGuard, ConnectionEffect>> Connection { get; }

    /// <summary>KeepAlive rows.</summary>
    public IReadOnlyList<TableRow<KeepAliveState, KeepAliveTrigger, KeepAliveGuard, KeepAliveEffect>> KeepAlive { get; }

    /// <summary>Outbound QoS 1 rows.</summary>
    public IReadOnlyList<TableRow<PublishState, PublishTrigger, PublishGuard, PublishEffect>> Publish { get; }

    /// <summary>The rows for (state, trigger), possibly none.</summary>
    public TableRow<ConnectionState, ConnectionTrigger, ConnectionGuard, ConnectionEffect>[] Rows(ConnectionState from, ConnectionTrigger trigger) =>
        _connection.TryGetValue((from, trigger), out var rows) ? rows : [];

    /// <summary>The rows for (state, trigger), possibly none.</summary>
    public TableRow<KeepAliveState, KeepAliveTrigger, KeepAliveGuard, KeepAliveEffect>[] Rows(KeepAliveState from, KeepAliveTrigger trigger) =>
        _keepAlive.TryGetValue((from, trigger), out var rows) ? rows : [];

    /// <summary>The rows for (state, trigger), possibly none.</summary>
    public TableRow<PublishState, PublishTrigger, PublishGuard, PublishEffect>[] Rows(PublishState from, PublishTrigger trigger) =>
        _publish.TryGetValue((from, trigger), out var rows) ? rows : [];
}
