namespace PingAnTong.Edge.Core.Json
{
    /// <summary>
    /// A set of names with the position each was first seen at, for duplicate checks that cost the
    /// same per name however many there are (comparing each new name with every earlier one made an
    /// object of N members cost N² comparisons). Open addressing in plain arrays (no generics, no
    /// Dictionary on nanoFramework); grows by doubling so it is never more than half full.
    /// </summary>
    public sealed class NameTable
    {
        private int[] _hashes;
        private int[] _positions; // position + 1; 0 marks a free slot
        private string[] _names;
        private int _count;

        public NameTable(int expected)
        {
            int capacity = 8;
            while (capacity < expected * 2) capacity *= 2;
            Allocate(capacity);
        }

        public int Count { get { return _count; } }

        /// <summary>FNV-1a over UTF-16 code units: cheap, and every character counts (names that differ only in the middle still spread).</summary>
        public static int Hash(char[] chars, int start, int count)
        {
            uint h = 2166136261u;
            int end = start + count;
            for (int i = start; i < end; i++)
            {
                h = (h ^ chars[i]) * 16777619u;
            }
            return (int)h;
        }

        public static int Hash(string s)
        {
            char[] c = s.ToCharArray();
            return Hash(c, 0, c.Length);
        }

        /// <summary>Adds <paramref name="name"/> at <paramref name="position"/>; when it is already there, returns its first position and adds nothing, else -1.</summary>
        public int Add(string name, int hash, int position)
        {
            int mask = _positions.Length - 1;
            int slot = hash & mask;
            while (_positions[slot] != 0)
            {
                if (_hashes[slot] == hash && _names[slot] == name) return _positions[slot] - 1;
                slot = (slot + 1) & mask;
            }
            _hashes[slot] = hash;
            _positions[slot] = position + 1;
            _names[slot] = name;
            _count++;
            if (_count * 2 > _positions.Length) Grow();
            return -1;
        }

        private void Grow()
        {
            int[] hashes = _hashes;
            int[] positions = _positions;
            string[] names = _names;
            Allocate(positions.Length * 2);
            int mask = _positions.Length - 1;
            for (int i = 0; i < positions.Length; i++)
            {
                if (positions[i] == 0) continue;
                int slot = hashes[i] & mask;
                while (_positions[slot] != 0) slot = (slot + 1) & mask;
                _hashes[slot] = hashes[i];
                _positions[slot] = positions[i];
                _names[slot] = names[i];
            }
        }

        private void Allocate(int capacity)
        {
            _hashes = new int[capacity];
            _positions = new int[capacity];
            _names = new string[capacity];
        }
    }
}
