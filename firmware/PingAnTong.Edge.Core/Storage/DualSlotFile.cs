namespace PingAnTong.Edge.Core.Storage
{
    /// <summary>
    /// A small value (counters, the last good config) kept in two files, <c>name.a</c> and
    /// <c>name.b</c>, each one framed record with a generation number. A write replaces the older
    /// slot (delete, then append); a power cut at any point leaves the other slot intact, so a
    /// read always returns either the old or the new value.
    /// </summary>
    public sealed class DualSlotFile
    {
        private readonly IDurableStore _store;
        private readonly string _slotA;
        private readonly string _slotB;
        private uint _generation;
        private bool _lastWasA;
        private byte[] _scratch = new byte[64];

        public DualSlotFile(IDurableStore store, string name)
        {
            _store = store;
            _slotA = name + ".a";
            _slotB = name + ".b";
        }

        /// <summary>True when the last <see cref="Read"/> found a slot that was damaged or torn (the other was used).</summary>
        public bool LastReadFoundDamage { get; private set; }

        /// <summary>Reads the newest valid value, or null when neither slot holds one.</summary>
        public byte[] Read()
        {
            uint genA, genB;
            byte[] a = ReadSlot(_slotA, out genA);
            byte[] b = ReadSlot(_slotB, out genB);
            LastReadFoundDamage = (a == null && _store.GetLength(_slotA) > 0) || (b == null && _store.GetLength(_slotB) > 0);
            if (a == null && b == null) { _generation = 0; _lastWasA = false; return null; }
            if (b == null || (a != null && genA > genB)) { _generation = genA; _lastWasA = true; return a; }
            _generation = genB;
            _lastWasA = false;
            return b;
        }

        public void Write(byte[] data, int offset, int count)
        {
            if (_generation == 0) Read();
            uint gen = _generation + 1;
            string slot = _lastWasA ? _slotB : _slotA;
            byte[] payload = new byte[count + 4];
            ByteCodec.PutUInt32(payload, 0, gen);
            System.Array.Copy(data, offset, payload, 4, count);
            byte[] frame = new byte[payload.Length + RecordFile.Overhead];
            int n = RecordFile.Frame(payload, 0, payload.Length, frame);
            _store.Delete(slot);
            _store.Append(slot, frame, 0, n);
            _generation = gen;
            _lastWasA = !_lastWasA;
        }

        /// <summary>Deletes both slots: the next <see cref="Read"/> returns null. A power cut between the two deletes
        /// leaves one slot, read as the value (callers treat a stale value as harmless).</summary>
        public void Clear()
        {
            _store.Delete(_slotA);
            _store.Delete(_slotB);
            _generation = 0;
            _lastWasA = false;
        }

        private byte[] ReadSlot(string slot, out uint generation)
        {
            generation = 0;
            int length = _store.GetLength(slot);
            if (length <= 0) return null;
            int count = RecordFile.ReadAt(_store, slot, 0, length, ref _scratch);
            if (count < 4) return null;
            generation = ByteCodec.GetUInt32(_scratch, 0);
            byte[] value = new byte[count - 4];
            System.Array.Copy(_scratch, 4, value, 0, count - 4);
            return value;
        }
    }
}
