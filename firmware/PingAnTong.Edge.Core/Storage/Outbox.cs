using System.Collections;

namespace PingAnTong.Edge.Core.Storage
{
    /// <summary>
    /// The durable outbox: every message the hub must deliver is appended here before any send
    /// attempt and dropped only once it is done (broker ack for telemetry, backend ack and close for
    /// alarms). Two generation files (<c>outbox.0</c>, <c>outbox.1</c>): the current one holds a
    /// header, a snapshot of live entries, a seal, then appended entry and state records.
    /// Compaction writes a complete sealed snapshot into the other file before deleting the old,
    /// so a power cut at any byte of any write leaves the old or the new state.
    /// Under space pressure the least important telemetry is evicted; alarms never are.
    /// </summary>
    public sealed class Outbox
    {
        private const byte RecHeader = (byte)'H';
        private const byte RecSeal = (byte)'S';
        private const byte RecEntry = (byte)'E';
        private const byte RecMark = (byte)'M';
        private const int EntryFixedBytes = 1 + 1 + 1 + 1 + 1 + 8 + 8 + 8;

        private readonly IDurableStore _store;
        private readonly string[] _names;
        private readonly int _capacityBytes;
        private readonly int _maxEntries;
        private readonly ArrayList _entries = new ArrayList();
        private int _current;
        private uint _generation;
        private int _fileLength;
        private int _unsaved;
        private int _liveBytes;
        private byte[] _record = new byte[512];
        private byte[] _frame = new byte[512];
        private byte[] _read = new byte[512];

        public Outbox(IDurableStore store, string baseName, int capacityBytes, int maxEntries)
        {
            _store = store;
            _names = new string[] { baseName + ".0", baseName + ".1" };
            _capacityBytes = capacityBytes;
            _maxEntries = maxEntries;
        }

        /// <summary>Writes the body of a tracked alarm from memory when its record is damaged (set by the hub).</summary>
        public BodyRebuilder Rebuilder;

        /// <summary>Records found unreadable when they were needed (sent or compacted), since start.</summary>
        public int DamagedRecords { get; private set; }

        /// <summary>The last damaged record: the alarm's id when known, else its sequence number.</summary>
        public string LastDamaged { get; private set; }

        /// <summary>True when the last damaged record was an alarm, rebuilt from memory (else it was dropped).</summary>
        public bool LastDamagedRebuilt { get; private set; }

        /// <summary>Live entries (OutboxEntry) in append order.</summary>
        public ArrayList Entries { get { return _entries; } }

        public int Count { get { return _entries.Count; } }

        /// <summary>Telemetry entries evicted for space since start.</summary>
        public int EvictedCount { get; private set; }

        /// <summary>Of <see cref="EvictedCount"/>, those evicted because the entry limit (the heap's share for the index) was reached rather than the bytes.</summary>
        public int EvictedForEntryLimit { get; private set; }

        /// <summary>The byte capacity of live bodies (from the board profile).</summary>
        public int CapacityBytes { get { return _capacityBytes; } }

        /// <summary>The entry limit (from the board profile).</summary>
        public int MaxEntries { get { return _maxEntries; } }

        /// <summary>Bytes of live bodies now.</summary>
        public int LiveBytes { get { return _liveBytes; } }

        /// <summary>True when the last recovery found a torn or damaged record (and repaired it by compaction).</summary>
        public bool RecoveredFromDamage { get; private set; }

        /// <summary>True when an alarm had to be stored beyond the configured capacity.</summary>
        public bool OverCapacity { get; private set; }

        public int FileLength { get { return _fileLength; } }

