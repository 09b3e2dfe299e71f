using System;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// UTF-8 as nanoFramework's Encoding.UTF8 does it (strings are UTF-8 inside nanoCLR; nanoframework/nanoFramework.System.Text@v1.3.1:
    /// UTF8Encoding calls the native conversion). Surrogate pairs become 4-byte sequences; a malformed byte
    /// sequence decodes to U+FFFD here (what nanoCLR does with one is not modelled).
    /// </summary>
    public static class Utf8
    {
        public static byte[] GetBytes(string s)
        {
            char[] chars = s.ToCharArray();
            int n = 0;
            for (int i = 0; i < chars.Length; i++)
            {
                int c = chars[i];
                if (c < 0x80) n += 1;
                else if (c < 0x800) n += 2;
                else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < chars.Length && chars[i + 1] >= 0xDC00 && chars[i + 1] <= 0xDFFF) { n += 4; i++; }
                else n += 3;
            }
            byte[] b = new byte[n];
            int o = 0;
            for (int i = 0; i < chars.Length; i++)
            {
                int c = chars[i];
                if (c < 0x80)
                {
                    b[o++] = (byte)c;
                }
                else if (c < 0x800)
                {
                    b[o++] = (byte)(0xC0 | (c >> 6));
                    b[o++] = (byte)(0x80 | (c & 0x3F));
                }
                else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < chars.Length && chars[i + 1] >= 0xDC00 && chars[i + 1] <= 0xDFFF)
                {
                    int cp = 0x10000 + ((c - 0xD800) << 10) + (chars[i + 1] - 0xDC00);
                    i++;
                    b[o++] = (byte)(0xF0 | (cp >> 18));
                    b[o++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                    b[o++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                    b[o++] = (byte)(0x80 | (cp & 0x3F));
                }
                else
                {
                    b[o++] = (byte)(0xE0 | (c >> 12));
                    b[o++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                    b[o++] = (byte)(0x80 | (c & 0x3F));
                }
            }
            return b;
        }

        public static string GetString(byte[] bytes, int index, int count)
        {
            char[] chars = new char[count * 2];
            int n = 0;
            int i = index, end = index + count;
            while (i < end)
            {
                int b0 = bytes[i];
                int need, cp;
                if (b0 < 0x80) { need = 0; cp = b0; }
                else if ((b0 & 0xE0) == 0xC0) { need = 1; cp = b0 & 0x1F; }
                else if ((b0 & 0xF0) == 0xE0) { need = 2; cp = b0 & 0x0F; }
                else if ((b0 & 0xF8) == 0xF0) { need = 3; cp = b0 & 0x07; }
                else { need = -1; cp = 0xFFFD; }
                i++;
                if (need > 0)
                {
                    if (i + need > end) { cp = 0xFFFD; i = end; }
                    else
                    {
                        for (int k = 0; k < need; k++)
                        {
                            int bk = bytes[i + k];
                            if ((bk & 0xC0) != 0x80) { cp = 0xFFFD; need = k; break; }
                            cp = (cp << 6) | (bk & 0x3F);
                        }
                        i += need;
                    }
                }
                else if (need < 0)
                {
                    cp = 0xFFFD;
                }
                if (cp >= 0x10000)
                {
                    cp -= 0x10000;
                    chars[n++] = (char)(0xD800 + (cp >> 10));
                    chars[n++] = (char)(0xDC00 + (cp & 0x3FF));
                }
                else
                {
                    chars[n++] = (char)cp;
                }
            }
            return new string(chars, 0, n);
        }
    }

    /// <summary>What Encoding.UTF8 returns on the virtual device.</summary>
    internal sealed class Utf8Encoding : System.Text.Encoding
    {
    }
}
