namespace PingAnTong.Edge.Core.Security
{
    /// <summary>Bytes as lower-case hex digits and back (signatures, keys, PIN verifiers).</summary>
    public static class HexBytes
    {
        private const string Digits = "0123456789abcdef";

        public static string Encode(byte[] bytes, int offset, int count)
        {
            char[] digits = Digits.ToCharArray();
            char[] c = new char[count * 2];
            for (int i = 0; i < count; i++)
            {
                int b = bytes[offset + i];
                c[i * 2] = digits[b >> 4];
                c[i * 2 + 1] = digits[b & 15];
            }
            return new string(c);
        }

        /// <summary>
        /// Decodes <paramref name="count"/> hex digits (either case) starting at <paramref name="offset"/> of
        /// <paramref name="text"/> (ASCII bytes); null when the count is odd or any byte is not a hex digit.
        /// </summary>
        public static byte[] Decode(byte[] text, int offset, int count)
        {
            if ((count & 1) != 0) return null;
            byte[] result = new byte[count / 2];
            for (int i = 0; i < result.Length; i++)
            {
                int hi = Value(text[offset + 2 * i]);
                int lo = Value(text[offset + 2 * i + 1]);
                if (hi < 0 || lo < 0)
                {
                    System.Array.Clear(result, 0, result.Length);
                    return null;
                }
                result[i] = (byte)((hi << 4) | lo);
            }
            return result;
        }

        /// <summary>The value of one hex digit (0-9, a-f, A-F), or -1.</summary>
        public static int Value(int c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }
    }
}
