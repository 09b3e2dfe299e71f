using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PingAnTong.Edge.Core.Field;

namespace PingAnTong.Edge.Pat;

/// <summary>
/// <c>pat provision</c>: from an installer's batch (CSV), broker profiles and a secrets file, one folder
/// per hub with everything nanoff deploys: config.json (validated by the hub's validator and the board's
/// pin map), deploy.json (file deployment: config, CA, MQTT password), ca.pem (PEM ending in a NUL byte, as the
/// hub's mbedTLS needs it: DeviceCa), and secret/ with
/// network.json (Wi-Fi) and mqtt-password. The secret folder is marked (README, .gitignore, owner-only
/// permissions) and its contents are never printed. A batch with any bad or duplicate row is refused
/// whole, every problem with its line number, and nothing is written.
/// </summary>
public static class Provision
{
    private static readonly string[] Columns = { "hubId", "location", "board", "wifi", "brokerProfile" };

    private sealed record Row(int Line, string HubId, string Location, string Board, string Wifi, string Profile);

    private sealed record Profile(string Host, int Port, bool Tls, string CaFile, string Username);

    public static int Run(string batchFile, string profilesFile, string secretsFile, string outDir, string templateFile, TextWriter stdout, TextWriter stderr)
    {
        var problems = new List<string>();
        foreach (var (file, option) in new[] { (batchFile, "--batch"), (profilesFile, "--profiles"), (secretsFile, "--secrets") })
            if (!File.Exists(file)) problems.Add($"{option} {file}: file not found");
        string template = templateFile ?? PatCli.ShippedFile("hub-template.json");
        if (!File.Exists(template)) problems.Add($"--template {template}: file not found");
        if (problems.Count > 0) return Refuse(problems, stderr);

        var profiles = ReadProfiles(profilesFile, problems);
        var secrets = ReadSecrets(secretsFile, problems);
        JsonObject templateJson = null;
        try { templateJson = JsonNode.Parse(File.ReadAllText(template))!.AsObject(); }
        catch (Exception e) when (e is JsonException or InvalidOperationException) { problems.Add($"--template {template}: not a JSON object: {e.Message}"); }
        if (problems.Count > 0) return Refuse(problems, stderr);
        var rows = ReadBatch(batchFile, problems); // row problems are collected with the checks below, all reported at once

        // Check every row fully before writing anything.
        var planned = new List<(Row Row, byte[] Config, Profile Profile)>();
        foreach (var row in rows)
        {
            string at = $"{batchFile} line {row.Line}";
            if (!profiles!.TryGetValue(row.Profile, out var profile)) { problems.Add($"{at}: brokerProfile \"{row.Profile}\" is not in {profilesFile} (known: {string.Join(", ", profiles.Keys)})"); continue; }
            if (!secrets!.Wifi.ContainsKey(row.Wifi)) problems.Add($"{at}: no password for Wi-Fi network \"{row.Wifi}\" in {secretsFile} (wifi section)");
            if (profile.Username != null && !secrets.Brokers.ContainsKey(row.Profile)) problems.Add($"{at}: no broker password for profile \"{row.Profile}\" in {secretsFile} (brokers section)");
            if (profile.Tls && (profile.CaFile == null || !File.Exists(ResolveNear(profilesFile, profile.CaFile)))) problems.Add($"{at}: profile \"{row.Profile}\" uses TLS but its caFile {profile.CaFile} is missing");
            else if (profile.Tls && DeviceCa.FromFile(ResolveNear(profilesFile, profile.CaFile), out string caProblem) == null) problems.Add($"{at}: profile \"{row.Profile}\": {caProblem}");
            byte[] config = BuildConfig(templateJson!, row, profile, secrets.InstallerPin);
            foreach (var p in ConfigValidate.Check(config, row.Board, out _)) problems.Add($"{at}: {p}");
            planned.Add((row, config, profile));
        }
        if (problems.Count > 0) return Refuse(problems, stderr);

        Directory.CreateDirectory(outDir);
        for (int i = 0; i < planned.Count; i++)
        {
            var (row, config, profile) = planned[i];
            WriteHub(Path.Combine(outDir, row.HubId), config, row, profile, profilesFile, secrets!);
            Progress(i + 1, planned.Count, row.HubId, stderr);
        }
        stdout.WriteLine($"provisioned {planned.Count} hub(s) into {outDir}: per hub config.json, deploy.json (and ca.pem for TLS) and secret/ (Wi-Fi and MQTT password: keep it private)");
        stdout.WriteLine($"next: pat config validate {Path.Combine(outDir, planned[0].Row.HubId, "config.json")} and pat flash --hub-dir {Path.Combine(outDir, planned[0].Row.HubId)} --port PORT --image PingAnTong.Edge.Esp32.bin");
        return 0;
    }

