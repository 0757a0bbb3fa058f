namespace StateMachineMqtt.Nano.Client
{
    /// <summary>A subscription the client keeps in force across reconnects (I8), or is removing.</summary>
    internal sealed class NanoSubscription
    {
        public NanoSubscription(string filter, int qos)
        {
            Filter = filter;
            Qos = qos;
        }

        public string Filter { get; }

        public int Qos { get; set; }

        /// <summary>The broker acknowledged it on the current session.</summary>
        public bool InForce { get; set; }

        /// <summary>Unsubscribe was asked: kept only until UNSUBACK.</summary>
        public bool Removing { get; set; }

        /// <summary>Identifier of the SUBSCRIBE or UNSUBSCRIBE awaiting its ack, or 0.</summary>
        public int PendingId { get; set; }

        /// <summary>When that ack is overdue.</summary>
        public long DeadlineMilliseconds { get; set; }
    }
}
