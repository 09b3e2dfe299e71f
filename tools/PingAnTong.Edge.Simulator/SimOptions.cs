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

    public const string Usage = """
        PingAnTong.Edge simulator: the hub's core on virtual hardware, talking to a real MQTT broker.

        Usage: dotnet run --project tools/PingAnTong.Edge.Simulator -- [MODE] [OPTIONS]

        Modes:
          demo (default)  start a broker in this process, a hub with the demo config and a stand-in call
                          centre; press SOS and watch the alarm travel to the centre and its ack come back.
          run             interactive: type commands (help lists them) to press buttons, open the door,
                          set the gas level, inject sensor faults, cut the link, reboot the hub or cut
                          its power. quit (or Ctrl+C, SIGTERM, end of input) stops cleanly: the retained
                          status becomes offline and the temporary storage folder is removed.
          scenario FILE.. run scenario scripts (tools/scenarios/*.scenario) in virtual time, as fast as the
                          machine allows; prints a report and exits 1 when an expectation fails.
          latency         benchmark: SOS presses in real time (--presses N, default 500) against the embedded
                          broker, pin edge -> independent subscriber, beside raw MQTTnet publish -> receive.
          replay          replay --events FILE.csv [--config FILE.json] [--until ISO-TIME] [--out FILE.jsonl]
                          runs the hub in virtual time over a recording (CSV header time,sensor,kind,state;
                          local time without zone, taken as UTC) and writes one JSON line per message
                          published: {"topic": "...", "payload": {...}}. Every publish is acknowledged;
                          no commands are sent. Without --config each sensor of the file becomes an input.

        Options:
          --broker URL         mqtt://host:port or mqtts://host:port instead of the embedded broker
          --ca FILE            CA certificate (PEM) trusted for mqtts
          --username NAME      MQTT user name
          --password-file FILE file holding the MQTT password (never on the command line); refused with a
                               plain mqtt:// broker that is not on a loopback address (use mqtts:// and --ca)
          --command-key-file FILE
                               the hub's command key (its folder's secret/command-key from pat provision), in
                               place of the file its config's security.commandKeyFile names (I:\command-key)
          --centre-username NAME
                               the stand-in centre's own broker account (pat provision's backend account,
                               pat.backend); without it the centre connects anonymously, which a broker set up
                               as docs/broker/mosquitto.conf refuses. Only with --broker
          --centre-password-file FILE
                               file holding that account's password (secret/broker-PROFILE/backend-password);
                               needs --centre-username; refused with a plain mqtt:// broker that is not on a
                               loopback address, like --password-file
          --centre-keys FILE   the backend's command keys (secret/broker-PROFILE/command-keys.csv, columns
                               hubId,commandKey): the centre signs with the row of the hub's id. Default: the
                               hub's own key (--command-key-file, the config's file, or a key for this run)
          --listen ADDRESS     where the embedded broker listens; default 127.0.0.1 and ::1 (loopback only).
                               It has no accounts and no TLS: 0.0.0.0 (every IPv4 interface), :: (every IPv6
                               interface) or a LAN address let anyone who reaches it read and command the hub
          --config FILE        hub config (JSON, validated); default: the demo config
          --data DIR           storage folder (outbox, counters, config), kept; default: a new temporary
                               folder, removed when the simulator ends
          --console tcp:PORT   the hub's technician console on 127.0.0.1:PORT (run, demo), for pat console;
                               always loopback only, whatever --listen says (the PIN crosses it in clear);
                               in run mode also type "hub COMMAND" (e.g. hub status, hub events 20)
          -h, --help           this text
        """;

    public static SimOptions Parse(string[] args)
    {
        var o = new SimOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"option {a} needs a value");
            switch (a)
            {
                case "-h": case "--help": o.Help = true; break;
                case "--broker": o.Broker = Value(); break;
                case "--ca": o.CaFile = Value(); break;
                case "--username": o.Username = Value(); break;
                case "--password-file": o.PasswordFile = Value(); break;
                case "--listen": o.Listen = Value(); break;
                case "--command-key-file": o.CommandKeyFile = Value(); break;
                case "--centre-username": o.CentreUsername = Value(); break;
                case "--centre-password-file": o.CentrePasswordFile = Value(); break;
                case "--centre-keys": o.CentreKeysFile = Value(); break;
                case "--config": o.ConfigFile = Value(); break;
                case "--data": o.DataFolder = Value(); break;
                case "--events": o.EventsFile = Value(); break;
                case "--until": o.Until = Value(); break;
                case "--out": o.OutFile = Value(); break;
                case "--presses": o.Presses = int.Parse(Value()); break;
                case "--console": o.ConsolePort = ParseConsole(Value()); break;
                case "demo": case "run": case "replay": case "latency": case "scenario": o.Mode = a; break;
                default:
                    if (o.Mode == "scenario" && !a.StartsWith('-')) { o.ScenarioFiles.Add(a); break; }
                    throw new ArgumentException($"unknown argument \"{a}\" (see --help)");
            }
        }
        if (o.Listen != null)
        {
            if (o.Broker != null) throw new ArgumentException("--listen: only for the embedded broker; with --broker there is none");
            EmbeddedBroker.Addresses(o.Listen); // refuses what is not an IP address
        }
        if (o.CentrePasswordFile != null && o.CentreUsername == null)
            throw new ArgumentException("--centre-password-file: needs --centre-username (the centre's account, e.g. pat.backend)");
        if (o.CentreUsername != null)
        {
            if (o.CentreUsername.Length == 0 || o.CentreUsername.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                throw new ArgumentException($"--centre-username: expected a user name without spaces, got \"{o.CentreUsername}\"");
            if (o.Broker == null) throw new ArgumentException("--centre-username: only with --broker; the embedded broker has no accounts");
        }
        if (o.Broker != null)
        {
            var (host, _, tls) = ParseBroker(o.Broker);
            CheckPasswordTransport(host, tls, o.PasswordFile, "--password-file");
            CheckPasswordTransport(host, tls, o.CentrePasswordFile, "--centre-password-file");
        }
        return o;
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

    private static int ParseConsole(string value)
    {
        if (value.StartsWith("tcp:") && int.TryParse(value[4..], out int port) && port >= 0 && port <= 65535) return port;
        throw new ArgumentException($"--console: expected tcp:PORT (loopback only), got \"{value}\"");
    }

    /// <summary>Splits mqtt://host:port or mqtts://host:port.</summary>
    public static (string Host, int Port, bool Tls) ParseBroker(string url)
    {
        bool tls = url.StartsWith("mqtts://");
        if (!tls && !url.StartsWith("mqtt://")) throw new ArgumentException($"--broker: expected mqtt://host:port or mqtts://host:port, got \"{url}\"");
        var uri = new Uri(url);
        int port = uri.IsDefaultPort || uri.Port < 0 ? (tls ? 8883 : 1883) : uri.Port;
        return (uri.Host, port, tls);
    }
}
