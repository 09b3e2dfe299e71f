using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PingAnTong.Edge.Core.Field;

namespace PingAnTong.Edge.Pat;

/// <summary>
/// <c>pat provision</c>: from an installer's batch (CSV), broker profiles and a secrets file (Wi-Fi
/// passwords only), one folder per hub with everything nanoff deploys: config.json (validated by the
/// hub's validator and the board's pin map), deploy.json (file deployment: config, CA, MQTT password),
/// ca.pem (PEM ending in a NUL byte, as the hub's mbedTLS needs it: DeviceCa), and secret/ with network.json (Wi-Fi), mqtt-password, command-key and installer-pin. Every hub gets its own
/// MQTT password and installer PIN, made here from the CSPRNG (<see cref="Credentials"/>); the config
/// carries only the PIN's salted verifier. For each broker profile it also writes the broker's side:
/// broker/PROFILE/acl (Mosquitto ACL: each hub its own topics, the backend account everything) and
/// secret/broker-PROFILE/ (Mosquitto password file, the backend account's password, an accounts list for
/// other brokers). Secret folders are marked (README, .gitignore), owner-only (0700, files 0600), and their
/// contents are never printed. A batch with any bad or duplicate row is refused whole, every problem with
/// its line number, and nothing is written.
/// </summary>
public static class Provision
{
    private static readonly string[] Columns = { "hubId", "location", "board", "wifi", "brokerProfile" };

    /// <summary>The backend account's default user name: it has a '.', which no hub id can have, so no hub can ever be given its name.</summary>
    public const string DefaultBackendUsername = "pat.backend";

    private sealed record Row(int Line, string HubId, string Location, string Board, string Wifi, string Profile);

    private sealed record Profile(string Name, string Host, int Port, bool Tls, string CaFile, bool InsecureForTesting, string BackendUsername);

    /// <summary>A hub's generated secrets (never printed).</summary>
    private sealed record HubSecrets(string MqttPassword, string Pin, string PinSalt, string CommandKey);

    public static int Run(string batchFile, string profilesFile, string secretsFile, string outDir, string templateFile, TextWriter stdout, TextWriter stderr)
    {
        var problems = new List<string>();
        foreach (var (file, option) in new[] { (batchFile, "--batch"), (profilesFile, "--profiles"), (secretsFile, "--secrets") })
            if (!File.Exists(file)) problems.Add(Text.Get("ProvFileNotFound", option, file));
        string template = templateFile ?? PatCli.ShippedFile("hub-template.json");
        if (!File.Exists(template)) problems.Add(Text.Get("ProvFileNotFound", "--template", template));
        if (problems.Count > 0) return Refuse(problems, stderr);

        var profiles = ReadProfiles(profilesFile, problems);
        var wifi = ReadSecrets(secretsFile, problems);
        JsonObject templateJson = null;
        try { templateJson = JsonNode.Parse(File.ReadAllText(template))!.AsObject(); }
        catch (Exception e) when (e is JsonException or InvalidOperationException) { problems.Add(Text.Get("ProvTemplateNotJson", template, e.Message)); }
        if (problems.Count > 0) return Refuse(problems, stderr);
        string prefix = (string)templateJson!["topicPrefix"] ?? "pat/v1";
        var rows = ReadBatch(batchFile, problems, stderr); // row problems are collected with the checks below, all reported at once

        // Every secret of the batch, made before anything is written; none repeats within the batch.
        bool pbkdf2 = CoreSupport.CoreVerifiesPbkdf2Pins;
        var secrets = NewSecrets(rows.Count);

        // Check every row fully before writing anything.
        var planned = new List<(Row Row, byte[] Config, Profile Profile, HubSecrets Secrets)>();
        var warnings = new Dictionary<string, int>();
        var caSummaries = new SortedDictionary<string, DeviceCa.Info>();
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            string At(string problem) => Text.Get("ProvAt", batchFile, row.Line, problem);
            if (!profiles!.TryGetValue(row.Profile, out var profile)) { problems.Add(At(Text.Get("ProvUnknownProfile", row.Profile, profilesFile, string.Join(", ", profiles.Keys)))); continue; }
            if (!wifi!.ContainsKey(row.Wifi)) problems.Add(At(Text.Get("ProvNoWifiPassword", row.Wifi, secretsFile)));
            if (row.HubId == profile.BackendUsername) problems.Add(At(Text.Get("ProvHubIsBackend", row.HubId, row.Profile)));
            if (profile.Tls && (profile.CaFile == null || !File.Exists(ResolveNear(profilesFile, profile.CaFile)))) problems.Add(At(Text.Get("ProvCaMissing", row.Profile, profile.CaFile)));
            else if (profile.Tls)
            {
                if (DeviceCa.FromFile(ResolveNear(profilesFile, profile.CaFile), DateTime.UtcNow, out string caProblem, out DeviceCa.Info caSummary) == null) problems.Add(At(Text.Get("ProvCaProblem", row.Profile, caProblem)));
                else caSummaries[profile.Name] = caSummary;
            }
            byte[] config = BuildConfig(templateJson!, row, profile, secrets[i], pbkdf2);
            var configProblems = ConfigValidate.Check(config, row.Board, out _, out var configWarnings);
            foreach (var p in configProblems) problems.Add(At(p));
            foreach (var w in configWarnings) warnings[w] = warnings.GetValueOrDefault(w) + 1;
            planned.Add((row, config, profile, secrets[i]));
        }
        if (problems.Count > 0) return Refuse(problems, stderr);

