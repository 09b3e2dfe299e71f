namespace PingAnTong.Edge.Core.Security
{
    /// <summary>
    /// How a command is signed (docs/mqtt-contract.md, "Signed commands"). The backend serialises the command
    /// with its <c>issuedAt</c>, without <c>sig</c>, to UTF-8 bytes B (any layout; B ends with its closing
    /// <c>}</c>), computes MAC = HMAC-SHA256(key, "pat-cmd-v1\n" + hubId + "\n" + B) and publishes B with its
    /// closing brace replaced by <c>,"sig":"</c> + 64 lower-case hex digits of MAC + <c>"}</c>. The hub takes
    /// the payload apart the same way: the bytes before <c>,"sig":"</c>, plus <c>}</c>, are B. No JSON
    /// canonicalisation is needed on either side: the MAC covers the bytes as sent.
    /// </summary>
    public static class CommandSignature
    {
        public const string Scheme = "pat-cmd-v1";
        public const int SigHexDigits = 2 * HmacSha256.MacBytes;

        /// <summary>",\"sig\":\"" as bytes.</summary>
        private static readonly byte[] Marker = { (byte)',', (byte)'"', (byte)'s', (byte)'i', (byte)'g', (byte)'"', (byte)':', (byte)'"' };

        /// <summary>
        /// Where the signature member starts (the comma of <c>,"sig":"</c>) when the payload ends with exactly
        /// <c>,"sig":"</c> + 64 hex digits + <c>"}</c> (then optional spaces or line ends); otherwise -1.
        /// </summary>
        public static int FindSignature(byte[] payload, int length)
        {
            int end = length;
            while (end > 0 && (payload[end - 1] == ' ' || payload[end - 1] == '\t' || payload[end - 1] == '\r' || payload[end - 1] == '\n')) end--;
            int at = end - 2 - SigHexDigits - Marker.Length;
            if (at < 1 || payload[end - 1] != '}' || payload[end - 2] != '"') return -1;
            for (int i = 0; i < Marker.Length; i++) if (payload[at + i] != Marker[i]) return -1;
            for (int i = 0; i < SigHexDigits; i++) if (HexBytes.Value(payload[at + Marker.Length + i]) < 0) return -1;
            return at;
        }

        /// <summary>True when the signature found at <paramref name="sigAt"/> (see <see cref="FindSignature"/>) is the key's MAC of the payload.</summary>
        public static bool Verify(HmacSha256 key, string hubId, byte[] payload, int sigAt)
        {
            byte[] expected = HexBytes.Decode(payload, sigAt + Marker.Length, SigHexDigits);
            if (expected == null) return false;
            byte[] actual = Mac(key, hubId, payload, sigAt);
            return HmacSha256.FixedTimeEquals(expected, 0, actual, 0, HmacSha256.MacBytes);
        }

        /// <summary>
        /// Signs a command as the backend does: <paramref name="body"/> is the command's UTF-8 JSON with issuedAt
        /// and without sig, ending with its closing brace. Returns the payload to publish.
        /// </summary>
        public static byte[] Sign(HmacSha256 key, string hubId, byte[] body, int length)
        {
            if (length < 2 || body[length - 1] != '}') throw new System.ArgumentException("the command must end with its closing brace");
            int open = length - 1;
            byte[] mac = Mac(key, hubId, body, open);
            byte[] payload = new byte[open + Marker.Length + SigHexDigits + 2];
            System.Array.Copy(body, 0, payload, 0, open);
            System.Array.Copy(Marker, 0, payload, open, Marker.Length);
            char[] hex = HexBytes.Encode(mac, 0, mac.Length).ToCharArray();
            for (int i = 0; i < hex.Length; i++) payload[open + Marker.Length + i] = (byte)hex[i];
            payload[payload.Length - 2] = (byte)'"';
            payload[payload.Length - 1] = (byte)'}';
            return payload;
        }

        /// <summary>The MAC over "pat-cmd-v1\n" + hubId + "\n" + the first <paramref name="count"/> bytes of the payload + "}".</summary>
        private static byte[] Mac(HmacSha256 key, string hubId, byte[] payload, int count)
        {
            byte[] id = Json.Utf8.Encode(hubId);
            char[] scheme = Scheme.ToCharArray();
            byte[] input = new byte[scheme.Length + 1 + id.Length + 1 + count + 1];
            int at = 0;
            for (int i = 0; i < scheme.Length; i++) input[at++] = (byte)scheme[i];
            input[at++] = (byte)'\n';
            System.Array.Copy(id, 0, input, at, id.Length);
            at += id.Length;
            input[at++] = (byte)'\n';
            System.Array.Copy(payload, 0, input, at, count);
            at += count;
            input[at] = (byte)'}';
            return key.Compute(input, 0, input.Length);
        }
    }
}