        /// <summary>Loads the newest sealed generation, repairs a torn tail, and rebuilds the index.</summary>
        public void Recover()
        {
            _entries.Clear();
            _liveBytes = 0;
            _unsaved = 0;
            RecoveredFromDamage = false;
            int best = -1;
            uint bestGen = 0;
            for (int i = 0; i < 2; i++)
            {
                uint gen;
                if (IsSealed(_names[i], out gen) && (best < 0 || gen > bestGen)) { best = i; bestGen = gen; }
            }
            if (best < 0)
            {
                // No complete snapshot: a first start, or damage beyond the seal. Salvage what the
                // longer file still holds rather than starting empty.
                int lengthA = _store.GetLength(_names[0]), lengthB = _store.GetLength(_names[1]);
                RecoveredFromDamage = lengthA > 0 || lengthB > 0;
                _generation = 0;
                _current = lengthA >= lengthB ? 0 : 1;
                if (RecoveredFromDamage) Load(_names[_current]);
                MarkFromPreviousBoot();
                CompactAtBoot();
                return;
            }
            _current = best;
            _generation = bestGen;
            bool clean = Load(_names[best]);
            bool otherExists = _store.GetLength(_names[1 - best]) >= 0;
            MarkFromPreviousBoot();
            if (!clean) RecoveredFromDamage = true;
            if (!clean || otherExists) CompactAtBoot();
        }

        /// <summary>
        /// Compaction at boot repairs damage, but it needs room for a second file. On a full drive it
        /// fails: then the hub goes on with the file as it is (appends after its end, damaged bytes are
        /// skipped at every load) and reports the storage fault, rather than failing every boot.
        /// </summary>
        private void CompactAtBoot()
        {
            try
            {
                Compact();
            }
            catch (StorageException ex)
            {
                StorageFailed(ex);
                RecoveredFromDamage = true;
                _store.Delete(_names[1 - _current]);
                int length = _store.GetLength(_names[_current]);
                _fileLength = length < 0 ? 0 : length;
            }
        }

        private void MarkFromPreviousBoot()
        {
            for (int i = 0; i < _entries.Count; i++) ((OutboxEntry)_entries[i]).FromPreviousBoot = true;
        }

        /// <summary>Appends a message; returns its entry. Persisted when this returns. Pass <paramref name="kind"/> only for
        /// a raised alarm that the lifecycle follows (its id and kind are then kept in memory).</summary>
        public OutboxEntry Append(byte channel, byte eventClass, byte priority, long seq, string id, string kind,
            long createdUptimeMs, long createdUtcMs, byte[] body, int bodyLength)
        {
            OutboxEntry e = new OutboxEntry();
            e.Channel = channel;
            e.EventClass = eventClass;
            e.Priority = priority;
            e.Seq = seq;
            e.CreatedUptimeMs = createdUptimeMs;
            e.CreatedUtcMs = createdUtcMs;
            e.State = OutboxState.Pending;
            e.BodyLength = bodyLength;
            if (kind != null) { e.Id = id; e.Kind = kind; }
            try
            {
                MakeRoomFor(e, false);
                e.RecordPosition = _fileLength;
                AppendRecord(EncodeEntry(e, id, kind, body, 0, bodyLength));
            }
            catch (StorageException ex)
            {
                // Flash failed: keep the message in RAM so it is still delivered while power lasts,
                // and let the hub report the storage fault.
                StorageFailed(ex);
                e.VolatileBody = new byte[bodyLength];
                System.Array.Copy(body, e.VolatileBody, bodyLength);
                e.Unsaved = true;
                _unsaved++;
                _entries.Add(e);
                return e;
            }
            _entries.Add(e);
            _liveBytes += bodyLength;
            // Compact when the file is mostly dead records, and at the latest at 1.5 × capacity, so that
            // one generation plus the next one written beside it stay within 2.5 × capacity on I:\
            // (BoardProfile sizes the capacity from that).
            if (_fileLength > 2 * _liveBytes + _capacityBytes / 2 + 4096 || _fileLength > _capacityBytes + _capacityBytes / 2) TryCompact();
            return e;
        }

        /// <summary>
        /// Adds a message kept in RAM only, replacing any earlier one of the same channel that is not yet
        /// sent. For the heartbeat: it describes the present, a stale one is worthless after a power cut,
        /// and writing 288 a day would be most of the flash budget.
        /// </summary>
        public OutboxEntry AppendVolatile(byte channel, byte priority, long seq, long createdUptimeMs, long createdUtcMs, byte[] body, int bodyLength)
        {
            for (int i = _entries.Count - 1; i >= 0; i--)
            {
                OutboxEntry old = (OutboxEntry)_entries[i];
                if (old.VolatileBody != null && !old.Unsaved && old.Channel == channel && !old.InFlight) _entries.RemoveAt(i);
            }
            OutboxEntry e = new OutboxEntry();
            e.Channel = channel;
            e.EventClass = Events.EventClass.Info;
            e.Priority = priority;
            e.Seq = seq;
            e.CreatedUptimeMs = createdUptimeMs;
            e.CreatedUtcMs = createdUtcMs;
            e.BodyLength = bodyLength;
            e.VolatileBody = new byte[bodyLength];
            System.Array.Copy(body, e.VolatileBody, bodyLength);
            _entries.Add(e);
            return e;
        }

