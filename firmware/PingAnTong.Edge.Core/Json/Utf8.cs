namespace PingAnTong.Edge.Core.Json
{
    /// <summary>UTF-8 encoding and decoding for text outside JSON documents (console lines); nanoFramework's Encoding is a separate package the core does not use.</summary>
    public static class Utf8
    {
        /// <summary>
        /// Encodes <paramref name="s"/>. The characters are taken once with ToCharArray: nanoCLR keeps
        /// strings as UTF-8, so <c>s[i]</c> re-scans the string and is wrong after a surrogate pair.
        /// </summary>
        public static byte[] Encode(string s)
        {
            char[] chars = s.ToCharArray();
            int length = chars.Length;
            int n = 0;
            for (int i = 0; i < length; i++)
            {
                char c = chars[i];
                if (c < 0x80) n += 1;
                else if (c < 0x800) n += 2;
                else if (IsHigh(c) && i + 1 < length && IsLow(chars[i + 1])) { n += 4; i++; }
                else n += 3;
            }
            byte[] b = new byte[n];
            int at = 0;
            for (int i = 0; i < length; i++)
            {
                int c = chars[i];
                if (c < 0x80) b[at++] = (byte)c;
                else if (c < 0x800) { b[at++] = (byte)(0xC0 | (c >> 6)); b[at++] = (byte)(0x80 | (c & 0x3F)); }
                else if (IsHigh(chars[i]) && i + 1 < length && IsLow(chars[i + 1]))
                {
                    int cp = 0x10000 + ((c - 0xD800) << 10) + (chars[i + 1] - 0xDC00);
                    i++;
                    b[at++] = (byte)(0xF0 | (cp >> 18));
                    b[at++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                    b[at++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                    b[at++] = (byte)(0x80 | (cp & 0x3F));
                }
                else { b[at++] = (byte)(0xE0 | (c >> 12)); b[at++] = (byte)(0x80 | ((c >> 6) & 0x3F)); b[at++] = (byte)(0x80 | (c & 0x3F)); }
            }
            return b;
        }

        private static bool IsHigh(char c) { return c >= 0xD800 && c <= 0xDBFF; }

        private static bool IsLow(char c) { return c >= 0xDC00 && c <= 0xDFFF; }

        /// <summary>Decodes UTF-8; malformed sequences become U+FFFD.</summary>
        public static string Decode(byte[] b, int offset, int count)
        {
            char[] chars = new char[count * 2];
            int n = 0;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                int x = b[i];
                int cp, more;
                if (x < 0x80) { chars[n++] = (char)x; continue; }
                if ((x & 0xE0) == 0xC0) { cp = x & 0x1F; more = 1; }
                else if ((x & 0xF0) == 0xE0) { cp = x & 0x0F; more = 2; }
                else if ((x & 0xF8) == 0xF0) { cp = x & 0x07; more = 3; }
                else { chars[n++] = (char)0xFFFD; continue; }
                if (i + more >= end) { chars[n++] = (char)0xFFFD; break; }
                bool ok = true;
                for (int k = 1; k <= more; k++)
                {
                    if ((b[i + k] & 0xC0) != 0x80) { ok = false; break; }
                    cp = (cp << 6) | (b[i + k] & 0x3F);
                }
                if (!ok) { chars[n++] = (char)0xFFFD; continue; }
                i += more;
                if (cp >= 0x10000)
                {
                    cp -= 0x10000;
                    chars[n++] = (char)(0xD800 + (cp >> 10));
                    chars[n++] = (char)(0xDC00 + (cp & 0x3FF));
                }
                else chars[n++] = (char)cp;
            }
            return new string(chars, 0, n);
        }
    }
}
