namespace PingAnTong.Edge.Core.Storage
{
    /// <summary>Little-endian integers and length-prefixed ASCII/UTF-16 strings in byte buffers, for storage records.</summary>
    public static class ByteCodec
    {
        public static void PutUInt32(byte[] b, int at, uint v)
        {
            b[at] = (byte)v;
            b[at + 1] = (byte)(v >> 8);
            b[at + 2] = (byte)(v >> 16);
            b[at + 3] = (byte)(v >> 24);
        }

        public static uint GetUInt32(byte[] b, int at)
        {
            return (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));
        }

        public static void PutInt64(byte[] b, int at, long v)
        {
            PutUInt32(b, at, (uint)v);
            PutUInt32(b, at + 4, (uint)(v >> 32));
        }

        public static long GetInt64(byte[] b, int at)
        {
            return (long)GetUInt32(b, at) | ((long)GetUInt32(b, at + 4) << 32);
        }

        /// <summary>Writes a string as a 1-byte length and UTF-16 code units (2 bytes each); returns the new position.</summary>
        public static int PutString(byte[] b, int at, string s)
        {
            if (s == null) s = "";
            if (s.Length > 255) throw new StorageException("string too long for a record: " + s.Length.ToString());
            b[at++] = (byte)s.Length;
            for (int i = 0; i < s.Length; i++)
            {
                b[at++] = (byte)s[i];
                b[at++] = (byte)(s[i] >> 8);
            }
            return at;
        }

        public static string GetString(byte[] b, ref int at)
        {
            int n = b[at++];
            char[] chars = new char[n];
            for (int i = 0; i < n; i++)
            {
                chars[i] = (char)(b[at] | (b[at + 1] << 8));
                at += 2;
            }
            return new string(chars);
        }

        public static int StringBytes(string s)
        {
            return 1 + 2 * (s == null ? 0 : s.Length);
        }
    }
}
