using System.CommandLine;
using System.CommandLine.Help;
using System.Reflection;

namespace PingAnTong.Edge.Simulator;

/// <summary>
/// The simulator's command line on System.CommandLine (as pat's): the modes are subcommands (no mode: demo),
/// the options are shared by all of them. Parsing only: <see cref="Parse"/> turns the arguments into
/// <see cref="SimOptions"/>, and the entry point (Program.cs) prints a mistake as one line, exit code 2.
/// </summary>
public static class SimCli
{
    public sealed class Parsed
    {
        public SimOptions Options;
        /// <summary>The System.CommandLine result, to print the help or the version.</summary>
        public ParseResult Result;
    }

    private const string RootDescription = """
        PingAnTong.Edge simulator: the hub's core on virtual hardware, talking to a real MQTT broker.
        Without a mode: the demo. Exit codes: 0 done, 1 a runtime failure (broker unreachable, login refused,
        port in use, a scenario expectation failed), 2 a mistake on the command line (the message names the option), 130 stopped by Ctrl+C.
        """;

    public static Parsed Parse(string[] args)
    {
        var broker = new Option<string>("--broker") { Description = "mqtt://host:port or mqtts://host:port instead of the embedded broker", Recursive = true, HelpName = "URL" };
        var ca = new Option<string>("--ca") { Description = "CA certificate (PEM) trusted for mqtts:// (with --broker only)", Recursive = true, HelpName = "FILE" };
        var username = new Option<string>("--username") { Description = "MQTT user name (with --broker only)", Recursive = true, HelpName = "NAME" };
        var passwordFile = new Option<string>("--password-file")
        {
            Description = "file holding the MQTT password (never on the command line); needs --username; refused with a plain mqtt:// broker that is not on a loopback address (use mqtts:// and --ca)",
            Recursive = true,
            HelpName = "FILE",
        };
        var commandKeyFile = new Option<string>("--command-key-file")
        {
            Description = "the hub's command key (its folder's secret/command-key from pat provision), in place of the file its config's security.commandKeyFile names (I:\\command-key); run and demo only",
            Recursive = true,
            HelpName = "FILE",
        };
        var centreUsername = new Option<string>("--centre-username")
        {
            Description = "the stand-in centre's own broker account (pat provision's backend account, pat.backend); without it the centre connects anonymously, which a broker set up as docs/broker/mosquitto.conf refuses. Only with --broker",
            Recursive = true,
            HelpName = "NAME",
        };
        var centrePasswordFile = new Option<string>("--centre-password-file")
        {
            Description = "file holding that account's password (secret/broker-PROFILE/backend-password); needs --centre-username; refused with a plain mqtt:// broker that is not on a loopback address, like --password-file",
            Recursive = true,
            HelpName = "FILE",
        };
        var centreKeys = new Option<string>("--centre-keys")
        {
            Description = "the backend's command keys (secret/broker-PROFILE/command-keys.csv, columns hubId,commandKey): the centre signs with the row of the hub's id. Default: the hub's own key (--command-key-file, the config's file, or a key for this run)",
            Recursive = true,
            HelpName = "FILE",
        };
        var listen = new Option<string>("--listen")
        {
            Description = "where the embedded broker listens; default 127.0.0.1 and ::1 (loopback only). It has no accounts and no TLS: 0.0.0.0, :: or a LAN address let anyone who reaches it read and command the hub",
            Recursive = true,
            HelpName = "ADDRESS",
        };
        var config = new Option<string>("--config") { Description = "hub config (JSON, validated); default: the demo config", Recursive = true, HelpName = "FILE" };
        var data = new Option<string>("--data") { Description = "storage folder (outbox, counters, config), kept; default: a new temporary folder, removed when the simulator ends", Recursive = true, HelpName = "DIR" };
        var console = new Option<string>("--console")
        {
            Description = "the hub's technician console on 127.0.0.1:PORT (run, demo), for pat console; always loopback only (the PIN crosses it in clear); tcp:0 takes any free port",
            Recursive = true,
            HelpName = "tcp:PORT",
        };

        var root = new RootCommand(RootDescription) { broker, ca, username, passwordFile, commandKeyFile, centreUsername, centrePasswordFile, centreKeys, listen, config, data, console };
        var demo = new Command("demo", "start a broker in this process, a hub with the demo config and a stand-in call centre; press SOS and watch the alarm travel to the centre and its ack come back (the default)");
        var run = new Command("run", "interactive: type commands (help lists them) to press buttons, open the door, set the gas level, inject sensor faults, cut the link, reboot the hub or cut its power; quit (or Ctrl+C, SIGTERM, end of input) stops cleanly");
        var scenarioFiles = new Argument<string[]>("FILE") { Description = "scenario scripts (tools/scenarios/*.scenario)", Arity = ArgumentArity.OneOrMore };
        var scenario = new Command("scenario", "run scenario scripts in virtual time, as fast as the machine allows; prints a report and exits 1 when an expectation fails") { scenarioFiles };
        var presses = new Option<int>("--presses") { Description = "number of SOS presses", DefaultValueFactory = _ => 500 };
        var latency = new Command("latency", "benchmark: SOS presses in real time against the embedded broker, pin edge -> independent subscriber, beside raw MQTTnet publish -> receive") { presses };
        var events = new Option<string>("--events") { Description = "the recording: CSV with header time,sensor,kind,state; kinds motion, door, contact, bed, chair (on = occupied), sos, ok; local time without zone, taken as UTC", Required = true, HelpName = "FILE.csv" };
        var until = new Option<string>("--until") { Description = "stop at this time", HelpName = "ISO-TIME" };
        var outFile = new Option<string>("--out") { Description = "write the JSON lines here instead of standard output", HelpName = "FILE.jsonl" };
        var replay = new Command("replay", "run the hub in virtual time over a recording and write one JSON line per message published: {\"topic\": \"...\", \"payload\": {...}}; without --config each sensor of the file becomes an input") { events, until, outFile };
        foreach (var c in new[] { demo, run, scenario, latency, replay }) root.Subcommands.Add(c);
        // The modes are run by the entry point; an action on each command only tells System.CommandLine that the
        // command is complete (no mode is the demo).
        foreach (var c in new Command[] { root, demo, run, scenario, latency, replay }) c.SetAction(_ => 0);

        var result = root.Parse(args);
        if (result.Errors.Count > 0) throw new ArgumentException(OneLine(result.Errors[0].Message) + " (see --help)");

        var o = new SimOptions
        {
            Mode = result.CommandResult.Command == root ? "demo" : result.CommandResult.Command.Name,
            Broker = result.GetValue(broker),
            CaFile = result.GetValue(ca),
            Username = result.GetValue(username),
            PasswordFile = result.GetValue(passwordFile),
            CommandKeyFile = result.GetValue(commandKeyFile),
            CentreUsername = result.GetValue(centreUsername),
            CentrePasswordFile = result.GetValue(centrePasswordFile),
            CentreKeysFile = result.GetValue(centreKeys),
            Listen = result.GetValue(listen),
            ConfigFile = result.GetValue(config),
            DataFolder = result.GetValue(data),
            Help = result.Action is HelpAction,
            Version = result.Action != null && result.Action.GetType().Name.Contains("Version"),
        };
        string consoleValue = result.GetValue(console);
        if (consoleValue != null) o.ConsolePort = SimOptions.ParseConsole(consoleValue);
        if (o.Mode == "scenario" && !o.Help) o.ScenarioFiles.AddRange(result.GetValue(scenarioFiles) ?? Array.Empty<string>());
        if (o.Mode == "latency")
        {
            o.Presses = result.GetValue(presses);
            if (o.Presses < 1) throw new ArgumentException($"--presses: expected a number of presses of at least 1, got {o.Presses}");
        }
        if (o.Mode == "replay" && !o.Help)
        {
            o.EventsFile = result.GetValue(events);
            o.Until = result.GetValue(until);
            o.OutFile = result.GetValue(outFile);
        }
        if (!o.Help && !o.Version) o.CheckCombinations();
        return new Parsed { Options = o, Result = result };
    }

    /// <summary>The version shown by --version: the assembly's informational version without the source hash.</summary>
    public static string VersionText
    {
        get
        {
            string v = typeof(SimCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            int plus = v.IndexOf('+');
            return plus > 0 ? v[..plus] : v;
        }
    }

    private static string OneLine(string s) => s.Replace("\r", "").Replace('\n', ' ').Trim();
}