        /// <summary>Reads the stored body (JSON without its closing members) of an entry into <paramref name="buffer"/>; returns its length.</summary>
        public int ReadBody(OutboxEntry e, ref byte[] buffer)
        {
            if (e.VolatileBody != null)
            {
                if (buffer.Length < e.BodyLength) buffer = new byte[e.BodyLength + 64];
                System.Array.Copy(e.VolatileBody, buffer, e.BodyLength);
                return e.BodyLength;
            }
            int n = e.RecordPosition < 0 ? -1 : RecordFile.ReadAt(_store, _names[_current], e.RecordPosition, _fileLength, ref _read);
            if (n < 0)
            {
                NoteDamage(e);
                if (!LastDamagedRebuilt) throw new StorageException("outbox record of " + LastDamaged + " unreadable");
                // An alarm is never lost to a flipped bit: its body is written again from what the hub
                // holds in memory, and stored again.
                int length = Rebuilder(e, ref buffer);
                ReplaceBody(e, buffer, length);
                return length;
            }
            int at = EntryFixedBytes;
            ByteCodec.GetString(_read, ref at);
            ByteCodec.GetString(_read, ref at);
            int len = n - at;
            if (buffer.Length < len) buffer = new byte[len + 64];
            System.Array.Copy(_read, at, buffer, 0, len);
            return len;
        }

        /// <summary>
        /// Stores a new body for an entry whose record no longer reads back: a fresh record with the same
        /// sequence number (state marks find it by that number; the damaged one is skipped at load). If the
        /// write fails too, the body is kept in RAM so the message still goes out while power lasts.
        /// </summary>
        public void ReplaceBody(OutboxEntry e, byte[] body, int bodyLength)
        {
            if (e.VolatileBody == null)
            {
                try
                {
                    int position = _fileLength;
                    AppendRecord(EncodeEntry(e, e.Id, e.Kind, body, 0, bodyLength));
                    _liveBytes += bodyLength - e.BodyLength;
                    e.BodyLength = bodyLength;
                    e.RecordPosition = position;
                    return;
                }
                catch (StorageException ex)
                {
                    StorageFailed(ex);
                }
                _liveBytes -= e.BodyLength; // RAM only from now: only what is on flash counts against its capacity
                e.Unsaved = true;
                _unsaved++;
            }
            e.BodyLength = bodyLength;
            e.VolatileBody = new byte[bodyLength];
            System.Array.Copy(body, e.VolatileBody, bodyLength);
        }

        /// <summary>Messages that belong on flash but are held in RAM because their write failed.</summary>
        public int UnsavedCount { get { return _unsaved; } }

        /// <summary>
        /// Writes the messages held in RAM after a failed write (a full or failing drive) to flash, alarms first, making
        /// room as for a new message (telemetry gives way to alarms); stops at the first write that fails again (not
        /// counted again: the fault is reported already). Returns how many are still unsaved. The hub calls it while
        /// any are left, so an alarm raised on a full drive is on flash, and survives a power cut, once there is room.
        /// </summary>
        public int PersistUnsaved()
        {
            if (_unsaved == 0) return 0;
            OutboxEntry[] order = new OutboxEntry[_entries.Count];
            int n = 0;
            for (int pass = 0; pass < 2; pass++)
            {
                for (int i = 0; i < _entries.Count; i++)
                {
                    OutboxEntry e = (OutboxEntry)_entries[i];
                    if (e.Unsaved && e.IsRealAlarm == (pass == 0)) order[n++] = e;
                }
            }
            for (int i = 0; i < n; i++)
            {
                OutboxEntry e = order[i];
                if (!e.Unsaved || !_entries.Contains(e)) continue; // given way meanwhile
                try
                {
                    MakeRoomFor(e, true);
                    int position = _fileLength;
                    AppendRecord(EncodeEntry(e, e.Id, e.Kind, e.VolatileBody, 0, e.BodyLength));
                    e.RecordPosition = position;
                }
                catch (StorageException)
                {
                    break;
                }
                e.VolatileBody = null;
                e.Unsaved = false;
                _unsaved--;
                _liveBytes += e.BodyLength;
            }
            return _unsaved;
        }

