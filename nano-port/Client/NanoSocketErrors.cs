using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Client
{
    /// <summary>
    /// spec/'s SocketErrorTable, read once. SocketErrorTable.Classify builds the rows on every call, which on a device that
    /// sees EWOULDBLOCK on every poll would make garbage many times a second; this twin keeps one copy of the same rows and
    /// answers exactly as Classify does (tests compare the two on every listed code and on random ones).
    /// </summary>
    public static class NanoSocketErrors
    {
        private static readonly SocketErrorRow[] Rows = SocketErrorTable.CreateRows();

        /// <summary>The Connection trigger spec/'s table gives <paramref name="code"/>; SocketErrorTable.Default when it lists no row for it.</summary>
        public static ConnectionTrigger Classify(int code)
        {
            for (int i = 0; i < Rows.Length; i++)
            {
                if ((int)Rows[i].Code == code)
                {
                    return Rows[i].Trigger;
                }
            }

            return SocketErrorTable.Default;
        }
    }
}
