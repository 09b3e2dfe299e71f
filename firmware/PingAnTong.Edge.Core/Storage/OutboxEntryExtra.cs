namespace PingAnTong.Edge.Core.Storage
{
    /// <summary>
    /// What only some outbox entries need in RAM: a tracked alarm's id and kind, a RAM-only message's
    /// body. Kept apart so that each plain telemetry entry does not pay three heap blocks for nulls.
    /// </summary>
    public sealed class OutboxEntryExtra
    {
        public string Id;
        public string Kind;
        public byte[] VolatileBody;
        /// <summary>The body is in RAM only because its write failed: it belongs on flash (Outbox.PersistUnsaved).</summary>
        public bool Unsaved;
    }
}
