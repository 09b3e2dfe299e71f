using System.Net;

namespace PingAnTong.Edge.Simulator;

/// <summary>Command-line options shared by the simulator's modes.</summary>
public sealed class SimOptions
{
    public string Mode = "demo";
    public string Broker;
    public string CaFile;
    public string Username;
    public string PasswordFile;
    /// <summary>The hub's own command key file (--command-key-file), in place of the one its config names.</summary>
    public string CommandKeyFile;
    /// <summary>The stand-in centre's own broker account (--centre-username), e.g. pat.backend; null: anonymous.</summary>
    public string CentreUsername;
    /// <summary>File holding the centre account's password (--centre-password-file), e.g. secret/broker-PROFILE/backend-password.</summary>
    public string CentrePasswordFile;
    /// <summary>The backend's command keys (--centre-keys), pat provision's secret/broker-PROFILE/command-keys.csv.</summary>
    public string CentreKeysFile;
    /// <summary>Where the embedded broker listens (--listen ADDRESS); null: 127.0.0.1 and ::1 only.</summary>
    public string Listen;
    public string ConfigFile;
    public string DataFolder;
    public bool Help;
    public string EventsFile;
    public string Until;
    public string OutFile;
    public int Presses = 500;
    /// <summary>Loopback TCP port of the technician console (--console tcp:PORT), or -1.</summary>
    public int ConsolePort = -1;
    public List<string> ScenarioFiles = new();

    /// <summary>Set by --version.</summary>
    public bool Version;

    /// <summary>
    /// Parses the command line with System.CommandLine (<see cref="SimCli"/>) and checks the options that can be
    /// checked without touching the disk or the network. A mistake throws <see cref="ArgumentException"/> whose
    /// message names the option and says what was expected (the entry point prints it on one line, exit 2).
    /// </summary>
    public static SimOptions Parse(string[] args) => SimCli.Parse(args).Options;

