using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Security;

namespace PingAnTong.Edge.Simulator;

/// <summary>
/// The command key the simulated hub and its stand-in call centre share, as pat provision gives one to a
/// real hub and its centre: read from the file the config names (security.commandKeyFile) when it exists,
/// otherwise a new random key for this run, kept in memory only. <see cref="Sign"/> signs a command the way
/// docs/mqtt-contract.md ("Signed commands") specifies.
/// </summary>
public sealed class CentreKey
{
    private readonly HmacSha256 _mac;

    private CentreKey(string file, byte[] fileBytes, bool fromDisk)
    {
        File = file;
        FromDisk = fromDisk;
        _fileBytes = fileBytes;
        _mac = CommandKey.FromFile(file, (byte[])fileBytes.Clone(), out string problem) ?? throw new ArgumentException(problem);
    }

    private readonly byte[] _fileBytes;

    /// <summary>The path the config names (where a device would find its key).</summary>
    public string File { get; }

    /// <summary>True when the key was read from that file; false for a key made for this run.</summary>
    public bool FromDisk { get; }

    /// <summary>The key for <paramref name="config"/>, or null when the config names no key file (its hub then refuses every command).</summary>
    public static CentreKey For(HubConfig config)
    {
        if (config.CommandKeyFile == null) return null;
        if (System.IO.File.Exists(config.CommandKeyFile)) return new CentreKey(config.CommandKeyFile, System.IO.File.ReadAllBytes(config.CommandKeyFile), true);
        return new CentreKey(config.CommandKeyFile, Encoding.ASCII.GetBytes(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant() + "\n"), false);
    }

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