    private static int Refuse(List<string> problems, TextWriter stderr)
    {
        foreach (var p in problems) stderr.WriteLine(p);
        stderr.WriteLine($"pat provision: refused ({problems.Count} problem(s)); nothing was written");
        return 2;
    }

    private static List<Row> ReadBatch(string file, List<string> problems)
    {
        var rows = new List<Row>();
        var lines = File.ReadAllLines(file);
        if (lines.Length == 0) { problems.Add($"{file}: empty; expected a header line {string.Join(",", Columns)}"); return rows; }
        var header = lines[0].Split(',').Select(h => h.Trim()).ToArray();
        if (!header.SequenceEqual(Columns)) { problems.Add($"{file} line 1: expected the header {string.Join(",", Columns)}, got {lines[0]}"); return rows; }
        var seenIds = new Dictionary<string, int>();
        for (int i = 1; i < lines.Length; i++)
        {
            int line = i + 1;
            if (lines[i].Trim().Length == 0 || lines[i].TrimStart().StartsWith('#')) continue;
            var cells = lines[i].Split(',').Select(c => c.Trim()).ToArray();
            if (cells.Length != Columns.Length) { problems.Add($"{file} line {line}: expected {Columns.Length} values ({string.Join(",", Columns)}), got {cells.Length}"); continue; }
            for (int c = 0; c < cells.Length; c++)
                if (cells[c].Length == 0) problems.Add($"{file} line {line}: {Columns[c]} is empty");
            if (cells.Any(c => c.Length == 0)) continue;
            if (seenIds.TryGetValue(cells[0], out int first)) { problems.Add($"{file} line {line}: hubId {cells[0]} is already on line {first}"); continue; }
            seenIds[cells[0]] = line;
            rows.Add(new Row(line, cells[0], cells[1], cells[2], cells[3], cells[4]));
        }
        if (rows.Count == 0 && problems.Count == 0) problems.Add($"{file}: no hubs listed");
        return rows;
    }

