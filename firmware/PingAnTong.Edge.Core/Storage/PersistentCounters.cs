namespace PingAnTong.Edge.Core.Storage
{
    /// <summary>
    /// Counters that must survive reboots so an event id never repeats: the boot counter, the MQTT
    /// session counter, and a reserved ceiling for sequence numbers. Sequence numbers are reserved in
    /// blocks of <see cref="SeqBlock"/> so the flash is written once per block, not per event; after a
    /// power cut the unused rest of a block is skipped, never reused.
    /// When the boot itself cannot be stored (failing flash), the next boot would read the same numbers
    /// and repeat ids a backend has already seen (and de-duplicates by). Then this boot's ids use a random
    /// boot number at or above <see cref="FallbackBootBase"/> (<see cref="IdBoot"/>), which no stored boot
    /// count reaches, and <see cref="BootNotStored"/> is set so the hub reports the fault.
    /// </summary>
    public sealed class PersistentCounters
    {
        public const int SeqBlock = 256;

        /// <summary>Boot numbers in ids from here up mark a boot that could not be stored.</summary>
        public const int FallbackBootBase = 1000000000;
        private readonly DualSlotFile _file;
        private long _seqCeiling;
        private readonly byte[] _buffer = new byte[24];

        public PersistentCounters(IDurableStore store)
        {
            _file = new DualSlotFile(store, "counters");
        }

        public int BootCount { get; private set; }

        /// <summary>The boot number used in event ids: <see cref="BootCount"/>, or a random fallback when it could not be stored.</summary>
        public int IdBoot { get; private set; }

        /// <summary>True when this boot's counters could not be written: ids use a fallback boot number.</summary>
        public bool BootNotStored { get; private set; }

        public int SessionCount { get; private set; }

        public long NextSeq { get; private set; }

        public bool FoundDamage { get; private set; }

        /// <summary>Loads the counters and counts this boot (persisted before anything is sent).</summary>
        public void Boot()
        {
            byte[] data = _file.Read();
            FoundDamage = _file.LastReadFoundDamage;
            if (data != null && data.Length >= 16)
            {
                BootCount = (int)ByteCodec.GetUInt32(data, 0);
                SessionCount = (int)ByteCodec.GetUInt32(data, 4);
                _seqCeiling = ByteCodec.GetInt64(data, 8);
            }
            if (FoundDamage && data != null)
            {
                // The damaged slot may have been the newer one, one write ahead: skip past what it could have held.
                BootCount++;
                _seqCeiling += SeqBlock;
            }
            else if (FoundDamage)
            {
                // Both slots lost: nothing tells which numbers were used; go on from a random boot number that no
                // stored count reaches (with room to count on).
                BootCount = FallbackBootBase + new System.Random().Next((int.MaxValue - FallbackBootBase) / 2);
            }
            BootCount++;
            NextSeq = _seqCeiling;
            _seqCeiling += SeqBlock;
            int failures = WriteFailures;
            Save();
            BootNotStored = WriteFailures != failures;
            IdBoot = BootNotStored ? FallbackBootBase + new System.Random().Next(int.MaxValue - FallbackBootBase) : BootCount;
        }

        /// <summary>Takes the next sequence number, reserving a new block on storage when needed.</summary>
        public long TakeSeq()
        {
            long seq = NextSeq++;
            if (NextSeq >= _seqCeiling)
            {
                _seqCeiling += SeqBlock;
                Save();
            }
            return seq;
        }

        /// <summary>
        /// Makes the next sequence number greater than <paramref name="seq"/>, one found in storage: after counter
        /// writes failed the stored ceiling can be behind numbers already used, and the outbox finds entries by seq.
        /// </summary>
        public void SkipPast(long seq)
        {
            if (seq < NextSeq) return;
            NextSeq = seq + 1;
            if (NextSeq < _seqCeiling) return;
            _seqCeiling = NextSeq + SeqBlock;
            Save();
        }

        /// <summary>Counts a new MQTT session (each successful connect); persisted.</summary>
        public int NewSession()
        {
            SessionCount++;
            Save();
            return SessionCount;
        }

        /// <summary>Counter writes that failed (the counters go on in RAM; the hub reports a storage fault).</summary>
        public int WriteFailures { get; private set; }

        private void Save()
        {
            ByteCodec.PutUInt32(_buffer, 0, (uint)BootCount);
            ByteCodec.PutUInt32(_buffer, 4, (uint)SessionCount);
            ByteCodec.PutInt64(_buffer, 8, _seqCeiling);
            try
            {
                _file.Write(_buffer, 0, 16);
            }
            catch (StorageException)
            {
                WriteFailures++;
            }
        }
    }
}
