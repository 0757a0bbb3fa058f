using StateMachineMqtt.Engine.Store;

namespace StateMachineMqtt.Store;

/// <summary>
/// Where the engine's session records are kept across process crashes: a file log (<see cref="FileSessionStore"/>) or, in
/// the simulation, memory (<see cref="InMemorySessionStore"/>). Recover once, before the first append; then append in
/// the engine's order. The client's loop calls it; it may complete durability from another thread.
/// </summary>
internal interface ISessionStore : IAsyncDisposable
{
    /// <summary>Reads what was stored, drops a torn or corrupt tail (and says so), and gives the live session.</summary>
    SessionStoreRecovery Recover();

    /// <summary>
    /// Appends <paramref name="record"/>; <paramref name="durable"/> (when given) completes once it is stored under the
    /// store's flush policy, or fails with the I/O error that stopped it.
    /// </summary>
    void Append(SessionRecord record, TaskCompletionSource? durable);
}
