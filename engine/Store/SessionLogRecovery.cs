namespace StateMachineMqtt.Engine.Store
{
    /// <summary>What reading a session log found: how many records it replayed and how many bytes after them it dropped.</summary>
    public sealed class SessionLogRecovery
    {
        /// <summary>Whole, valid records replayed.</summary>
        public int Records;

        /// <summary>The length of the valid prefix: where the next record is appended once the tail is cut off.</summary>
        public int ValidLength;

        /// <summary>Bytes after the valid prefix (a torn tail or corruption), dropped and never replayed; 0 for a clean log.</summary>
        public int DroppedBytes;
    }
}