    /// <summary>The checks that need no file or network: which options go together.</summary>
    internal void CheckCombinations()
    {
        if (Listen != null)
        {
            if (Broker != null) throw new ArgumentException("--listen: only for the embedded broker; with --broker there is none");
            EmbeddedBroker.Addresses(Listen); // refuses what is not an IP address
        }
        bool tls = false;
        string host = null;
        if (Broker != null) (host, _, tls) = ParseBroker(Broker);
        if (Broker == null)
        {
            foreach (var (value, option) in new[] { (CaFile, "--ca"), (Username, "--username"), (PasswordFile, "--password-file") })
            {
                if (value != null) throw new ArgumentException($"{option}: only with --broker URL (the embedded broker has no accounts and no TLS); add --broker mqtts://HOST:8883 or leave {option} out");
            }
        }
        if (CaFile != null && Broker != null && !tls) throw new ArgumentException($"--ca: only with a TLS broker; write --broker mqtts://{host}:8883 instead of {Broker}");
        // A config file may name the user (pat provision's config.json has broker.username): checked in CheckFiles then.
        if (PasswordFile != null && Username == null && ConfigFile == null) throw new ArgumentException("--password-file: needs --username NAME too (MQTT sends a password only with a user name)");
        if (PasswordFile != null) CheckPasswordTransport(host, tls, PasswordFile, "--password-file");
        // The stand-in centre's own account and keys (pat provision's backend account and command-keys.csv).
        if (CentrePasswordFile != null && CentreUsername == null)
            throw new ArgumentException("--centre-password-file: needs --centre-username (the centre's account, e.g. pat.backend)");
        if (CentreUsername != null)
        {
            if (CentreUsername.Length == 0 || CentreUsername.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                throw new ArgumentException($"--centre-username: expected a user name without spaces, got \"{CentreUsername}\"");
            if (Broker == null) throw new ArgumentException("--centre-username: only with --broker; the embedded broker has no accounts");
        }
        if (CentrePasswordFile != null) CheckPasswordTransport(host, tls, CentrePasswordFile, "--centre-password-file");
        if (ConsolePort >= 0 && Mode != "run" && Mode != "demo") throw new ArgumentException($"--console: only in the run and demo modes, not in {Mode}");
        if (Mode != "run" && Mode != "demo")
        {
            // Only the run and demo modes have a stand-in centre and deploy a key to the hub; elsewhere these would be ignored.
            foreach (var (value, option) in new[] { (CommandKeyFile, "--command-key-file"), (CentreUsername, "--centre-username"), (CentrePasswordFile, "--centre-password-file"), (CentreKeysFile, "--centre-keys") })
            {
                if (value != null) throw new ArgumentException($"{option}: only in the run and demo modes (the stand-in centre), not in {Mode}");
            }
        }
    }

    /// <summary>
    /// The checks of what the options name on disk, before anything starts: the config file (exists, is a valid
    /// hub config), the CA file (exists, is a PEM certificate), the password files (exist; the centre's is not
    /// empty), the command key file and the centre's key list (exist, hold a key, the list has the hub's row) and
    /// the storage folder (can be written). Throws <see cref="ArgumentException"/> naming the option (exit 2).
    /// </summary>
    public void CheckFiles()
    {
        if (ConfigFile != null)
        {
            if (!File.Exists(ConfigFile)) throw new ArgumentException($"--config: file not found: {ConfigFile} (give a hub config JSON, or leave --config out for the demo config)");
            var hub = SimulatedHub.LoadConfig(ConfigFile); // "FILE: field: problem"
            if (PasswordFile != null && Username == null && hub.Broker.Username == null)
                throw new ArgumentException($"--password-file: needs --username NAME too, or a broker.username in {ConfigFile} (MQTT sends a password only with a user name)");
        }
        if (CaFile != null)
        {
            if (!File.Exists(CaFile)) throw new ArgumentException($"--ca: file not found: {CaFile} (the broker's CA certificate, PEM)");
            try
            {
                using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(CaFile));
                if (ca.NotAfter < DateTime.Now) throw new ArgumentException($"--ca: {CaFile}: the certificate expired on {ca.NotAfter:yyyy-MM-dd}");
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new ArgumentException($"--ca: {CaFile} is not a PEM certificate (expected -----BEGIN CERTIFICATE-----): {e.Message}");
            }
        }
        if (PasswordFile != null && !File.Exists(PasswordFile)) throw new ArgumentException($"--password-file: file not found: {PasswordFile} (a file holding the MQTT password)");
        if (CentrePasswordFile != null)
        {
            if (!File.Exists(CentrePasswordFile)) throw new ArgumentException($"--centre-password-file: file not found: {CentrePasswordFile} (the backend account's password, pat provision's secret/broker-PROFILE/backend-password)");
            if (File.ReadAllText(CentrePasswordFile).Trim().Length == 0) throw new ArgumentException($"--centre-password-file: {CentrePasswordFile} is empty");
        }
        if (CommandKeyFile != null || CentreKeysFile != null)
        {
            // The hub's key deployed under the config's name, and the hub's row of the backend's key list: the
            // messages name the file and the line, never a key.
            var hubConfig = SimulatedHub.LoadConfig(ConfigFile);
            if (CommandKeyFile != null) CentreKey.For(hubConfig, CommandKeyFile);
            if (CentreKeysFile != null) CentreKey.FromKeysCsv(CentreKeysFile, hubConfig.HubId);
        }
        if (DataFolder != null)
        {
            string probe = Path.Combine(DataFolder, ".pat-sim-write-test");
            try
            {
                Directory.CreateDirectory(DataFolder);
                File.WriteAllBytes(probe, Array.Empty<byte>());
                File.Delete(probe);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                throw new ArgumentException($"--data: cannot write to {DataFolder} ({e.Message}); choose a folder you can write to, or leave --data out for a temporary folder");
            }
        }
    }

    /// <summary>
    /// Refuses to send an MQTT password over plain TCP (no TLS) to anything but a loopback address: on a
    /// network anyone on the path reads it. <paramref name="option"/> names where the password came from.
    /// </summary>
    public static void CheckPasswordTransport(string host, bool tls, string passwordFile, string option)
    {
        if (passwordFile == null || tls || IsLoopback(host)) return;
        throw new ArgumentException($"{option}: refusing to send the MQTT password in clear over plain mqtt:// to {host}; " +
            $"use mqtts://{host}:8883 with --ca FILE, or a broker on a loopback address (127.0.0.1, ::1, localhost)");
    }

    /// <summary>localhost, 127.0.0.0/8 or ::1 (written as an address, not a name that DNS could answer otherwise).</summary>
    public static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    internal static int ParseConsole(string value)
    {
        if (value.StartsWith("tcp:") && int.TryParse(value[4..], out int port) && port >= 0 && port <= 65535) return port;
        throw new ArgumentException($"--console: expected tcp:PORT (loopback only), got \"{value}\"");
    }

    /// <summary>Splits mqtt://host:port or mqtts://host:port.</summary>
    public static (string Host, int Port, bool Tls) ParseBroker(string url)
    {
        bool tls = url.StartsWith("mqtts://");
        if ((!tls && !url.StartsWith("mqtt://")) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new ArgumentException($"--broker: expected mqtt://host:port or mqtts://host:port, got \"{url}\"");
        int port = uri.IsDefaultPort || uri.Port < 0 ? (tls ? 8883 : 1883) : uri.Port;
        return (uri.Host, port, tls);
    }
}
