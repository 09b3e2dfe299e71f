using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Field;
using PingAnTong.Edge.Core.Json;

namespace PingAnTong.Edge.Core.Security
{
    /// <summary>
    /// Checks the installer PIN typed on the console against the config's verifier, never storing the PIN.
    /// The format (docs/security-core.md, "Installer PIN"): <c>console.pinKdf</c> "pbkdf2-sha256",
    /// <c>console.pinIterations</c> N, <c>console.pinSalt</c> S (printable ASCII) and <c>console.pinHash</c> =
    /// 64 lower-case hex digits of PBKDF2-HMAC-SHA256(password = the PIN's UTF-8 bytes, salt = the ASCII bytes
    /// of S as written, N iterations, 32 bytes). Without <c>pinKdf</c> the hash is the legacy salted SHA-256
    /// of "S:PIN", still accepted so that hubs provisioned before PBKDF2 keep their PIN (migration only).
    /// </summary>
    public static class PinVerifier
    {
        public const string Kdf = "pbkdf2-sha256";

        /// <summary>
        /// The count pat provision writes: about 1.2 s on an ESP32 at 240 MHz. Measured 1.2 µs per iteration on
        /// .NET (tools/PingAnTong.Edge.Bench, section "pin": two SHA-256 compressions), times the assumed
        /// 1000-fold slowdown of nanoFramework's interpreter (docs/security-core.md). The check runs on the hub
        /// loop, so the count is also how long a PIN check holds the loop up.
        /// </summary>
        public const int Iterations = 1000;

        /// <summary>Below this a verifier is not worth the name (1000 times the cost of the legacy hash).</summary>
        public const int MinIterations = 1000;

        /// <summary>Above this a check would hold the hub loop for more than about 2.5 s on the device (an SOS press waits that long for its indication).</summary>
        public const int MaxIterations = 2000;

        /// <summary>True when <paramref name="pin"/> matches the verifier in <paramref name="c"/> (false when the config has none).</summary>
        public static bool Check(HubConfig c, string pin)
        {
            if (c.ConsolePinHash == null || c.ConsolePinSalt == null || pin == null) return false;
            byte[] expected = HexBytes.Decode(Ascii(c.ConsolePinHash), 0, c.ConsolePinHash.Length);
            if (expected == null || expected.Length != Sha256.HashBytes) return false;
            byte[] actual;
            if (c.ConsolePinKdf == Kdf)
            {
                byte[] password = Utf8.Encode(pin);
                actual = Pbkdf2Sha256.Derive(password, Ascii(c.ConsolePinSalt), c.ConsolePinIterations, Sha256.HashBytes);
                System.Array.Clear(password, 0, password.Length);
            }
            else
            {
                byte[] legacy = Utf8.Encode(c.ConsolePinSalt + ":" + pin);
                actual = Sha256.Hash(legacy, 0, legacy.Length);
                System.Array.Clear(legacy, 0, legacy.Length);
            }
            return HmacSha256.FixedTimeEquals(expected, 0, actual, 0, Sha256.HashBytes);
        }

        /// <summary>The verifier pat provision writes to console.pinHash for <paramref name="pin"/> (tests and tools).</summary>
        public static string Hash(string salt, string pin, int iterations)
        {
            byte[] dk = Pbkdf2Sha256.Derive(Utf8.Encode(pin), Ascii(salt), iterations, Sha256.HashBytes);
            return HexBytes.Encode(dk, 0, dk.Length);
        }

        /// <summary>ASCII bytes of text already validated as printable ASCII.</summary>
        private static byte[] Ascii(string s)
        {
            char[] chars = s.ToCharArray();
            byte[] b = new byte[chars.Length];
            for (int i = 0; i < chars.Length; i++) b[i] = (byte)chars[i];
            return b;
        }
    }
}
