namespace PingAnTong.Edge.Core.Json
{
    /// <summary>
    /// Text of a document as it appears in messages: names and values cut short, paths built on
    /// demand. A message must never echo a huge name or value back whole: it goes into a reply, a
    /// log line or the console, and building it must cost no more than the message itself.
    /// </summary>
    public static class JsonText
    {
        /// <summary>Longest name or value quoted in a message, in characters; longer ones end in "…".</summary>
        public const int MaxQuoteChars = 40;

        /// <summary>
        /// <paramref name="s"/> fit for a message: at most <see cref="MaxQuoteChars"/> characters
        /// (then "…"), control characters shown as '?'. Reads only the start of a long string.
        /// </summary>
        public static string Clip(string s)
        {
            if (s == null) return "";
            int length = s.Length;
            bool cut = length > MaxQuoteChars;
            int n = cut ? MaxQuoteChars : length;
            char[] c = s.ToCharArray(0, n);
            // Never split a surrogate pair: half an emoji is not text.
            if (cut && n > 0 && c[n - 1] >= 0xD800 && c[n - 1] <= 0xDBFF) n--;
            bool clean = !cut;
            for (int i = 0; i < n; i++)
            {
                if (c[i] < 0x20) { c[i] = '?'; clean = false; }
            }
            if (clean) return s;
            if (!cut) return new string(c, 0, n);
            char[] result = new char[n + 1];
            for (int i = 0; i < n; i++) result[i] = c[i];
            result[n] = '…';
            return new string(result);
        }

        /// <summary>
        /// The path of <paramref name="node"/>, or of its member <paramref name="member"/> when that
        /// is not null: "$" then ".name" or "[index]" per level, each name clipped, the whole cut to
        /// <see cref="JsonNode.MaxPathChars"/> from the front. Costs the depth, not the document.
        /// </summary>
        public static string PathOf(JsonNode node, string member)
        {
            int levels = member != null ? 1 : 0;
            JsonNode n = node;
            while (n != null && n.FixedPath == null && n.Parent != null)
            {
                levels++;
                n = n.Parent;
            }
            string[] parts = new string[levels + 1];
            parts[0] = n != null && n.FixedPath != null ? n.FixedPath : "$";
            int at = levels;
            if (member != null) parts[at--] = "." + Clip(member);
            for (n = node; at > 0; n = n.Parent)
            {
                parts[at--] = n.Parent.Kind == JsonKind.Array ? "[" + n.Index.ToString() + "]" : "." + Clip(n.Name);
            }
            string path = levels == 0 ? parts[0] : string.Concat(parts);
            int length = path.Length;
            if (length <= JsonNode.MaxPathChars) return path;
            return "$…" + path.Substring(length - (JsonNode.MaxPathChars - 2));
        }
    }
}