        public void SetState(OutboxEntry e, byte state)
        {
            if (e.State == state) return;
            if (e.VolatileBody != null)
            {
                e.State = state;
                if (state == OutboxState.Removed)
                {
                    _entries.Remove(e);
                    if (e.Unsaved)
                    {
                        e.Unsaved = false;
                        _unsaved--;
                    }
                }
                return;
            }
            _record[0] = RecMark;
            _record[1] = state;
            ByteCodec.PutInt64(_record, 2, e.Seq);
            try
            {
                AppendRecord(10);
            }
            catch (StorageException ex)
            {
                // The state change holds in RAM; after a reboot the entry may be sent once more (same id).
                StorageFailed(ex);
            }
            e.State = state;
            if (state == OutboxState.Removed)
            {
                _entries.Remove(e);
                _liveBytes -= e.BodyLength;
            }
        }

        public OutboxEntry FindAlarm(string id)
        {
            for (int i = 0; i < _entries.Count; i++)
            {
                OutboxEntry e = (OutboxEntry)_entries[i];
                if (e.Id != null && e.Id == id) return e;
            }
            return null;
        }

        /// <summary>The most important entry that waits for sending (lowest priority number, then oldest), or null.</summary>
        public OutboxEntry NextToSend()
        {
            OutboxEntry best = null;
            for (int i = 0; i < _entries.Count; i++)
            {
                OutboxEntry e = (OutboxEntry)_entries[i];
                if (e.InFlight) continue;
                if (e.State != OutboxState.Pending && !(e.ResendDue && e.State == OutboxState.Delivered)) continue;
                if (best == null || e.Priority < best.Priority) best = e;
            }
            return best;
        }

        public int CountPending()
        {
            int n = 0;
            for (int i = 0; i < _entries.Count; i++)
            {
                if (((OutboxEntry)_entries[i]).State == OutboxState.Pending) n++;
            }
            return n;
        }

        /// <summary>Storage writes that failed since start (each reported by the hub as a storage fault).</summary>
        public int WriteFailures { get; private set; }

        /// <summary>The message of the last failed write, or null.</summary>
        public string LastWriteError { get; private set; }

        private void StorageFailed(StorageException ex)
        {
            WriteFailures++;
            LastWriteError = ex.Message;
        }

        private void TryCompact()
        {
            try
            {
                Compact();
            }
            catch (StorageException ex)
            {
                StorageFailed(ex);
            }
        }

        /// <summary>Rewrites the live entries into the other generation file, then deletes the old one.</summary>
        public void Compact()
        {
            int next = 1 - _current;
            string name = _names[next];
            string old = _names[_current];
            uint gen = _generation + 1;
            _store.Delete(name);
            int length = 0;
            _record[0] = RecHeader;
            ByteCodec.PutUInt32(_record, 1, gen);
            length += AppendTo(name, 5);
            // New positions take effect only once the new file is complete: a failed compaction leaves
            // every entry pointing into the old file, which stays current.
            int[] positions = new int[_entries.Count];
            for (int i = 0; i < _entries.Count; i++)
            {
                OutboxEntry e = (OutboxEntry)_entries[i];
                if (e.VolatileBody != null) continue;
                int n = RecordFile.ReadAt(_store, old, e.RecordPosition, _fileLength, ref _read);
                if (n < 0)
                {
                    // A record damaged since it was written (a flipped bit). An alarm is repaired, or rebuilt
                    // from memory, into the new file; anything else is dropped with the old file.
                    NoteDamage(e);
                    positions[i] = -1;
                    if (!LastDamagedRebuilt) continue;
                    n = RecordFile.RepairAt(_store, old, e.RecordPosition, _fileLength, ref _read);
                }
                if (n < 0)
                {
                    int bodyLength = Rebuilder(e, ref _read);
                    n = EncodeEntry(e, e.Id, e.Kind, _read, 0, bodyLength);
                    _record[1] = e.State;
                    positions[i] = length;
                    length += AppendTo(name, n);
                    continue;
                }
                EnsureRecord(n);
                System.Array.Copy(_read, 0, _record, 0, n);
                _record[1] = e.State;
                positions[i] = length;
                length += AppendTo(name, n);
            }
            _record[0] = RecSeal;
            length += AppendTo(name, 1);
            for (int i = positions.Length - 1; i >= 0; i--)
            {
                OutboxEntry e = (OutboxEntry)_entries[i];
                if (e.VolatileBody != null) continue;
                e.RecordPosition = positions[i];
                if (positions[i] < 0)
                {
                    e.State = OutboxState.Removed;
                    _entries.RemoveAt(i);
                    _liveBytes -= e.BodyLength;
                }
            }
            _store.Delete(old);
            _current = next;
            _generation = gen;
            _fileLength = length;
        }

