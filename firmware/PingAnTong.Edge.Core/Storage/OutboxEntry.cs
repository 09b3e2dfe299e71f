namespace PingAnTong.Edge.Core.Storage
{
    /// <summary>
    /// The in-memory index of one stored message. The payload body stays on storage; only alarm
    /// entries keep their id and kind in memory (the lifecycle needs them to match acks).
    /// </summary>
    public sealed class OutboxEntry
    {
        public long Seq;
        public byte Channel;
        public byte EventClass;
        public byte Priority;
        public byte State;
        public long CreatedUptimeMs;
        public long CreatedUtcMs;
        public bool FromPreviousBoot;
        public string Id;
        public string Kind;

        /// <summary>Position of the entry's record in the current outbox file.</summary>
        public int RecordPosition;
        public int BodyLength;

        /// <summary>Body of a volatile entry (kept in RAM only, never written to storage); null for durable entries.</summary>
        public byte[] VolatileBody;

        // Transient delivery bookkeeping (not persisted).
        public bool InFlight;
        public int Attempts;
        public bool ResendDue;
        public bool Escalated;

        /// <summary>A raised alarm followed by the lifecycle (id and kind known).</summary>
        public bool IsTrackedAlarm { get { return Kind != null; } }

        /// <summary>A real alarm (not a test): never evicted, always room for it.</summary>
        public bool IsRealAlarm { get { return EventClass == Events.EventClass.Alarm; } }
    }
}
