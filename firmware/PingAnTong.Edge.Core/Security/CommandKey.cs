namespace PingAnTong.Edge.Core.Security
{
    /// <summary>
    /// The per-hub command key, from the file <c>security.commandKeyFile</c> names: 32 to 64 bytes written as
    /// 64 to 128 hex digits (pat writes 32 random bytes, 64 digits); spaces and line ends around them are
    /// ignored. The file's bytes are wiped once read and only the HMAC's pad states are kept; problems name
    /// the file, never its contents.
    /// </summary>
    public static class CommandKey
    {
        public const int MinBytes = 32;
        public const int MaxBytes = 64;

        /// <summary>The MAC keyed by the file's key, or null with <paramref name="problem"/> saying why.</summary>
        public static HmacSha256 FromFile(string file, byte[] contents, out string problem)
        {
            problem = null;
            if (contents == null)
            {
                problem = "command key file " + file + " is missing or unreadable; deploy it (pat provision writes it)";
                return null;
            }
            int start = 0, end = contents.Length;
            while (start < end && IsSpace(contents[start])) start++;
            while (end > start && IsSpace(contents[end - 1])) end--;
            byte[] key = HexBytes.Decode(contents, start, end - start);
            System.Array.Clear(contents, 0, contents.Length);
            if (key == null || key.Length < MinBytes || key.Length > MaxBytes)
            {
                if (key != null) System.Array.Clear(key, 0, key.Length);
                problem = "command key file " + file + " must hold " + (2 * MinBytes).ToString() + " to " + (2 * MaxBytes).ToString() + " hex digits and nothing else";
                return null;
            }
            HmacSha256 mac = new HmacSha256(key, 0, key.Length);
            System.Array.Clear(key, 0, key.Length);
            return mac;
        }

        private static bool IsSpace(byte b)
        {
            return b == ' ' || b == '\t' || b == '\r' || b == '\n';
        }
    }
}
