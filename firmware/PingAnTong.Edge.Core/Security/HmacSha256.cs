using PingAnTong.Edge.Core.Field;

namespace PingAnTong.Edge.Core.Security
{
    /// <summary>
    /// HMAC-SHA256 (RFC 2104, FIPS 198-1) in managed code: nanoFramework 1.x's mscorlib has none. The key
    /// is folded into the SHA-256 states after the inner and outer pad blocks when the object is made and
    /// is not kept, so one MAC costs the message's blocks plus two (each 32-byte PBKDF2 round costs two
    /// compressions) and allocates nothing. An instance holds scratch buffers: one thread at a time.
    /// </summary>
    public sealed class HmacSha256
    {
        public const int MacBytes = Sha256.HashBytes;

        private readonly uint[] _innerStart = new uint[8];
        private readonly uint[] _outerStart = new uint[8];
        private readonly uint[] _h = new uint[8];
        private readonly uint[] _w = new uint[64];
        private readonly byte[] _block = new byte[Sha256.BlockBytes];
        private readonly byte[] _innerHash = new byte[MacBytes];

        public HmacSha256(byte[] key)
            : this(key, 0, key.Length)
        {
        }

        public HmacSha256(byte[] key, int offset, int count)
        {
            // A key longer than the block is replaced by its hash (RFC 2104 section 2).
            byte[] k = new byte[Sha256.BlockBytes];
            if (count > Sha256.BlockBytes)
            {
                byte[] hashed = Sha256.Hash(key, offset, count);
                System.Array.Copy(hashed, 0, k, 0, hashed.Length);
                System.Array.Clear(hashed, 0, hashed.Length);
            }
            else
            {
                System.Array.Copy(key, offset, k, 0, count);
            }
            for (int i = 0; i < k.Length; i++) _block[i] = (byte)(k[i] ^ 0x36);
            Sha256.Start(_innerStart);
            Sha256.Compress(_innerStart, _block, 0, _w);
            for (int i = 0; i < k.Length; i++) _block[i] = (byte)(k[i] ^ 0x5c);
            Sha256.Start(_outerStart);
            Sha256.Compress(_outerStart, _block, 0, _w);
            System.Array.Clear(k, 0, k.Length);
            System.Array.Clear(_block, 0, _block.Length);
        }

        public byte[] Compute(byte[] data, int offset, int count)
        {
            byte[] mac = new byte[MacBytes];
            Compute(data, offset, count, mac, 0);
            return mac;
        }

        /// <summary>Writes the 32-byte MAC of the data to <paramref name="mac"/>; the data may be the output (PBKDF2 rounds).</summary>
        public void Compute(byte[] data, int offset, int count, byte[] mac, int macOffset)
        {
            System.Array.Copy(_innerStart, _h, 8);
            Sha256.Finish(_h, Sha256.BlockBytes, data, offset, count, _block, _w, _innerHash, 0);
            System.Array.Copy(_outerStart, _h, 8);
            Sha256.Finish(_h, Sha256.BlockBytes, _innerHash, 0, MacBytes, _block, _w, mac, macOffset);
        }

        /// <summary>
        /// Compares in time that depends only on <paramref name="count"/>, not on where the bytes differ, so a
        /// signature cannot be guessed byte by byte from how fast it is refused.
        /// </summary>
        public static bool FixedTimeEquals(byte[] a, int aOffset, byte[] b, int bOffset, int count)
        {
            int diff = 0;
            for (int i = 0; i < count; i++) diff |= a[aOffset + i] ^ b[bOffset + i];
            return diff == 0;
        }
    }
}
