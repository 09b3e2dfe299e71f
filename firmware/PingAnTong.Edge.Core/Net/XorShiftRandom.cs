namespace PingAnTong.Edge.Core.Net
{
    /// <summary>A small deterministic PRNG (xorshift32) for reconnect jitter: seeded per hub and boot so
    /// 50,000 hubs do not reconnect in step after a broker outage, and tests are repeatable.</summary>
    public sealed class XorShiftRandom
    {
        private uint _state;

        public XorShiftRandom(uint seed)
        {
            _state = seed == 0 ? 2463534242u : seed;
        }

        public uint Next()
        {
            uint x = _state;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            _state = x;
            return x;
        }

        /// <summary>Uniform integer in [min, max].</summary>
        public long Between(long min, long max)
        {
            if (max <= min) return min;
            return min + (long)(Next() % (uint)(max - min + 1));
        }

        /// <summary>FNV-1a hash of a text, for seeds and per-hub offsets.</summary>
        public static uint Hash(string s)
        {
            uint h = 2166136261u;
            for (int i = 0; i < s.Length; i++)
            {
                h ^= s[i];
                h *= 16777619u;
            }
            return h;
        }
    }
}
