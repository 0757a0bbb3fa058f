using StateMachineMqtt.Engine.Store;

namespace StateMachineMqtt.Store;

/// <summary>What a store found on recovery: the live session, how many records it replayed and how many bytes it dropped.</summary>
/// <param name="Snapshot">The live session, to restore into the engine.</param>
/// <param name="Records">Whole, valid records replayed.</param>
/// <param name="DroppedBytes">Bytes of torn or corrupt tail cut off and never replayed; 0 for a clean log.</param>
internal sealed record SessionStoreRecovery(SessionSnapshot Snapshot, int Records, long DroppedBytes);
