using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Device;

namespace PingAnTong.Edge.Pat;

/// <summary>
/// <c>pat config validate</c>: the hub's own validator (ConfigParser), optionally the board's pin map, and
/// pat's security rules on top: <c>broker.tls: false</c> is refused unless <c>broker.insecureForTesting</c> is
/// true, and a fast legacy PIN hash or a missing broker user name is warned about. Members that issue 17
/// adds and the built-in hub core does not know yet (<see cref="CoreSupport"/>) are checked here and hidden
/// from the core's parser, with a warning that hubs on such firmware refuse the config.
/// </summary>
public static class ConfigValidate
{
    public static int Run(string file, string board, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(file))
        {
            stderr.WriteLine(Text.Get("FileNotFound", file));
            return 2;
        }
        var problems = Check(File.ReadAllBytes(file), board, out HubConfig config, out var warnings);
        foreach (var p in problems) stderr.WriteLine($"{file}: {p}");
        foreach (var w in warnings) stderr.WriteLine(Text.Get("ValidateWarning", file, w));
        if (problems.Count > 0)
        {
            stderr.WriteLine(Text.Get("ValidateRefused", file, problems.Count));
            return 1;
        }
        stdout.WriteLine(Text.Get("ValidateValid", file, config.HubId, config.Location, config.Version, config.Inputs.Length, config.Sensors.Length, $"{config.Broker.Host}:{config.Broker.Port}")
            + Text.Get(config.Broker.Tls ? "ValidateTls" : "ValidateNoTls") + (board != null ? Text.Get("ValidateFits", board) : ""));
        return 0;
    }

    /// <summary>Every problem, each naming its field; empty when the config is valid (and fits the board).</summary>
    public static List<string> Check(byte[] json, string board, out HubConfig config) => Check(json, board, out config, out _);

    /// <summary>Every problem and every warning, each naming its field, in pat's language (<see cref="ValidatorText"/>).</summary>
    public static List<string> Check(byte[] json, string board, out HubConfig config, out List<string> warnings)
    {
        var problems = CheckInEnglish(json, board, out config, out warnings);
        warnings = warnings.Select(ValidatorText.Translate).ToList();
        return problems.Select(ValidatorText.Translate).ToList();
    }

    private static List<string> CheckInEnglish(byte[] json, string board, out HubConfig config, out List<string> warnings)
    {
        config = null;
        warnings = new List<string>();
        var problems = new List<string>();
        byte[] forCore = json;
        JsonObject root = null;
        try
        {
            root = JsonNode.Parse(json) as JsonObject;
            _ = root?.Count; // a duplicate member throws here (ArgumentException), when the members are first read
        }
        catch (Exception e) when (e is JsonException or ArgumentException) { root = null; } // the core's parser reports it, with its position
        if (root != null)
        {
            CheckSecurity(root, problems, warnings);
            var hidden = CoreSupport.Pending.Where(path => Member(root, path) != null).ToList();
            if (hidden.Count > 0)
            {
                var copy = root.DeepClone().AsObject();
                foreach (var path in hidden) RemoveMember(copy, path);
                forCore = Encoding.UTF8.GetBytes(copy.ToJsonString());
                warnings.Add($"{string.Join(", ", hidden)}: not known yet to the hub core this pat was built with (issue 17): checked by pat, but a hub running firmware from that core refuses this config");
            }
        }
        try
        {
            config = ConfigParser.Parse(forCore);
        }
        catch (ConfigException e)
        {
            problems.AddRange(e.Errors.Cast<string>());
            return problems;
        }
        if (board != null)
        {
            try
            {
                var map = LoadBoard(board);
                problems.AddRange(map.CheckConfig(config).Cast<string>());
            }
            catch (ConfigException e)
            {
                problems.AddRange(e.Errors.Cast<string>().Select(x => "pin map " + board + ": " + x));
            }
        }
        return problems;
    }

    /// <summary>Lowest and highest console.pinIterations pat accepts.</summary>
    public const int MinPinIterations = PingAnTong.Edge.Core.Security.PinVerifier.MinIterations, MaxPinIterations = PingAnTong.Edge.Core.Security.PinVerifier.MaxIterations;

    private static void CheckSecurity(JsonObject root, List<string> problems, List<string> warnings)
    {
        if (root["broker"] is JsonObject broker)
        {
            bool tls = broker["tls"] is not JsonValue t || !t.TryGetValue(out bool tlsValue) || tlsValue; // not a boolean: the core reports it
            bool? insecure = null;
            if (broker["insecureForTesting"] is JsonNode n)
            {
                if (n is JsonValue v && v.TryGetValue(out bool b)) insecure = b;
                else problems.Add("$.broker.insecureForTesting: expected true or false");
            }
            if (!tls && insecure != true)
                problems.Add("$.broker.tls: false is refused: the MQTT password, every alarm and every command would cross the network in clear, and anyone on the path could read or forge them. Use TLS (port 8883 and caFile), or on a test bench only set broker.insecureForTesting: true");
            else if (!tls)
                warnings.Add("$.broker.tls is false (insecureForTesting): the MQTT password, alarms and commands travel in clear; for a test bench only, never for a home");
            else if (insecure == true)
                warnings.Add("$.broker.insecureForTesting has no effect with TLS on; remove it");
            if (broker["username"] is null)
                warnings.Add("$.broker.username is not set: the hub connects anonymously, which a broker with access control refuses, and a broker that allows it lets any client read and command every hub (docs/security.md)");
        }
        if (root["console"] is JsonObject console)
        {
            var kdf = console["pinKdf"];
            var iterations = console["pinIterations"];
            if (kdf != null)
            {
                if (!(kdf is JsonValue kv && kv.TryGetValue(out string name) && name == Credentials.PinKdf))
                    problems.Add($"$.console.pinKdf: expected \"{Credentials.PinKdf}\"");
                if (iterations == null) problems.Add($"$.console.pinIterations: required with pinKdf ({MinPinIterations} to {MaxPinIterations})");
                else if (!(iterations is JsonValue iv && iv.TryGetValue(out int count) && count >= MinPinIterations && count <= MaxPinIterations))
                    problems.Add($"$.console.pinIterations: expected a whole number from {MinPinIterations} to {MaxPinIterations}");
            }
            else if (iterations != null) problems.Add("$.console.pinIterations: only with pinKdf");
            else if (console["pinHash"] != null)
                warnings.Add("$.console.pinHash is the legacy fast hash (SHA-256 of \"salt:PIN\"): whoever holds this file finds the PIN in seconds. " +
                    (CoreSupport.CoreVerifiesPbkdf2Pins
                        ? "Provision the hub again: pat writes a PBKDF2 verifier (pinKdf)"
                        : "The hub core this pat was built with verifies no other format yet (issue 17); each hub has its own PIN, so a found PIN opens that hub's console only. Keep config files to yourself"));
        }
    }

    private static JsonNode Member(JsonObject root, string path)
    {
        var parts = path.Split('.');
        JsonNode node = root;
        for (int i = 1; i < parts.Length && node != null; i++) node = node is JsonObject o ? o[parts[i]] : null;
        return node;
    }

    private static void RemoveMember(JsonObject root, string path)
    {
        var parts = path.Split('.');
        if (Member(root, string.Join('.', parts[..^1])) is JsonObject parent) parent.Remove(parts[^1]);
    }

    public static PinMap LoadBoard(string board)
    {
        string path = File.Exists(board) ? board : PatCli.ShippedFile("boards", board + ".json");
        if (!File.Exists(path))
        {
            var known = Directory.Exists(PatCli.ShippedFile("boards"))
                ? Directory.GetFiles(PatCli.ShippedFile("boards"), "*.json").Select(Path.GetFileNameWithoutExtension)
                : Enumerable.Empty<string>();
            throw new ConfigException("pin map", new System.Collections.ArrayList { $"unknown board \"{board}\" (known: {string.Join(", ", known)})" });
        }
        return PinMap.Parse(File.ReadAllBytes(path));
    }
}
