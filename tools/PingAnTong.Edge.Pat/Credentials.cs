using System.Security.Cryptography;
using System.Text;

namespace PingAnTong.Edge.Pat;

/// <summary>
/// The secrets pat makes and their hashes. Every secret and every salt comes from the operating system's
/// CSPRNG (<see cref="RandomNumberGenerator"/>), fresh for each hub and each run: none is derived from a
/// hub id, a batch, a clock or another secret, so no two hubs and no two batches share one.
/// </summary>
public static class Credentials
{
    /// <summary>MQTT passwords: 24 random bytes (192 bits), base64url without padding (32 characters).</summary>
    public const int PasswordBytes = 24;

    /// <summary>Installer PINs: 8 random decimal digits, one per hub.</summary>
    public const int PinDigits = 8;

    /// <summary>PBKDF2-HMAC-SHA256 iterations for the installer PIN's verifier (console.pinIterations).</summary>
    public const int PinIterations = PingAnTong.Edge.Core.Security.PinVerifier.Iterations;

    /// <summary>The KDF name written to console.pinKdf.</summary>
    public const string PinKdf = "pbkdf2-sha256";

    /// <summary>PBKDF2-HMAC-SHA512 iterations in Mosquitto's password file. Mosquitto 2.0's own tool uses 101;
    /// the passwords are 192-bit random, so the count only adds broker CPU per CONNECT (a reconnect storm
    /// of every hub after an outage), not safety. 1,000 is about 1 ms per CONNECT on one server core.</summary>
    public const int MosquittoIterations = 1_000;

    public static string NewPassword() => Base64Url(RandomNumberGenerator.GetBytes(PasswordBytes));

    public static string NewPin()
    {
        var digits = new char[PinDigits];
        for (int i = 0; i < digits.Length; i++) digits[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        return new string(digits);
    }

    /// <summary>16 random bytes as 32 lower-case hex digits (console.pinSalt).</summary>
    /// <summary>A hub's command key: 32 bytes from the CSPRNG as 64 lower-case hex digits (the hub's security.commandKeyFile).</summary>
    public static string NewCommandKey() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    public static string NewSalt() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    /// <summary>
    /// console.pinHash in the pbkdf2-sha256 format: lower-case hex of PBKDF2-HMAC-SHA256 with the PIN's ASCII
    /// bytes as the password, the ASCII bytes of the pinSalt string (as written in the config) as the salt,
    /// <paramref name="iterations"/> iterations and 32 bytes of output (RFC 8018, section 5.2).
    /// </summary>
    public static string PinHashPbkdf2(string salt, string pin, int iterations) =>
        Convert.ToHexString(Rfc2898DeriveBytes.Pbkdf2(Encoding.ASCII.GetBytes(pin), Encoding.ASCII.GetBytes(salt), iterations, HashAlgorithmName.SHA256, 32)).ToLowerInvariant();

    /// <summary>
    /// A Mosquitto 2.0 password-file hash, the format mosquitto_passwd writes by default:
    /// <c>$7$ITERATIONS$base64(salt)$base64(PBKDF2-HMAC-SHA512(password, salt, ITERATIONS, 64 bytes))</c>
    /// with a 12-byte random salt.
    /// </summary>
    public static string MosquittoHash(string password, int iterations = MosquittoIterations)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(12);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, 64);
        return $"$7${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Checks a password against a <see cref="MosquittoHash"/> line's hash (for tests and audits).</summary>
    public static bool MosquittoVerify(string password, string hash)
    {
        var parts = hash.Split('$');
        if (parts.Length != 5 || parts[1] != "7" || !int.TryParse(parts[2], out int iterations)) return false;
        byte[] expected = Convert.FromBase64String(parts[4]);
        byte[] actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(parts[3]), iterations, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