        Directory.CreateDirectory(outDir);
        for (int i = 0; i < planned.Count; i++)
        {
            var (row, config, profile, hubSecrets) = planned[i];
            WriteHub(Path.Combine(outDir, row.HubId), config, row, profile, profilesFile, wifi!, hubSecrets);
            Progress(i + 1, planned.Count, row.HubId, stderr);
        }
        var brokers = planned.GroupBy(p => p.Profile.Name).Select(g => (Profile: g.First().Profile, Hubs: g.Select(p => (p.Row.HubId, p.Secrets.MqttPassword, p.Secrets.CommandKey)).ToList())).ToList();
        foreach (var (profile, hubs) in brokers) BrokerFiles.Write(outDir, profile.Name, prefix, profile.BackendUsername, hubs);
        foreach (var (w, count) in warnings) stderr.WriteLine(count > 1 ? Text.Get("ProvWarningHubs", w, count) : Text.Get("ProvWarning", w));
        foreach (var (name, ca) in caSummaries)
        {
            stdout.WriteLine(Text.Get("ProvisionCa", name, ca.Subject, ca.File, ca.NotAfterUtc.ToString("yyyy-MM-dd"), ca.DaysLeft));
            if (ca.DaysLeft < 90) stderr.WriteLine(Text.Get("ProvisionCaExpiring", name, ca.DaysLeft));
        }

