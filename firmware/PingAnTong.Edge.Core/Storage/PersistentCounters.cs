namespace PingAnTong.Edge.Core.Storage
{
    /// <summary>
    /// Counters that must survive reboots so an event id never repeats: the boot counter, the MQTT
    /// session counter, and a reserved ceiling for sequence numbers. Sequence numbers are reserved in
    /// blocks of <see cref="SeqBlock"/> so the flash is written once per block, not per event; after a
    /// power cut the unused rest of a block is skipped, never reused.
    /// </summary>
    public sealed class PersistentCounters
    {
        public const int SeqBlock = 256;
        private readonly DualSlotFile _file;
        private long _seqCeiling;
        private readonly byte[] _buffer = new byte[24];

        public PersistentCounters(IDurableStore store)
        {
            _file = new DualSlotFile(store, "counters");
        }

        public int BootCount { get; private set; }

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
            BootCount++;
            NextSeq = _seqCeiling;
            _seqCeiling += SeqBlock;
            Save();
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
