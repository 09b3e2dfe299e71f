namespace PingAnTong.Edge.Core.Security
{
    /// <summary>PBKDF2 with HMAC-SHA256 as the pseudo-random function (RFC 8018 section 5.2).</summary>
    public static class Pbkdf2Sha256
    {
        public static byte[] Derive(byte[] password, byte[] salt, int iterations, int length)
        {
            if (iterations < 1) throw new System.ArgumentException("iterations");
            HmacSha256 prf = new HmacSha256(password, 0, password.Length);
            byte[] result = new byte[length];
            byte[] first = new byte[salt.Length + 4];
            System.Array.Copy(salt, 0, first, 0, salt.Length);
            byte[] u = new byte[HmacSha256.MacBytes];
            byte[] t = new byte[HmacSha256.MacBytes];
            int blocks = (length + HmacSha256.MacBytes - 1) / HmacSha256.MacBytes;
            for (int block = 1; block <= blocks; block++)
            {
                // U1 = PRF(P, S || INT(i)); Un = PRF(P, Un-1); T = U1 xor ... xor Uc.
                first[salt.Length] = (byte)(block >> 24);
                first[salt.Length + 1] = (byte)(block >> 16);
                first[salt.Length + 2] = (byte)(block >> 8);
                first[salt.Length + 3] = (byte)block;
                prf.Compute(first, 0, first.Length, u, 0);
                System.Array.Copy(u, t, u.Length);
                for (int n = 1; n < iterations; n++)
                {
                    prf.Compute(u, 0, u.Length, u, 0);
                    for (int i = 0; i < t.Length; i++) t[i] ^= u[i];
                }
                int at = (block - 1) * HmacSha256.MacBytes;
                int take = length - at < HmacSha256.MacBytes ? length - at : HmacSha256.MacBytes;
                System.Array.Copy(t, 0, result, at, take);
            }
            System.Array.Clear(u, 0, u.Length);
            System.Array.Clear(t, 0, t.Length);
            return result;
        }
    }
}
