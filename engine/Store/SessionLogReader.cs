namespace StateMachineMqtt.Engine.Store
{
    /// <summary>
    /// Pure recovery of a durable session log: frames records for appending, and reads a log's bytes back into a
    /// <see cref="SessionSnapshot"/>, up to the last whole record whose checksum matches and whose body decodes. What
    /// follows (a torn tail from a crash mid-append, or corruption) is never replayed; the result says how much that was.
    /// </summary>
    public static class SessionLogReader
    {
        /// <summary>The bytes to append for <paramref name="record"/>: [length][CRC-32C][body].</summary>
        public static byte[] Frame(SessionRecord record)
        {
            return SessionLogFraming.Frame(SessionRecordCodec.Encode(record));
        }

        /// <summary>
        /// Folds the valid records of the first <paramref name="count"/> bytes of <paramref name="log"/> into
        /// <paramref name="snapshot"/>, in order, and says where the valid prefix ends.
        /// </summary>
        public static SessionLogRecovery Read(byte[] log, int count, SessionSnapshot snapshot)
        {
            SessionLogRecovery recovery = new SessionLogRecovery();
            int position = 0;
            while (true)
            {
                int end = SessionLogFraming.NextRecordEnd(log, count, position);
                if (end < 0)
                {
                    break;
                }

                SessionRecord record = SessionRecordCodec.Decode(SessionLogFraming.Body(log, position, end));
                if (record == null)
                {
                    // Whole and checksummed, yet not a record this version knows: corruption all the same, stop here.
                    break;
                }

                snapshot.Apply(record);
                recovery.Records++;
                position = end;
            }

            recovery.ValidLength = position;
            recovery.DroppedBytes = count - position;
            return recovery;
        }
    }
}
