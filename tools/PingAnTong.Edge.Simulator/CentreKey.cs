using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Security;

namespace PingAnTong.Edge.Simulator;

/// <summary>
/// A command key of the simulator: the one its hub is deployed with (<see cref="For"/>), as pat provision gives
/// one to a real hub: a file given with --command-key-file, else the file the config names
/// (security.commandKeyFile) when it exists, else a new random key for this run, kept in memory only; and the
/// one the stand-in centre signs with: that same key, or the hub's row of the backend's command-keys.csv
/// (<see cref="FromKeysCsv"/>). <see cref="Sign"/> signs a command the way docs/mqtt-contract.md ("Signed
/// commands") specifies. Problems name the file, never the key.
/// </summary>
public sealed class CentreKey
{
    private readonly HmacSha256 _mac;
    private readonly byte[] _fileBytes;
    private readonly string _keyHex; // normalised, to tell whether the hub and the centre hold the same key

    private CentreKey(string file, byte[] fileBytes, bool fromDisk, string source)
    {
        File = file;
        FromDisk = fromDisk;
        Source = source;
        _fileBytes = fileBytes;
        _keyHex = Encoding.ASCII.GetString(fileBytes).Trim().ToLowerInvariant();
        _mac = CommandKey.FromFile(source, (byte[])fileBytes.Clone(), out string problem) ?? throw new ArgumentException(problem);
    }

    /// <summary>The path the config names (where a device would find its key).</summary>
    public string File { get; }

    /// <summary>True when the hub reads the key from <see cref="File"/> itself; false when it is deployed to the hub in memory.</summary>
    public bool FromDisk { get; }

    /// <summary>Where the key came from, for messages: a file, a row of a file, or "a new random key for this run".</summary>
    public string Source { get; }

    /// <summary>
    /// The hub's key for <paramref name="config"/>, or null when the config names no key file (its hub then
    /// refuses every command). <paramref name="keyFileOption"/> (--command-key-file) is deployed under the
    /// name the config gives.
    /// </summary>
    public static CentreKey For(HubConfig config, string keyFileOption = null)
    {
        if (keyFileOption != null)
        {
            if (config.CommandKeyFile == null) throw new ArgumentException("--command-key-file: the config has no security.commandKeyFile to deploy the key as; add one (pat provision writes \"I:\\command-key\")");
            if (!System.IO.File.Exists(keyFileOption)) throw new ArgumentException($"--command-key-file: file not found: {keyFileOption}");
            return new CentreKey(config.CommandKeyFile, System.IO.File.ReadAllBytes(keyFileOption), false, "--command-key-file " + keyFileOption);
        }
        if (config.CommandKeyFile == null) return null;
        if (System.IO.File.Exists(config.CommandKeyFile)) return new CentreKey(config.CommandKeyFile, System.IO.File.ReadAllBytes(config.CommandKeyFile), true, config.CommandKeyFile);
        return new CentreKey(config.CommandKeyFile, Encoding.ASCII.GetBytes(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant() + "\n"), false, "a new random key for this run");
    }

    /// <summary>
    /// The key of <paramref name="hubId"/> in the backend's key list <paramref name="csvFile"/> (pat provision's
    /// secret/broker-PROFILE/command-keys.csv: a header hubId,commandKey, then one hub a line).
    /// </summary>
    public static CentreKey FromKeysCsv(string csvFile, string hubId)
    {
        const string option = "--centre-keys";
        if (!System.IO.File.Exists(csvFile)) throw new ArgumentException($"{option}: file not found: {csvFile}");
        string[] lines = System.IO.File.ReadAllLines(csvFile);
        if (lines.Length == 0 || lines[0].Trim() != "hubId,commandKey")
            throw new ArgumentException($"{option} {csvFile}: line 1: expected the header hubId,commandKey (pat provision's command-keys.csv)");
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            string[] cells = lines[i].Split(',');
            if (cells.Length != 2) throw new ArgumentException($"{option} {csvFile}: line {i + 1}: expected hubId,commandKey");
            if (cells[0].Trim() != hubId) continue;
            return new CentreKey(null, Encoding.ASCII.GetBytes(cells[1].Trim()), false, $"{option} {csvFile} (line {i + 1}, hub {hubId})");
        }
        throw new ArgumentException($"{option} {csvFile}: no key for hub {hubId}");
    }

    /// <summary>True when both hold the same key.</summary>
    public bool SameKeyAs(CentreKey other) =>
        other != null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(_keyHex), Encoding.ASCII.GetBytes(other._keyHex));

    /// <summary>The secret files a simulated hub is deployed with: this key under the name its config gives.</summary>
    public static IReadOnlyDictionary<string, byte[]> SecretFilesFor(CentreKey key) =>
        key == null || key.FromDisk ? new Dictionary<string, byte[]>() : new Dictionary<string, byte[]> { [key.File] = key._fileBytes };

    /// <summary>
    /// The payload to publish for <paramref name="json"/>: a JSON object gets issuedAt (when it has none) and its
    /// signature for <paramref name="hubId"/>; anything else is returned unchanged (it is refused as malformed).
    /// </summary>
    public string Sign(string hubId, string json, long issuedAtMs)
    {
        JsonElement root;
        try { root = JsonDocument.Parse(json).RootElement; }
        catch (JsonException) { return json; }
        if (root.ValueKind != JsonValueKind.Object) return json;
        string body = json.TrimEnd();
        if (!root.TryGetProperty("issuedAt", out _))
        {
            string at = "\"issuedAt\":" + issuedAtMs;
            body = root.EnumerateObject().Any() ? body[..^1] + "," + at + "}" : "{" + at + "}";
        }
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        return Encoding.UTF8.GetString(CommandSignature.Sign(_mac, hubId, bytes, bytes.Length));
    }

    /// <summary>The hub id in a command topic {prefix}/{hubId}/cmd.</summary>
    public static string HubIdOf(string commandTopic)
    {
        string[] levels = commandTopic.Split('/');
        return levels.Length >= 2 ? levels[^2] : commandTopic;
    }
}
