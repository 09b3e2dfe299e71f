namespace PingAnTong.Edge.Core.Storage
{
    /// <summary>
    /// The in-memory index of one stored message. The payload body stays on storage; only alarm
    /// entries keep their id and kind in memory (the lifecycle needs them to match acks).
    /// <para>
    /// Packed on purpose: nanoCLR gives every instance field its own 12-byte heap block plus one header
    /// block (nf-interpreter src/CLR/Core/Execution.cpp NewObject, HB_Object_Fields_Offset), whatever the
    /// field's type. The entry was 17 fields (216 bytes, 229 measured with its ArrayList slot); it is now 6
    /// (84 bytes, 96 with the slot): the small values share one int, position and length share one long,
    /// and what only alarms and RAM-only messages need (id, kind, body) lives in a side object that plain
    /// telemetry does not have. The members keep their names as properties, which cost no heap.
    /// </para>
    /// </summary>
    public sealed class OutboxEntry
    {
        // Bits of _bits: channel 0-7, class 8-11, priority 12-15, state 16-17, flags 18-21, attempts 22-31.
        private const int ClassShift = 8;
        private const int PriorityShift = 12;
        private const int StateShift = 16;
        private const int FromPreviousBootBit = 1 << 18;
        private const int InFlightBit = 1 << 19;
        private const int ResendDueBit = 1 << 20;
        private const int EscalatedBit = 1 << 21;
        private const int AttemptsShift = 22;
        private const int MaxAttempts = 1023;

        public long Seq;
        public long CreatedUptimeMs;
        public long CreatedUtcMs;
        private int _bits;
        private long _where;
        private OutboxEntryExtra _extra;

        public byte Channel { get { return (byte)(_bits & 0xFF); } set { _bits = (_bits & ~0xFF) | value; } }
        public byte EventClass { get { return (byte)((_bits >> ClassShift) & 0xF); } set { Put(ClassShift, 0xF, value); } }
        public byte Priority { get { return (byte)((_bits >> PriorityShift) & 0xF); } set { Put(PriorityShift, 0xF, value); } }
        public byte State { get { return (byte)((_bits >> StateShift) & 0x3); } set { Put(StateShift, 0x3, value); } }
        public bool FromPreviousBoot { get { return (_bits & FromPreviousBootBit) != 0; } set { Flag(FromPreviousBootBit, value); } }

        /// <summary>Sent, waiting for the broker's ack (transient, not persisted).</summary>
        public bool InFlight { get { return (_bits & InFlightBit) != 0; } set { Flag(InFlightBit, value); } }
        public bool ResendDue { get { return (_bits & ResendDueBit) != 0; } set { Flag(ResendDueBit, value); } }
        public bool Escalated { get { return (_bits & EscalatedBit) != 0; } set { Flag(EscalatedBit, value); } }

        /// <summary>Send attempts (transient); saturates at 1023.</summary>
        public int Attempts
        {
            get { return (_bits >> AttemptsShift) & MaxAttempts; }
            set { Put(AttemptsShift, MaxAttempts, value > MaxAttempts ? MaxAttempts : (value < 0 ? 0 : value)); }
        }

        /// <summary>Position of the entry's record in the current outbox file.</summary>
        public int RecordPosition
        {
            get { return (int)(_where >> 32); }
            set { _where = ((long)value << 32) | (_where & 0xFFFFFFFFL); }
        }

        public int BodyLength
        {
            get { return (int)(_where & 0xFFFFFFFFL); }
            set { _where = (_where & ~0xFFFFFFFFL) | ((long)value & 0xFFFFFFFFL); }
        }

        /// <summary>The alarm's event id (tracked alarms only), else null.</summary>
        public string Id
        {
            get { return _extra == null ? null : _extra.Id; }
            set { if (value != null || _extra != null) Extra().Id = value; }
        }

        /// <summary>The alarm's kind (tracked alarms only), else null.</summary>
        public string Kind
        {
            get { return _extra == null ? null : _extra.Kind; }
            set { if (value != null || _extra != null) Extra().Kind = value; }
        }

        /// <summary>Body of a volatile entry (kept in RAM only, never written to storage); null for durable entries.</summary>
        public byte[] VolatileBody
        {
            get { return _extra == null ? null : _extra.VolatileBody; }
            set { if (value != null || _extra != null) Extra().VolatileBody = value; }
        }

        /// <summary>In RAM only because its write failed (a full or failing drive), not by design: it is written when the drive takes it again.</summary>
        public bool Unsaved
        {
            get { return _extra != null && _extra.Unsaved; }
            set { if (value || _extra != null) Extra().Unsaved = value; }
        }

        /// <summary>A raised alarm followed by the lifecycle (id and kind known).</summary>
        public bool IsTrackedAlarm { get { return Kind != null; } }

        /// <summary>A real alarm (not a test): never evicted, always room for it.</summary>
        public bool IsRealAlarm { get { return EventClass == Events.EventClass.Alarm; } }

        private OutboxEntryExtra Extra()
        {
            if (_extra == null) _extra = new OutboxEntryExtra();
            return _extra;
        }

        private void Put(int shift, int mask, int value)
        {
            _bits = (_bits & ~(mask << shift)) | ((value & mask) << shift);
        }

        private void Flag(int bit, bool on)
        {
            if (on) _bits |= bit; else _bits &= ~bit;
        }
    }
}
