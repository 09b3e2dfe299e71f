using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Core.Alarms
{
    /// <summary>One alarm on its way through raised → delivered → acknowledged → closed. The durable
    /// part lives in its outbox entry; these are the timers, rebuilt after a reboot.</summary>
    public sealed class Alarm
    {
        public OutboxEntry Entry;
        public string Id { get { return Entry.Id; } }
        public string Kind { get { return Entry.Kind; } }
        public long RaisedMs;
        public long DeliveredMs = -1;
        public long AcknowledgedMs = -1;
        public long NextResendMs = -1;
        public int Resends;
        public bool ConditionCleared;
        public bool Closed;

        /// <summary>"Help is coming" stays on until this uptime even after the alarm closes.</summary>
        public long HelpComingUntilMs = -1;

        public bool IsDelivered { get { return Entry.State != OutboxState.Pending; } }

        public bool IsAcknowledged { get { return Entry.State == OutboxState.Acknowledged; } }
    }
}
