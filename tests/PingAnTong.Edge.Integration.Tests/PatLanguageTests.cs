using System.Text.RegularExpressions;
using PingAnTong.Edge.Pat;
using Xunit;
using static PingAnTong.Edge.Tests.PatRun;

namespace PingAnTong.Edge.Tests;

/// <summary>
/// pat speaks English and Chinese: every message exists in both with the same placeholders, --lang chooses, and the
/// machine-readable results (exit codes, the files written) are the same in both.
/// </summary>
public class PatLanguageTests
{
    private static string Placeholders(string format) =>
        string.Join(",", Regex.Matches(format, @"\{\d+\}").Select(m => m.Value).Distinct().OrderBy(x => x));

    [Fact]
    public void Every_message_has_english_and_chinese_with_the_same_placeholders()
    {
        var all = Text.All().ToList();
        Assert.True(all.Count >= 20, $"only {all.Count} messages");
        foreach (var (key, english, chinese) in all)
        {
            Assert.False(string.IsNullOrWhiteSpace(english), key);
            Assert.False(string.IsNullOrWhiteSpace(chinese), $"{key} has no Chinese text");
            Assert.Equal(Placeholders(english), Placeholders(chinese));
            Assert.Matches(@"[\u4e00-\u9fff（）]", chinese); // written in Chinese, not copied
        }
    }

    [Fact]
    public void Every_help_text_is_a_message_in_both_languages()
    {
        var keys = Text.All().Select(m => m.Key).ToHashSet();
        foreach (var key in new[] { "HelpPat", "HelpLang", "HelpConsole", "HelpConsolePort", "HelpValidate", "HelpValidateFile", "HelpProvision", "HelpProvisionBatch",
                     "HelpProvisionOut", "HelpFlash", "HelpFlashFirmwareArchive", "HelpHelp", "HelpDescriptionHeading", "HelpRequired", "HelpDefault" })
            Assert.Contains(key, keys); // and so checked above: English and Chinese, the same placeholders

        // Every command's help in Chinese: each description line has Chinese in it (none left in English); the usage line is names.
        foreach (var command in new[] { new string[0], new[] { "console" }, new[] { "config" }, new[] { "config", "validate" }, new[] { "provision" }, new[] { "flash" } })
        {
            var (rc, output, err) = RunPat(new[] { "--lang", "zh-CN" }.Concat(command).Append("--help").ToArray());
            Assert.Equal(0, rc);
            Assert.Equal("", err);
            Assert.StartsWith("说明：", output);
            foreach (var line in output.Split('\n').Select(l => l.TrimEnd()).Where(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.EndsWith("[options]", StringComparison.Ordinal)))
                Assert.True(Regex.IsMatch(line, @"[\u4e00-\u9fff]"), $"pat {string.Join(" ", command)} --help: not in Chinese: {line}");
        }
    }

    [Fact]
    public void Help_speaks_the_language_of_lang()
    {
        const string provisionEn = "make per-hub config, nanoff file deployment and (secret) network deployment from a batch file";
        const string provisionZh = "根据批次文件为每台网关生成配置";
        const string batchEn = "the batch, CSV (UTF-8 or GBK, as Excel saves it)";
        const string batchZh = "批次文件，CSV（UTF-8 或 GBK，Excel 直接保存的即可）";

        var (rc, root, _) = RunPat("--lang", "zh-CN", "--help");
        Assert.Equal(0, rc);
        Assert.Contains("provision  " + provisionZh, root);
        Assert.DoesNotContain(provisionEn, root);
        Assert.DoesNotContain("the PingAnTong.Edge field tool", root);

        (rc, var provision, _) = RunPat("--lang", "zh-CN", "provision", "--help");
        Assert.Equal(0, rc);
        Assert.Contains(provisionZh, provision);
        Assert.Contains(batchZh, provision);
        Assert.Contains("hubId,location,board,wifi,brokerProfile", provision); // field names, file names and examples stay as they are
        Assert.Contains("--batch <batch> (必填)", provision);
        Assert.DoesNotContain(provisionEn, provision);
        Assert.DoesNotContain(batchEn, provision);
        Assert.DoesNotContain("(REQUIRED)", provision);
        Assert.DoesNotContain("Description:", provision);

        (rc, root, _) = RunPat("--lang", "en", "--help");
        Assert.Equal(0, rc);
        Assert.Contains("provision  " + provisionEn, root);
        Assert.DoesNotContain(provisionZh, root);
        (rc, provision, _) = RunPat("provision", "--help", "--lang", "en");
        Assert.Equal(0, rc);
        Assert.StartsWith("Description:", provision);
        Assert.Contains(batchEn, provision);
        Assert.Contains("--batch <batch> (REQUIRED)", provision);
        Assert.DoesNotContain(batchZh, provision);
    }

    [Fact]
    public void Flash_prerequisites_speak_the_language_of_lang()
    {
        string dir = Path.Combine(Path.GetTempPath(), "pat-lang-no-hub-" + Guid.NewGuid().ToString("N"));
        string image = Path.Combine(dir, "PingAnTong.Edge.Esp32.bin");
        foreach (var (lang, hubDir, imageMissing, notStarted) in new[]
                 {
                     ("en", $"--hub-dir {dir}: folder not found (make it with pat provision)", $"--image {image}: file not found", "pat flash: not started"),
                     ("zh-CN", $"--hub-dir {dir}：找不到文件夹（先用 pat provision 生成）", $"--image {image}：找不到文件", "pat flash：未开始烧录"),
                 })
        {
            var (rc, _, err) = RunPat("flash", "--lang", lang, "--hub-dir", dir, "--port", "COM5", "--image", image, "--dry-run");
            Assert.Equal(2, rc);
            Assert.Contains(hubDir, err);
            Assert.Contains(imageMissing, err);
            Assert.Contains(notStarted, err);
        }
    }