        /// <param name="listed">The entry is in the list already (an unsaved one being written): it does not need a place of its own.</param>
        private void MakeRoomFor(OutboxEntry incoming, bool listed)
        {
            int places = listed ? 0 : 1;
            while (_liveBytes + incoming.BodyLength > _capacityBytes || _entries.Count + places > _maxEntries)
            {
                OutboxEntry victim = null;
                for (int i = 0; i < _entries.Count; i++)
                {
                    OutboxEntry e = (OutboxEntry)_entries[i];
                    if (e.IsRealAlarm || e.InFlight || e == incoming) continue;
                    if (victim == null || e.Priority > victim.Priority) victim = e;
                }
                if (victim == null || (!incoming.IsRealAlarm && victim.Priority < incoming.Priority))
                {
                    if (incoming.IsRealAlarm) { OverCapacity = true; return; }
                    throw new StorageException(victim == null ? "outbox full of alarms; " + Describe(incoming) + " refused"
                        : "outbox full of more important messages; " + Describe(incoming) + " refused");
                }
                SetState(victim, OutboxState.Removed);
                EvictedCount++;
                if (_entries.Count + places >= _maxEntries) EvictedForEntryLimit++;
            }
            OverCapacity = false;
        }

        private void NoteDamage(OutboxEntry e)
        {
            DamagedRecords++;
            LastDamaged = e.Id != null ? e.Id : "seq " + e.Seq.ToString();
            LastDamagedRebuilt = e.IsTrackedAlarm && Rebuilder != null;
        }

        private static string Describe(OutboxEntry e)
        {
            return e.EventClass == Events.EventClass.Test ? "test alarm" : "telemetry";
        }

        private int EncodeEntry(OutboxEntry e, string id, string kind, byte[] body, int offset, int count)
        {
            EnsureRecord(EntryFixedBytes + ByteCodec.StringBytes(id) + ByteCodec.StringBytes(kind) + count);
            _record[0] = RecEntry;
            _record[1] = e.State;
            _record[2] = e.Channel;
            _record[3] = e.EventClass;
            _record[4] = e.Priority;
            ByteCodec.PutInt64(_record, 5, e.Seq);
            ByteCodec.PutInt64(_record, 13, e.CreatedUptimeMs);
            ByteCodec.PutInt64(_record, 21, e.CreatedUtcMs);
            int at = ByteCodec.PutString(_record, EntryFixedBytes, id);
            at = ByteCodec.PutString(_record, at, kind);
            System.Array.Copy(body, offset, _record, at, count);
            return at + count;
        }

