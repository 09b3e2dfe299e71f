using System.CommandLine;

namespace PingAnTong.Edge.Pat;

public static class Program
{
    // On a terminal pat console reads keys itself (the PIN is not echoed, arrow-key history); else it reads lines.
    public static int Main(string[] args) => PatCli.Run(args, Console.Out, Console.Error, Console.In, Console.IsInputRedirected ? null : new TerminalKeys());
}

/// <summary>The command tree; <see cref="Run"/> is also what the tests call, with their own writers.</summary>
public static class PatCli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin, IKeySource keys = null)
    {
        var root = new RootCommand("pat: the PingAnTong.Edge field tool (hub console, config validation, provisioning, flashing)");
        var lang = new Option<string>("--lang") { Description = "language of the messages: en or zh-CN (default: the system's language)", Recursive = true, HelpName = "en|zh-CN" };
        root.Options.Add(lang);

        var port = new Option<string>("--port") { Description = "serial port (/dev/ttyUSB0, COM5) or tcp://127.0.0.1:PORT (simulator); without it, the one USB serial port of this computer" };
        var baud = new Option<int>("--baud") { Description = "serial speed", DefaultValueFactory = _ => 115200 };
        var exec = new Option<string[]>("--exec") { Description = "run this command and exit (repeatable); exit code 1 when a reply is an error", AllowMultipleArgumentsPerToken = false };
        var timeout = new Option<int>("--timeout") { Description = "seconds to wait for each reply", DefaultValueFactory = _ => 10 };
        var console = new Command("console", "interactive terminal to a hub's console (history: 'history', '!!', '!N')") { port, baud, exec, timeout };
        console.SetAction(r => ConsoleCommand.Run(r.GetValue(port), r.GetValue(baud), r.GetValue(exec) ?? Array.Empty<string>(), r.GetValue(timeout), stdout, stderr, stdin, keys));
        root.Subcommands.Add(console);

        var file = new Argument<string>("FILE") { Description = "hub config (JSON)" };
        var board = new Option<string>("--board") { Description = "also check the pins against a board pin map (a name in hardware/boards, or a file)" };
        var validate = new Command("validate", "validate a hub config with the hub's own validator") { file, board };
        validate.SetAction(r => ConfigValidate.Run(r.GetValue(file)!, r.GetValue(board), stdout, stderr));
        var config = new Command("config", "hub configs") { validate };
        root.Subcommands.Add(config);

        var batch = new Option<string>("--batch") { Description = "the batch, CSV (UTF-8 or GBK, as Excel saves it) or an Excel workbook (.xlsx): hubId,location,board,wifi,brokerProfile (header line required)", Required = true };
        var profiles = new Option<string>("--profiles") { Description = "broker profiles (JSON): name -> host, port, tls, caFile, username", Required = true };
        var secrets = new Option<string>("--secrets") { Description = "secrets (JSON, kept off the repo): wifi passwords by network, broker passwords by profile, installerPin", Required = true };
        var outDir = new Option<string>("--out") { Description = "output folder; one folder per hub", Required = true };
        var template = new Option<string>("--template") { Description = "hub config template (default: the reference board's inputs and sensors)" };
        var provision = new Command("provision", "make per-hub config, nanoff file deployment and (secret) network deployment from a batch file") { batch, profiles, secrets, outDir, template };
        provision.SetAction(r => Provision.Run(r.GetValue(batch)!, r.GetValue(profiles)!, r.GetValue(secrets)!, r.GetValue(outDir)!, r.GetValue(template), stdout, stderr));
        root.Subcommands.Add(provision);

        var hubDir = new Option<string>("--hub-dir") { Description = "a hub folder made by pat provision", Required = true };
        var flashPort = new Option<string>("--port") { Description = "the hub's USB serial port (COM5, /dev/ttyUSB0)", Required = true };
        var image = new Option<string>("--image") { Description = "PingAnTong.Edge.Esp32.bin from the Windows build", Required = true };
        var target = new Option<string>("--target") { Description = "nanoFramework firmware target", DefaultValueFactory = _ => "ESP32_REV3" };
        var updateFirmware = new Option<bool>("--update-firmware") { Description = "flash the nanoFramework firmware first" };
        var dryRun = new Option<bool>("--dry-run") { Description = "check and print the nanoff commands only; nothing is flashed" };
        var firmwareArchive = new Option<string>("--firmware-archive") { Description = "with --update-firmware: the firmware from this local nanoff archive (nanoff --fromarchive --archivepath), nothing downloaded on site; fill it with nanoff --updatearchive --target ESP32_REV3 --archivepath DIR", HelpName = "DIR" };
        var clrFile = new Option<string>("--clr-file") { Description = "with --update-firmware: flash this local nanoCLR.bin (nanoff --clrfile)", HelpName = "FILE" };
        var flash = new Command("flash", "flash one provisioned hub with the nanoff-config scripts (checks prerequisites first)") { hubDir, flashPort, image, target, updateFirmware, firmwareArchive, clrFile, dryRun };
        flash.SetAction(r => Flash.Run(r.GetValue(hubDir)!, r.GetValue(flashPort)!, r.GetValue(image)!, r.GetValue(target)!, r.GetValue(updateFirmware), r.GetValue(dryRun), stdout, stderr, r.GetValue(firmwareArchive), r.GetValue(clrFile)));
        root.Subcommands.Add(flash);

        var parsed = root.Parse(args);
        string langValue = parsed.GetValue(lang);
        var culture = Text.Parse(langValue);
        Text.Culture = culture; // null: the system's language; set on every call, never left from the last
        if (langValue != null && culture == null)
        {
            stderr.WriteLine("pat: " + Text.Get("LangUnknown", langValue));
            return 2;
        }
        // A mistake on the command line: one line naming it, exit 2 (System.CommandLine's own would print the help, exit 1).
        if (args.Length == 0) parsed = root.Parse(new[] { "--help" });
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            // An unknown word is the mistake to name first (it also leaves a command without its required parts).
            var error = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
            stderr.WriteLine("pat: " + error.Message.Replace('\n', ' ').Trim() + " " + Text.Get("SeeHelp"));
            return 2;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    /// <summary>Where the tool's shipped files are (boards, scripts, template): next to the binary.</summary>
    public static string ShippedFile(params string[] parts) => Path.Combine(new[] { AppContext.BaseDirectory }.Concat(parts).ToArray());
}
