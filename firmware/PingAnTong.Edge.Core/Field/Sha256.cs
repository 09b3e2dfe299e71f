namespace PingAnTong.Edge.Core.Field
{
    /// <summary>
    /// SHA-256 (FIPS 180-4): nanoFramework 1.x's base library has no hash functions. <see cref="Hash"/> for
    /// whole messages; <see cref="Start"/>, <see cref="Compress"/> and <see cref="Finish"/> let HMAC
    /// (<see cref="Security.HmacSha256"/>) continue from precomputed pad states without allocating.
    /// </summary>
    public static class Sha256
    {
        public const int BlockBytes = 64;
        public const int HashBytes = 32;

        private static readonly uint[] K =
        {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
        };

        public static byte[] Hash(byte[] data, int offset, int count)
        {
            uint[] h = new uint[8];
            Start(h);
            byte[] result = new byte[HashBytes];
            Finish(h, 0, data, offset, count, new byte[BlockBytes], new uint[64], result, 0);
            return result;
        }

        /// <summary>Sets <paramref name="h"/> to the initial hash value.</summary>
        public static void Start(uint[] h)
        {
            h[0] = 0x6a09e667; h[1] = 0xbb67ae85; h[2] = 0x3c6ef372; h[3] = 0xa54ff53a;
            h[4] = 0x510e527f; h[5] = 0x9b05688c; h[6] = 0x1f83d9ab; h[7] = 0x5be0cd19;
        }

        /// <summary>
        /// Hashes the rest of a message: <paramref name="count"/> bytes after <paramref name="bytesBefore"/> bytes
        /// (a multiple of 64) already compressed into <paramref name="h"/>; pads and writes the 32-byte digest to
        /// <paramref name="output"/>. <paramref name="block"/> (64 bytes) and <paramref name="w"/> (64 words) are
        /// scratch. The input is read completely before the output is written, so they may be the same array.
        /// </summary>
        public static void Finish(uint[] h, long bytesBefore, byte[] data, int offset, int count, byte[] block, uint[] w, byte[] output, int outOffset)
        {
            int at = offset;
            int end = offset + count;
            while (end - at >= BlockBytes)
            {
                Compress(h, data, at, w);
                at += BlockBytes;
            }
            int rest = end - at;
            System.Array.Copy(data, at, block, 0, rest);
            block[rest] = 0x80;
            for (int i = rest + 1; i < BlockBytes; i++) block[i] = 0;
            if (rest >= BlockBytes - 8)
            {
                Compress(h, block, 0, w);
                for (int i = 0; i < BlockBytes; i++) block[i] = 0;
            }
            long bits = (bytesBefore + count) * 8;
            for (int i = 0; i < 8; i++) block[BlockBytes - 1 - i] = (byte)(bits >> (8 * i));
            Compress(h, block, 0, w);
            for (int i = 0; i < 8; i++)
            {
                output[outOffset + i * 4] = (byte)(h[i] >> 24);
                output[outOffset + i * 4 + 1] = (byte)(h[i] >> 16);
                output[outOffset + i * 4 + 2] = (byte)(h[i] >> 8);
                output[outOffset + i * 4 + 3] = (byte)h[i];
            }
        }

        /// <summary>One 64-byte block at <paramref name="at"/> into the state <paramref name="h"/>; <paramref name="w"/> is 64 words of scratch.</summary>
        public static void Compress(uint[] h, byte[] m, int at, uint[] w)
        {
            for (int t = 0; t < 16; t++)
            {
                int i = at + t * 4;
                w[t] = ((uint)m[i] << 24) | ((uint)m[i + 1] << 16) | ((uint)m[i + 2] << 8) | m[i + 3];
            }
            for (int t = 16; t < 64; t++)
            {
                uint x = w[t - 15], y = w[t - 2];
                uint s0 = ((x >> 7) | (x << 25)) ^ ((x >> 18) | (x << 14)) ^ (x >> 3);
                uint s1 = ((y >> 17) | (y << 15)) ^ ((y >> 19) | (y << 13)) ^ (y >> 10);
                w[t] = unchecked(w[t - 16] + s0 + w[t - 7] + s1);
            }
            uint a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
            for (int t = 0; t < 64; t++)
            {
                // Rotations written out: a call per rotation costs the interpreter more than the arithmetic.
                uint t1 = unchecked(hh + (((e >> 6) | (e << 26)) ^ ((e >> 11) | (e << 21)) ^ ((e >> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[t] + w[t]);
                uint t2 = unchecked((((a >> 2) | (a << 30)) ^ ((a >> 13) | (a << 19)) ^ ((a >> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c)));
                hh = g; g = f; f = e; e = unchecked(d + t1); d = c; c = b; b = a; a = unchecked(t1 + t2);
            }
            h[0] = unchecked(h[0] + a); h[1] = unchecked(h[1] + b); h[2] = unchecked(h[2] + c); h[3] = unchecked(h[3] + d);
            h[4] = unchecked(h[4] + e); h[5] = unchecked(h[5] + f); h[6] = unchecked(h[6] + g); h[7] = unchecked(h[7] + hh);
        }

        /// <summary>
        /// Lower-case hex of SHA-256(salt + ":" + pin): the legacy form of console.pinHash (no console.pinKdf),
        /// accepted only so that hubs provisioned before PBKDF2 keep their PIN; see <see cref="Security.PinVerifier"/>.
        /// </summary>
        public static string PinHash(string salt, string pin)
        {
            string s = salt + ":" + pin;
            char[] chars = s.ToCharArray();
            byte[] bytes = new byte[chars.Length];
            for (int i = 0; i < chars.Length; i++) bytes[i] = (byte)chars[i]; // salt and PIN are ASCII (validated)
            return Hex(Hash(bytes, 0, bytes.Length));
        }

        public static string Hex(byte[] bytes)
        {
            return Security.HexBytes.Encode(bytes, 0, bytes.Length);
        }
    }
}