        private bool Load(string name)
        {
            int length = _store.GetLength(name);
            int pos = 0;
            bool sealedSeen = false;
            bool damaged = false;
            _supersede = false;
            int validEnd = 0;
            while (pos < length)
            {
                int n = RecordFile.ReadAt(_store, name, pos, length, ref _read);
                if (n < 1 && pos == validEnd)
                {
                    // A flipped bit in a stored alarm or a state mark, where a record belongs: corrected, as there is no
                    // copy in memory to rebuild it from at boot (compaction at boot stores it intact again). A lost
                    // mark would bring back an acknowledged or closed alarm as unanswered.
                    int repaired = RecordFile.RepairAt(_store, name, pos, length, ref _read);
                    if (IsAlarmRecord(repaired) || (repaired == 10 && _read[0] == RecMark)) { n = repaired; damaged = true; _supersede = true; }
                }
                if (n < 1)
                {
                    // A torn tail or a flipped bit: skip ahead to the next intact record, so one bad
                    // record does not take the ones behind it (the CRC makes a false match negligible).
                    damaged = true;
                    pos++;
                    continue;
                }
                byte type = _read[0];
                if (type == RecSeal) sealedSeen = true;
                else if (type == RecEntry && n >= EntryFixedBytes) LoadEntry(pos, n);
                else if (type == RecMark && n >= 10) LoadMark(_read[1], ByteCodec.GetInt64(_read, 2));
                pos += n + RecordFile.Overhead;
                validEnd = pos;
            }
            _fileLength = validEnd;
            return sealedSeen && !damaged;
        }

        /// <summary>True when <see cref="_read"/> holds an entry record of <paramref name="n"/> bytes of a raised alarm (id and kind kept).</summary>
        private bool IsAlarmRecord(int n)
        {
            if (n < EntryFixedBytes + 2 || _read[0] != RecEntry) return false;
            int at = EntryFixedBytes;
            at += 1 + 2 * _read[at];
            return at < n && _read[at] > 0;
        }

        /// <summary>Set in <see cref="Load"/> once a record was repaired: that record may since have been replaced by
        /// a fresh one with the same sequence number (<see cref="ReplaceBody"/>), which then wins.</summary>
        private bool _supersede;

        private void LoadEntry(int position, int n)
        {
            OutboxEntry e = new OutboxEntry();
            e.State = _read[1];
            e.Channel = _read[2];
            e.EventClass = _read[3];
            e.Priority = _read[4];
            e.Seq = ByteCodec.GetInt64(_read, 5);
            e.CreatedUptimeMs = ByteCodec.GetInt64(_read, 13);
            e.CreatedUtcMs = ByteCodec.GetInt64(_read, 21);
            int at = EntryFixedBytes;
            string id = ByteCodec.GetString(_read, ref at);
            string kind = ByteCodec.GetString(_read, ref at);
            if (kind.Length > 0) { e.Id = id; e.Kind = kind; }
            e.BodyLength = n - at;
            e.RecordPosition = position;
            for (int i = 0; _supersede && i < _entries.Count; i++)
            {
                OutboxEntry older = (OutboxEntry)_entries[i];
                if (older.Seq != e.Seq) continue;
                _entries.RemoveAt(i);
                _liveBytes -= older.BodyLength;
                break;
            }
            if (e.State == OutboxState.Removed) return;
            _entries.Add(e);
            _liveBytes += e.BodyLength;
        }

        private void LoadMark(byte state, long seq)
        {
            for (int i = 0; i < _entries.Count; i++)
            {
                OutboxEntry e = (OutboxEntry)_entries[i];
                if (e.Seq != seq) continue;
                e.State = state;
                if (state == OutboxState.Removed)
                {
                    _entries.RemoveAt(i);
                    _liveBytes -= e.BodyLength;
                }
                return;
            }
        }

        /// <summary>True when the file holds a seal record (a complete snapshot); reads its generation from the header.</summary>
        private bool IsSealed(string name, out uint generation)
        {
            generation = 0;
            int length = _store.GetLength(name);
            int pos = 0;
            while (pos < length)
            {
                int n = RecordFile.ReadAt(_store, name, pos, length, ref _read);
                if (n < 1) { pos++; continue; }
                if (pos == 0 && n == 5 && _read[0] == RecHeader) generation = ByteCodec.GetUInt32(_read, 1);
                if (_read[0] == RecSeal) return true;
                pos += n + RecordFile.Overhead;
            }
            return false;
        }

        private void AppendRecord(int count)
        {
            _fileLength += AppendTo(_names[_current], count);
        }

        private int AppendTo(string name, int count)
        {
            if (_frame.Length < count + RecordFile.Overhead) _frame = new byte[count + RecordFile.Overhead + 64];
            int n = RecordFile.Frame(_record, 0, count, _frame);
            _store.Append(name, _frame, 0, n);
            return n;
        }

        private void EnsureRecord(int count)
        {
            if (_record.Length < count) _record = new byte[count + 64];
        }
    }
}
