using PingAnTong.Edge.Core.Json;
using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Core.Events
{
    /// <summary>
    /// Turns hub decisions into stored messages: writes the JSON body (every member but the delivery
    /// members that are only known at send time) and appends it to the outbox, so it is persisted
    /// before any send attempt. Ids are <c>{hubId}-{boot}-{seq}</c>: boot and seq are persisted
    /// counters, so an id never repeats (see <see cref="PersistentCounters.IdBoot"/> for a boot that
    /// could not be stored).
    /// </summary>
    public sealed class EventEmitter
    {
        private readonly Outbox _outbox;
        private readonly PersistentCounters _counters;
        private readonly IClock _clock;
        private readonly JsonWriter _json = new JsonWriter(512);
        private string _idPrefix;

        public EventEmitter(Outbox outbox, PersistentCounters counters, IClock clock)
        {
            _outbox = outbox;
            _counters = counters;
            _clock = clock;
        }

        /// <summary>The local event log (console <c>events</c>); every emitted event gets a line.</summary>
        public Field.EventLog Log { get; set; }

        public string HubId { get; private set; }

        public string Location { get; private set; }

        public void Configure(string hubId, string location)
        {
            HubId = hubId;
            Location = location;
            _idPrefix = hubId + "-" + _counters.IdBoot.ToString() + "-";
        }

        /// <summary>Stores an event on the event channel; returns its outbox entry (its id is in <c>Entry.Id</c> for alarms).</summary>
        public OutboxEntry Emit(string kind, byte eventClass, string state, byte priority, string sensor, string alarmId, string reason)
        {
            long seq = BeginMessage(out string id);
            WriteEventMembers(id, seq, kind, eventClass, state, priority, sensor, alarmId, reason);
            OutboxEntry entry = Commit(Channel.Event, eventClass, priority, seq, id, TrackedKind(kind, eventClass, state));
            Record(kind, eventClass, state, sensor, alarmId, reason, null);
            return entry;
        }

        /// <summary>As <see cref="Emit"/>, with a measured value (fixed point: value / 10^decimals).</summary>
        public OutboxEntry EmitWithValue(string kind, byte eventClass, string state, byte priority, string sensor, string alarmId, long value, int decimals)
        {
            long seq = BeginMessage(out string id);
            WriteEventMembers(id, seq, kind, eventClass, state, priority, sensor, alarmId, null);
            _json.Name("value");
            _json.Fixed(value, decimals);
            OutboxEntry entry = Commit(Channel.Event, eventClass, priority, seq, id, TrackedKind(kind, eventClass, state));
            Record(kind, eventClass, state, sensor, alarmId, null, "value " + Field.ConsoleFormat.Fixed(value, decimals));
            return entry;
        }

        private void Record(string kind, byte eventClass, string state, string sensor, string alarmId, string reason, string extra)
        {
            Field.EventLog log = Log;
            if (log == null) return;
            string line = EventClass.Name(eventClass) + " " + kind + " " + state;
            if (sensor != null) line += " sensor=" + sensor;
            if (alarmId != null) line += " id=" + alarmId;
            if (extra != null) line += " " + extra;
            if (reason != null) line += " (" + reason + ")";
            log.Add(_clock.UptimeMs, _clock.UtcMs, line);
        }

        /// <summary>
        /// Starts a telemetry message (alive-ping, heartbeat, reply): writes the common members and
        /// returns the writer for the caller's members; finish with <see cref="CommitTelemetry"/>.
        /// </summary>
        public JsonWriter BeginTelemetry(out long seq)
        {
            seq = BeginMessage(out string id);
            _json.Reset();
            _json.BeginObject();
            _json.Property("id", id);
            _json.Property("seq", seq);
            _json.Property("hubId", HubId);
            _json.TimestampProperty("ts", _clock.UtcMs);
            _json.Property("uptimeMs", _clock.UptimeMs);
            return _json;
        }

        /// <summary>Stores the message begun by <see cref="BeginTelemetry"/> in RAM only (see <see cref="Outbox.AppendVolatile"/>).</summary>
        public OutboxEntry CommitVolatile(byte channel, byte priority, long seq)
        {
            return _outbox.AppendVolatile(channel, priority, seq, _clock.UptimeMs, _clock.UtcMs, _json.Buffer, _json.Length);
        }

        public OutboxEntry CommitTelemetry(byte channel, byte priority, long seq)
        {
            return Commit(channel, EventClass.Info, priority, seq, null, null);
        }

        /// <summary>Raised alarms (and test alarms) are followed by the lifecycle; their follow-up events are not.</summary>
        private static string TrackedKind(string kind, byte eventClass, string state)
        {
            return (eventClass == EventClass.Alarm || eventClass == EventClass.Test) && state == EventState.Raised ? kind : null;
        }

        private long BeginMessage(out string id)
        {
            long seq = _counters.TakeSeq();
            id = _idPrefix + seq.ToString();
            return seq;
        }

        /// <summary>
        /// Writes the body of a raised alarm again from what the hub holds in memory, when its stored record
        /// no longer reads back (a flipped bit): id, seq, kind, class, priority and times are all known, the
        /// sensor is not. The reason says so, so the centre knows why the message is thinner.
        /// </summary>
        public int RebuildAlarmBody(OutboxEntry e, ref byte[] buffer)
        {
            WriteEventMembers(e.Id, e.Seq, e.Kind, e.EventClass, EventState.Raised, e.Priority, null, null,
                "rebuilt: the stored record was damaged", e.CreatedUtcMs, e.CreatedUptimeMs);
            if (buffer.Length < _json.Length) buffer = new byte[_json.Length + 64];
            System.Array.Copy(_json.Buffer, buffer, _json.Length);
            return _json.Length;
        }

        private void WriteEventMembers(string id, long seq, string kind, byte eventClass, string state, byte priority, string sensor, string alarmId, string reason)
        {
            WriteEventMembers(id, seq, kind, eventClass, state, priority, sensor, alarmId, reason, _clock.UtcMs, _clock.UptimeMs);
        }

        private void WriteEventMembers(string id, long seq, string kind, byte eventClass, string state, byte priority, string sensor, string alarmId, string reason,
            long utcMs, long uptimeMs)
        {
            _json.Reset();
            _json.BeginObject();
            _json.Property("id", id);
            _json.Property("seq", seq);
            _json.Property("hubId", HubId);
            _json.Property("kind", kind);
            _json.Property("class", EventClass.Name(eventClass));
            _json.Property("state", state);
            _json.Property("priority", priority);
            _json.TimestampProperty("ts", utcMs);
            _json.Property("uptimeMs", uptimeMs);
            if (eventClass == EventClass.Alarm || eventClass == EventClass.Test) _json.Property("location", Location);
            if (sensor != null) _json.Property("sensor", sensor);
            if (alarmId != null) _json.Property("alarmId", alarmId);
            if (reason != null) _json.Property("reason", reason);
        }

        private OutboxEntry Commit(byte channel, byte eventClass, byte priority, long seq, string id, string kind)
        {
            // The object stays open: the publisher appends attempt/escalated/historical and the '}'.
            return _outbox.Append(channel, eventClass, priority, seq, id, kind, _clock.UptimeMs, _clock.UtcMs, _json.Buffer, _json.Length);
        }
    }
}