        stdout.WriteLine(Text.Get("ProvisionDone", planned.Count, outDir));
        foreach (var (profile, hubs) in brokers)
            stdout.WriteLine(Text.Get("ProvisionBroker", profile.Name, Path.Combine(outDir, "broker", profile.Name, "acl"), Path.Combine(outDir, "secret", "broker-" + profile.Name), hubs.Count, profile.BackendUsername));
        stdout.WriteLine(Text.Get("ProvisionNext", Path.Combine(outDir, planned[0].Row.HubId, "config.json"), Path.Combine(outDir, planned[0].Row.HubId)));
        return 0;
    }

    /// <summary>One set of secrets per hub; a PIN, password or salt that repeats one already drawn in this batch is drawn again.</summary>
    private static List<HubSecrets> NewSecrets(int count)
    {
        var used = new HashSet<string>();
        string Unique(Func<string> draw)
        {
            while (true)
            {
                string s = draw();
                if (used.Add(s)) return s;
            }
        }
        var result = new List<HubSecrets>();
        for (int i = 0; i < count; i++) result.Add(new HubSecrets(Unique(Credentials.NewPassword), Unique(Credentials.NewPin), Unique(Credentials.NewSalt), Unique(Credentials.NewCommandKey)));
        return result;
    }

    private static int Refuse(List<string> problems, TextWriter stderr)
    {
        foreach (var p in problems) stderr.WriteLine(p);
        stderr.WriteLine(Text.Get("ProvisionRefused", problems.Count));
        return 2;
    }

    private static List<Row> ReadBatch(string file, List<string> problems, TextWriter stderr)
    {
        var rows = new List<Row>();
        var records = InstallerCsv.Read(file, problems, out string encoding);
        if (problems.Count > 0) return rows;
        if (encoding != InstallerCsv.Utf8Name) stderr.WriteLine(Text.Get("ProvisionEncoding", file, encoding));
        if (records.Count == 0) { problems.Add(Text.Get("ProvEmpty", file, string.Join(",", Columns))); return rows; }
        var header = records[0].Cells;
        if (!header.SequenceEqual(Columns)) { problems.Add(Text.Get("ProvAt", file, records[0].Line, Text.Get("ProvHeader", string.Join(",", Columns), string.Join(",", header)))); return rows; }
        var seenIds = new Dictionary<string, int>();
        foreach (var record in records.Skip(1))
        {
            int line = record.Line;
            var cells = record.Cells;
            if (cells.Length != Columns.Length) { problems.Add(Text.Get("ProvAt", file, line, Text.Get("ProvColumns", Columns.Length, string.Join(",", Columns), cells.Length))); continue; }
            for (int c = 0; c < cells.Length; c++)
                if (cells[c].Length == 0) problems.Add(Text.Get("ProvAt", file, line, Text.Get("ProvCellEmpty", Columns[c])));
            if (cells.Any(c => c.Length == 0)) continue;
            if (seenIds.TryGetValue(cells[0], out int first)) { problems.Add(Text.Get("ProvAt", file, line, Text.Get("ProvDuplicateHub", cells[0], first))); continue; }
            seenIds[cells[0]] = line;
            rows.Add(new Row(line, cells[0], cells[1], cells[2], cells[3], cells[4]));
        }
        if (rows.Count == 0 && problems.Count == 0) problems.Add(Text.Get("ProvNoHubs", file));
        return rows;
    }

    private static readonly string[] ProfileFields = { "host", "port", "tls", "caFile", "username", "insecureForTesting", "backendUsername" };

    private static Dictionary<string, Profile> ReadProfiles(string file, List<string> problems)
    {
        var result = new Dictionary<string, Profile>();
        try
        {
            foreach (var (name, node) in JsonNode.Parse(File.ReadAllText(file))!.AsObject())
            {
                var o = node!.AsObject();
                string At(string problem) => Text.Get("ProvProfileAt", file, name, problem);
                foreach (var (member, _) in o)
                    if (!ProfileFields.Contains(member)) problems.Add(At(Text.Get("ProvProfileUnknownMember", member, string.Join(", ", ProfileFields))));
                if (!IsSafeName(name)) problems.Add(At(Text.Get("ProvProfileName")));
                string host = (string)o["host"]!;
                bool tls = o["tls"] is null || (bool)o["tls"]!;
                bool insecure = o["insecureForTesting"] is not null && (bool)o["insecureForTesting"]!;
                string username = (string)o["username"] ?? "{hubId}";
                // The broker's ACL gives each hub the topics of its user name (%u): the user name must be the hub id.
                if (username != "{hubId}") problems.Add(At(Text.Get("ProvProfileUsername", username)));
                string backend = (string)o["backendUsername"] ?? DefaultBackendUsername;
                if (!IsBackendName(backend)) problems.Add(At(Text.Get("ProvProfileBackend", backend)));
                result[name] = new Profile(name, host, o["port"] is null ? (tls ? 8883 : 1883) : (int)o["port"]!, tls, (string)o["caFile"], insecure, backend);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            problems.Add(Text.Get("ProvProfilesShape", file, DefaultBackendUsername, e.Message));
        }
        return result;
    }

    private static bool IsSafeName(string s) => s.Length is > 0 and <= 64 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && s != "." && s != "..";

    private static bool IsBackendName(string s) => s.Length is > 0 and <= 64 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@') && (s.Contains('.') || s.Contains('@'));

    /// <summary>The secrets file holds the Wi-Fi passwords only: pat makes MQTT passwords and PINs itself, one per hub.</summary>
    private static Dictionary<string, string> ReadSecrets(string file, List<string> problems)
    {
        try
        {
            var o = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            if (o["brokers"] is not null)
                problems.Add(Text.Get("ProvSecretsBrokers", file));
            if (o["installerPin"] is not null)
                problems.Add(Text.Get("ProvSecretsPin", file));
            return o["wifi"]?.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!) ?? new();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException)
        {
            // The message of a JSON error can quote the file's text; never show it for the secrets file.
            problems.Add(Text.Get("ProvSecretsShape", file, e.GetType().Name));
            return null;
        }
    }

    private static byte[] BuildConfig(JsonObject template, Row row, Profile profile, HubSecrets secrets, bool pbkdf2)
    {
        var c = template.DeepClone().AsObject();
        c["hubId"] = row.HubId;
        c["location"] = row.Location;
        var broker = new JsonObject { ["host"] = profile.Host, ["port"] = profile.Port, ["tls"] = profile.Tls };
        if (!profile.Tls && profile.InsecureForTesting) broker["insecureForTesting"] = true;
        if (profile.Tls) broker["caFile"] = "I:\\ca.pem";
        broker["username"] = row.HubId;
        broker["passwordFile"] = "I:\\mqtt-password";
        c["broker"] = broker;
        // The hub's own key for signed commands (docs/mqtt-contract.md, "Signed commands"); the backend gets it in
        // secret/broker-PROFILE/command-keys.csv.
        c["security"] = new JsonObject { ["commandKeyFile"] = "I:\\command-key" };
        // The PIN's verifier only; the PIN itself goes to secret/installer-pin. PBKDF2 when the hub core verifies it.
        var console = pbkdf2
            ? new JsonObject
            {
                ["pinKdf"] = Credentials.PinKdf, ["pinIterations"] = Credentials.PinIterations, ["pinSalt"] = secrets.PinSalt,
                ["pinHash"] = Credentials.PinHashPbkdf2(secrets.PinSalt, secrets.Pin, Credentials.PinIterations), ["unlockMinutes"] = 10,
            }
            : new JsonObject { ["pinSalt"] = secrets.PinSalt, ["pinHash"] = Sha256.PinHash(secrets.PinSalt, secrets.Pin), ["unlockMinutes"] = 10 };
        // The template's own console settings (the console's language, unlockMinutes) are kept; its PIN members never.
        if (template["console"] is JsonObject fromTemplate)
        {
            foreach (var (name, value) in fromTemplate)
            {
                if (Array.IndexOf(PingAnTong.Edge.Core.Config.ConfigSecrets.PinMembers, name) >= 0) continue;
                console[name] = value?.DeepClone();
            }
        }
        c["console"] = console;
        // Chinese text (a location such as 鼓楼区-001) as UTF-8, not \uXXXX escapes: what the installer reads is what the file holds.
        return Encoding.UTF8.GetBytes(c.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) }));
    }

    private static void WriteHub(string dir, byte[] config, Row row, Profile profile, string profilesFile, Dictionary<string, string> wifi, HubSecrets secrets)
    {
        // Owner-only: the folder holds the home's location code (personal information) and secret/.
        CreatePrivateDirectory(dir);
        string secret = Path.Combine(dir, "secret");
        CreatePrivateDirectory(secret);
        WriteSecret(Path.Combine(secret, "README.txt"), "SECRET: Wi-Fi password, MQTT password, command key and installer PIN of " + row.HubId + " (this hub's own). Do not share, copy to chat, or commit. 机密：本网关专用的 Wi-Fi 密码、MQTT 密码和安装员 PIN，请勿外传或提交。\n");
        WriteSecret(Path.Combine(secret, ".gitignore"), "*\n");
        File.WriteAllBytes(Path.Combine(dir, "config.json"), config);

        var files = new JsonArray { new JsonObject { ["DestinationFilePath"] = "I:\\config.json", ["SourceFilePath"] = "config.json" } };
        if (profile.Tls)
        {
            // PEM with a terminating NUL: what the hub's X509Certificate(byte[]) parses (DeviceCa).
            File.WriteAllBytes(Path.Combine(dir, "ca.pem"), DeviceCa.FromFile(ResolveNear(profilesFile, profile.CaFile), out _));
            files.Add(new JsonObject { ["DestinationFilePath"] = "I:\\ca.pem", ["SourceFilePath"] = "ca.pem" });
        }
        WriteSecret(Path.Combine(secret, "mqtt-password"), secrets.MqttPassword);
        files.Add(new JsonObject { ["DestinationFilePath"] = "I:\\mqtt-password", ["SourceFilePath"] = "secret/mqtt-password" });
        WriteSecret(Path.Combine(secret, "installer-pin"), secrets.Pin + "\n");
        WriteSecret(Path.Combine(secret, "command-key"), secrets.CommandKey + "\n");
        files.Add(new JsonObject { ["DestinationFilePath"] = "I:\\command-key", ["SourceFilePath"] = "secret/command-key" });
        File.WriteAllText(Path.Combine(dir, "deploy.json"), new JsonObject { ["Files"] = files }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var network = new JsonObject
        {
            ["WirelessClient"] = new JsonObject
            {
                ["Ssid"] = row.Wifi,
                ["Password"] = wifi[row.Wifi],
                ["Authentication"] = "WPA2",
                // Documented as "auto connect when the AP is available or after being disconnected" (nanoFramework Wireless80211_ConfigurationOptions).
                ["ConfigurationOption"] = "AutoConnect",
                ["DhcpEnabled"] = true,
                ["AutomaticDNS"] = true,
            },
        };
        WriteSecret(Path.Combine(secret, "network.json"), network.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>A folder only its owner can open (0700), also when it already existed.</summary>
    internal static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Writes a file only its owner can read (0600), created so from the start (no moment at the umask's mode).</summary>
    internal static void WriteSecret(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            writer.Write(content);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // an existing file keeps its mode on open
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