    [Fact]
    public void Lang_chooses_the_language_and_the_results_stay_the_same()
    {
        var results = new Dictionary<string, (int Rc, string Out, string Err, string Config)>();
        foreach (var lang in new[] { "en", "zh-CN" })
        {
            string outDir = Directory.CreateTempSubdirectory("pat-lang-").FullName;
            var (rc, output, err) = RunPat("provision", "--lang", lang, "--batch", Path.Combine(Samples, "batch.csv"), "--profiles", Path.Combine(Samples, "brokers.json"),
                "--secrets", Path.Combine(Samples, "secrets.example.json"), "--out", outDir);
            string config = File.ReadAllText(Path.Combine(outDir, "hub-0101", "config.json"));
            // The secrets differ per run; the structure does not.
            config = Regex.Replace(config, "\"(pinSalt|pinHash)\": \"[^\"]*\"", "\"$1\": \"\"");
            results[lang] = (rc, output, err, config);
        }
        Assert.Equal(0, results["en"].Rc);
        Assert.Equal(0, results["zh-CN"].Rc);
        Assert.Equal(results["en"].Config, results["zh-CN"].Config);
        Assert.StartsWith("provisioned 3 hub(s) into ", results["en"].Out);
        Assert.StartsWith("已为 3 台网关生成文件，位于 ", results["zh-CN"].Out);
        Assert.Contains("下一步：pat config validate ", results["zh-CN"].Out);

        string bad = Path.Combine(Directory.CreateTempSubdirectory("pat-lang-bad-").FullName, "hubs.csv");
        File.WriteAllText(bad, "hubId,location,board,wifi,brokerProfile\nhub-0201,x,esp32-devkitc-v4,NoSuchWifi,lab\n");
        foreach (var (lang, refused, problem) in new[]
                 {
                     ("en", "pat provision: refused (1 problem(s)); nothing was written", "line 2: no password for Wi-Fi network \"NoSuchWifi\""),
                     ("zh-CN", "pat provision：已拒绝（1 个问题）；什么都没有写入", "第 2 行：" + Path.Combine(Samples, "secrets.example.json") + "（wifi 部分）中没有 Wi-Fi 网络 \"NoSuchWifi\" 的密码"),
                 })
        {
            var (rc, _, err) = RunPat("provision", "--lang", lang, "--batch", bad, "--profiles", Path.Combine(Samples, "brokers.json"),
                "--secrets", Path.Combine(Samples, "secrets.example.json"), "--out", Path.Combine(Path.GetDirectoryName(bad)!, "out-" + lang));
            Assert.Equal(2, rc);
            Assert.Contains(refused, err);
            Assert.Contains(problem, err); // a problem names the file, the line and the field, in the language
        }
    }

    [Fact]
    public void Console_messages_and_the_pin_prompt_speak_chinese_with_lang_zh()
    {
        if (!OperatingSystem.IsWindows())
        {
            var (rc, _, err) = RunPat("console", "--lang", "zh-CN", "--port", "/dev/ttyUSB-pat-test-none", "--exec", "status");
            Assert.Equal(2, rc);
            Assert.Contains("没有这个串口", err);
        }
        var (trc, _, terr) = RunPat("console", "--lang", "zh-CN", "--port", "tcp://192.0.2.1:4700", "--exec", "status");
        Assert.Equal(2, trc);
        Assert.Contains("pat console：--port tcp://192.0.2.1:4700：已拒绝：控制台以明文发送安装员 PIN", terr);
        Assert.Contains("ssh -L 4700:127.0.0.1:4700 HOST", terr);
        var (urc, _, uerr) = RunPat("--lang", "fr", "config", "validate", "x.json");
        Assert.Equal(2, urc);
        Assert.Equal("pat: --lang fr: expected en or zh-CN", uerr.Trim());

        Text.Culture = Text.Chinese;
        try
        {
            var output = new StringWriter();
            var keys = new ScriptedLine("unlock\r2468\r");
            Assert.Equal("unlock 2468", new LineEditor(keys, output, new List<string>()).ReadLine());
            Assert.Contains("PIN（输入时不显示）：", output.ToString());
            Assert.DoesNotContain("2468", output.ToString());
        }
        finally
        {
            Text.Culture = null;
        }
    }

    [Fact]
    public void A_mistake_on_the_command_line_is_one_line_and_exit_code_2()
    {
        var (rc, output, err) = RunPat("provision", "--batch", "hubs.csv");
        Assert.Equal(2, rc);
        Assert.Equal("", output);
        Assert.Equal("pat: Option '--profiles' is required. (see pat --help)", err.Trim());
        (rc, _, err) = RunPat("frobnicate");
        Assert.Equal(2, rc);
        Assert.Equal("pat: Unrecognized command or argument 'frobnicate'. (see pat --help)", err.Trim());
        (rc, _, err) = RunPat("--lang", "zh-CN", "console", "--port", "tcp://127.0.0.1:1", "--timeout", "x");
        Assert.Equal(2, rc);
        Assert.EndsWith("（见 pat --help）", err.Trim());
        (rc, output, _) = RunPat();
        Assert.Equal(0, rc);
        Assert.Contains("pat: the PingAnTong.Edge field tool", output);
    }

    private sealed class ScriptedLine : IKeySource
    {
        private readonly Queue<char> _chars;

        public ScriptedLine(string text) => _chars = new Queue<char>(text);

        public ConsoleKeyInfo? ReadKey()
        {
            if (_chars.Count == 0) return null;
            char c = _chars.Dequeue();
            return new ConsoleKeyInfo(c, c == '\r' ? ConsoleKey.Enter : ConsoleKey.A, false, false, false);
        }
    }
}
