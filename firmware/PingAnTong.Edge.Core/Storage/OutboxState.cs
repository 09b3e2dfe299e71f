namespace PingAnTong.Edge.Core.Storage
{
    /// <summary>Persisted state of an outbox entry (byte values, stored in records).</summary>
    public static class OutboxState
    {
        /// <summary>Stored, not yet acknowledged by the broker.</summary>
        public const byte Pending = 0;

        /// <summary>The broker acknowledged it (PUBACK); an alarm now waits for the backend's ack.</summary>
        public const byte Delivered = 1;

        /// <summary>The backend acknowledged the alarm; kept until it is closed so the lifecycle survives a reboot.</summary>
        public const byte Acknowledged = 2;

        /// <summary>Done; dropped at the next compaction.</summary>
        public const byte Removed = 3;
    }
}