    private static Dictionary<string, Profile> ReadProfiles(string file, List<string> problems)
    {
        var result = new Dictionary<string, Profile>();
        try
        {
            foreach (var (name, node) in JsonNode.Parse(File.ReadAllText(file))!.AsObject())
            {
                var o = node!.AsObject();
                string host = (string)o["host"]!;
                bool tls = o["tls"] is null || (bool)o["tls"]!;
                result[name] = new Profile(host, o["port"] is null ? (tls ? 8883 : 1883) : (int)o["port"]!, tls, (string)o["caFile"], (string)o["username"]);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            problems.Add($"--profiles {file}: expected {{ \"name\": {{ \"host\": \"...\", \"port\": 8883, \"tls\": true, \"caFile\": \"ca.pem\", \"username\": \"{{hubId}}\" }} }}: {e.Message}");
        }
        return result;
    }

    private sealed record Secrets(Dictionary<string, string> Wifi, Dictionary<string, string> Brokers, string InstallerPin);

    private static Secrets ReadSecrets(string file, List<string> problems)
    {
        try
        {
            var o = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var wifi = o["wifi"]?.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!) ?? new();
            var brokers = o["brokers"]?.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!) ?? new();
            string pin = (string)o["installerPin"];
            if (pin == null || pin.Length < 4 || pin.Length > 12 || !pin.All(char.IsAsciiDigit))
                problems.Add($"--secrets {file}: installerPin: expected 4 to 12 digits");
            return new Secrets(wifi, brokers, pin);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException)
        {
            // The message of a JSON error can quote the file's text; never show it for the secrets file.
            problems.Add($"--secrets {file}: expected {{ \"wifi\": {{ \"network\": \"password\" }}, \"brokers\": {{ \"profile\": \"password\" }}, \"installerPin\": \"digits\" }} ({e.GetType().Name})");
            return null;
        }
    }

    private static byte[] BuildConfig(JsonObject template, Row row, Profile profile, string pin)
    {
        var c = template.DeepClone().AsObject();
        c["hubId"] = row.HubId;
        c["location"] = row.Location;
        var broker = new JsonObject { ["host"] = profile.Host, ["port"] = profile.Port, ["tls"] = profile.Tls };
        if (profile.Tls) broker["caFile"] = "I:\\ca.pem";
        if (profile.Username != null)
        {
            broker["username"] = profile.Username.Replace("{hubId}", row.HubId);
            broker["passwordFile"] = "I:\\mqtt-password";
        }
        c["broker"] = broker;
        string salt = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        c["console"] = new JsonObject { ["pinSalt"] = salt, ["pinHash"] = Sha256.PinHash(salt, pin ?? ""), ["unlockMinutes"] = 10 };
        return Encoding.UTF8.GetBytes(c.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static void WriteHub(string dir, byte[] config, Row row, Profile profile, string profilesFile, Secrets secrets)
    {
        Directory.CreateDirectory(dir);
        string secret = Path.Combine(dir, "secret");
        Directory.CreateDirectory(secret);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(secret, "README.txt"), "SECRET: Wi-Fi and MQTT passwords for " + row.HubId + ". Do not share, copy to chat, or commit. 机密：请勿外传或提交。\n");
        File.WriteAllText(Path.Combine(secret, ".gitignore"), "*\n");
        File.WriteAllBytes(Path.Combine(dir, "config.json"), config);

        var files = new JsonArray { new JsonObject { ["DestinationFilePath"] = "I:\\config.json", ["SourceFilePath"] = "config.json" } };
        if (profile.Tls)
        {
            // PEM with a terminating NUL: what the hub's X509Certificate(byte[]) parses (DeviceCa).
            File.WriteAllBytes(Path.Combine(dir, "ca.pem"), DeviceCa.FromFile(ResolveNear(profilesFile, profile.CaFile), out _));
            files.Add(new JsonObject { ["DestinationFilePath"] = "I:\\ca.pem", ["SourceFilePath"] = "ca.pem" });
        }
        if (profile.Username != null)
        {
            WriteSecret(Path.Combine(secret, "mqtt-password"), secrets.Brokers[row.Profile]);
            files.Add(new JsonObject { ["DestinationFilePath"] = "I:\\mqtt-password", ["SourceFilePath"] = "secret/mqtt-password" });
        }
        File.WriteAllText(Path.Combine(dir, "deploy.json"), new JsonObject { ["Files"] = files }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var network = new JsonObject
        {
            ["WirelessClient"] = new JsonObject
            {
                ["Ssid"] = row.Wifi,
                ["Password"] = secrets.Wifi[row.Wifi],
                ["Authentication"] = "WPA2",
                // Documented as "auto connect when the AP is available or after being disconnected" (nanoFramework Wireless80211_ConfigurationOptions).
                ["ConfigurationOption"] = "AutoConnect",
                ["DhcpEnabled"] = true,
                ["AutomaticDNS"] = true,
            },
        };
        WriteSecret(Path.Combine(secret, "network.json"), network.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static void WriteSecret(string path, string content)
    {
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static string ResolveNear(string anchorFile, string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(anchorFile))!, path);

    private static void Progress(int done, int total, string hubId, TextWriter stderr)
    {
        const int width = 30;
        int filled = total == 0 ? width : done * width / total;
        stderr.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} {hubId,-24}");
        if (done == total) stderr.WriteLine();
    }
}
