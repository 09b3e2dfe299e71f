using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;

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
        // The language must be known before the tree is built (its help text comes from the resources): a first parse
        // reads --lang, then the tree is built again in that language.
        Text.Culture = null; // the system's language; set on every call, never left from the last
        var (root, lang) = Build(stdout, stderr, stdin, keys);
        string langValue = root.Parse(args).GetValue(lang);
        var culture = Text.Parse(langValue);
        if (langValue != null && culture == null)
        {
            stderr.WriteLine("pat: " + Text.Get("LangUnknown", langValue));
            return 2;
        }
        Text.Culture = culture;
        // System.CommandLine's own words (Usage:, Options:, its errors) follow the UI culture: the same language.
        var uiCulture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = Text.Culture;
        try
        {
            (root, _) = Build(stdout, stderr, stdin, keys);
            var parsed = root.Parse(args.Length == 0 ? new[] { "--help" } : args);
            // pat, pat --lang zh-CN, pat config: a command that only groups others shows its help.
            if (parsed.Errors.Count > 0 && parsed.UnmatchedTokens.Count == 0 && parsed.CommandResult.Command.Action == null)
                parsed = root.Parse(args.Append("--help").ToArray());
            // A mistake on the command line: one line naming it, exit 2 (System.CommandLine's own would print the help, exit 1).
            if (parsed.Errors.Count > 0 && parsed.Action is not HelpAction)
            {
                // An unknown word is the mistake to name first (it also leaves a command without its required parts).
                var error = parsed.Errors.FirstOrDefault(e => parsed.UnmatchedTokens.Any(t => e.Message.Contains("'" + t + "'", StringComparison.Ordinal))) ?? parsed.Errors[0];
                stderr.WriteLine("pat: " + error.Message.Replace('\n', ' ').Trim() + " " + Text.Get("SeeHelp"));
                return 2;
            }
            if (parsed.Action is HelpAction)
            {
                var help = new StringWriter();
                int rc = parsed.Invoke(new InvocationConfiguration { Output = help, Error = stderr });
                stdout.Write(Translated(help.ToString()));
                return rc;
            }
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        }
        finally
        {
            CultureInfo.CurrentUICulture = uiCulture;
        }
    }

    /// <summary>
    /// The words of System.CommandLine's help that its Chinese resources leave in English (Usage:, Options: … have
    /// Chinese and follow the UI culture): the "Description:" heading, "[default: " and "(REQUIRED)", the latter padded to the same
    /// width on screen so the columns stay aligned.
    /// </summary>
    private static string Translated(string help)
    {
        if (Text.Culture.Equals(Text.English)) return help;
        string required = Text.Get("HelpRequired");
        int width = required.Sum(c => c >= '\u2e80' ? 2 : 1);
        required += new string(' ', Math.Max(0, "(REQUIRED)".Length - width));
        help = help.Replace("(REQUIRED)", required, StringComparison.Ordinal).Replace("[default: ", Text.Get("HelpDefault"), StringComparison.Ordinal);
        return help.StartsWith("Description:", StringComparison.Ordinal) ? Text.Get("HelpDescriptionHeading") + help["Description:".Length..] : help;
    }

    /// <summary>The command tree, its descriptions in the current language (<see cref="Text.Culture"/>).</summary>
    private static (RootCommand Root, Option<string> Lang) Build(TextWriter stdout, TextWriter stderr, TextReader stdin, IKeySource keys)
    {
        static string H(string key) => Text.Get(key);
        var root = new RootCommand(H("HelpPat"));
        var lang = new Option<string>("--lang") { Description = H("HelpLang"), Recursive = true, HelpName = "en|zh-CN" };
        root.Options.Add(lang);
        // The --help line is System.CommandLine's own; its Chinese resources do not have it.
        root.Options.OfType<HelpOption>().First().Description = H("HelpHelp");

        var port = new Option<string>("--port") { Description = H("HelpConsolePort") };
        var baud = new Option<int>("--baud") { Description = H("HelpConsoleBaud"), DefaultValueFactory = _ => 115200 };
        var exec = new Option<string[]>("--exec") { Description = H("HelpConsoleExec"), AllowMultipleArgumentsPerToken = false };
        var timeout = new Option<int>("--timeout") { Description = H("HelpConsoleTimeout"), DefaultValueFactory = _ => 10 };
        var console = new Command("console", H("HelpConsole")) { port, baud, exec, timeout };
        console.SetAction(r => ConsoleCommand.Run(r.GetValue(port), r.GetValue(baud), r.GetValue(exec) ?? Array.Empty<string>(), r.GetValue(timeout), stdout, stderr, stdin, keys));
        root.Subcommands.Add(console);

        var file = new Argument<string>("FILE") { Description = H("HelpValidateFile") };
        var board = new Option<string>("--board") { Description = H("HelpValidateBoard") };
        var validate = new Command("validate", H("HelpValidate")) { file, board };
        validate.SetAction(r => ConfigValidate.Run(r.GetValue(file)!, r.GetValue(board), stdout, stderr));
        var config = new Command("config", H("HelpConfig")) { validate };
        root.Subcommands.Add(config);

        var batch = new Option<string>("--batch") { Description = H("HelpProvisionBatch"), Required = true };
        var profiles = new Option<string>("--profiles") { Description = H("HelpProvisionProfiles"), Required = true };
        var secrets = new Option<string>("--secrets") { Description = H("HelpProvisionSecrets"), Required = true };
        var outDir = new Option<string>("--out") { Description = H("HelpProvisionOut"), Required = true };
        var template = new Option<string>("--template") { Description = H("HelpProvisionTemplate") };
        var provision = new Command("provision", H("HelpProvision")) { batch, profiles, secrets, outDir, template };
        provision.SetAction(r => Provision.Run(r.GetValue(batch)!, r.GetValue(profiles)!, r.GetValue(secrets)!, r.GetValue(outDir)!, r.GetValue(template), stdout, stderr));
        root.Subcommands.Add(provision);

        var hubDir = new Option<string>("--hub-dir") { Description = H("HelpFlashHubDir"), Required = true };
        var flashPort = new Option<string>("--port") { Description = H("HelpFlashPort"), Required = true };
        var image = new Option<string>("--image") { Description = H("HelpFlashImage"), Required = true };
        var target = new Option<string>("--target") { Description = H("HelpFlashTarget"), DefaultValueFactory = _ => "ESP32_REV3" };
        var updateFirmware = new Option<bool>("--update-firmware") { Description = H("HelpFlashUpdateFirmware") };
        var dryRun = new Option<bool>("--dry-run") { Description = H("HelpFlashDryRun") };
        var firmwareArchive = new Option<string>("--firmware-archive") { Description = H("HelpFlashFirmwareArchive"), HelpName = "DIR" };
        var clrFile = new Option<string>("--clr-file") { Description = H("HelpFlashClrFile"), HelpName = "FILE" };
        var flashBoard = new Option<string>("--board") { Description = H("HelpFlashBoard") };
        var flash = new Command("flash", H("HelpFlash")) { hubDir, flashPort, image, target, updateFirmware, firmwareArchive, clrFile, flashBoard, dryRun };
        flash.SetAction(r => Flash.Run(r.GetValue(hubDir)!, r.GetValue(flashPort)!, r.GetValue(image)!, r.GetValue(target)!, r.GetValue(updateFirmware), r.GetValue(dryRun), stdout, stderr, r.GetValue(firmwareArchive), r.GetValue(clrFile), r.GetValue(flashBoard)));
        root.Subcommands.Add(flash);
        return (root, lang);
    }

    /// <summary>Where the tool's shipped files are (boards, scripts, template): next to the binary.</summary>
    public static string ShippedFile(params string[] parts) => Path.Combine(new[] { AppContext.BaseDirectory }.Concat(parts).ToArray());
}
