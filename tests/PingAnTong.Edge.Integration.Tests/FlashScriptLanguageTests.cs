using System.Diagnostics;
using Xunit;

namespace PingAnTong.Edge.Tests;

/// <summary>
/// nanoff-config/flash.sh speaks Chinese or English: --lang zh-CN|en, else the system locale (LC_ALL, LC_MESSAGES,
/// LANG), English for anything else; the exit codes are the same in both. (flash.ps1 is its Windows twin, with
/// -Lang and Get-UICulture, run by PowerShell 7 in <see cref="FlashPs1Tests"/>.)
/// </summary>
public class FlashScriptLanguageTests
{
    private static readonly string Script = Path.Combine(Paths.RepoRoot, "nanoff-config", "flash.sh");

    private static (int Rc, string Out, string Err) Bash(IDictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = System.Text.Encoding.UTF8, StandardErrorEncoding = System.Text.Encoding.UTF8 };
        psi.ArgumentList.Add(Script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var name in new[] { "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE" }) psi.Environment.Remove(name);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    private static readonly Dictionary<string, string> NoLocale = new();

    /// <summary>The script's own lines (bash itself may warn that a locale is not installed here: the script needs none).</summary>
    private static string[] Said(string err) => err.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("flash.sh: ", StringComparison.Ordinal)).ToArray();

    [Fact]
    public void The_usage_error_and_a_missing_prerequisite_are_said_in_the_language_asked_for()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = Directory.CreateTempSubdirectory("pat-flash-lang-").FullName;
        string bin = Path.Combine(dir, "app.bin");
        File.WriteAllBytes(bin, new byte[4]);
        const string missingPortEn = "flash.sh: missing --port (the hub's serial port, e.g. /dev/ttyUSB0; list ports with: nanoff --listports)";
        const string missingPortZh = "flash.sh: 缺少 --port（网关的串口，例如 /dev/ttyUSB0；列出串口：nanoff --listports）";
        string missingFileEn = $"flash.sh: --hub-dir {dir}: config.json is missing; run pat provision for this hub again";
        string missingFileZh = $"flash.sh: --hub-dir {dir}：缺少 config.json；请为这台网关重新运行 pat provision";

        foreach (var (env, lang, usage, missingFile) in new (Dictionary<string, string>, string[], string, string)[]
                 {
                     (NoLocale, new[] { "--lang", "zh-CN" }, missingPortZh, missingFileZh),
                     (NoLocale, new[] { "--lang=zh-CN" }, missingPortZh, missingFileZh),
                     (NoLocale, new[] { "--lang", "en" }, missingPortEn, missingFileEn),
                     (new() { ["LANG"] = "zh_CN.UTF-8" }, new string[0], missingPortZh, missingFileZh),
                     (new() { ["LANG"] = "en_US.UTF-8", ["LC_ALL"] = "zh_CN.UTF-8" }, new string[0], missingPortZh, missingFileZh),
                     (new() { ["LANG"] = "zh_CN.UTF-8" }, new[] { "--lang", "en" }, missingPortEn, missingFileEn), // --lang wins over the locale
                     (new() { ["LANG"] = "de_DE.UTF-8" }, new string[0], missingPortEn, missingFileEn), // neither: English
                     (NoLocale, new string[0], missingPortEn, missingFileEn),
                 })
        {
            var (rc, _, err) = Bash(env, lang);
            Assert.True(rc == 2, string.Join(" ", env.Select(e => e.Key + "=" + e.Value).Concat(lang)) + ": " + err);
            Assert.Equal(new[] { usage }, Said(err));

            (rc, _, err) = Bash(env, lang.Concat(new[] { "--port", "/dev/null", "--image", bin, "--hub-dir", dir }).ToArray());
            Assert.Equal(2, rc);
            Assert.Equal(new[] { missingFile }, Said(err));
        }

        var (code, help, _) = Bash(NoLocale, "--lang", "zh-CN", "--help");
        Assert.Equal(0, code);
        Assert.StartsWith("用法：nanoff-config/flash.sh --port PORT --image APP.bin --hub-dir DIR", help);
        Assert.Contains("退出码：0 完成，2 输入有误或缺少输入，3 没有 nanoff 且无法安装，4 某个 nanoff 步骤失败。", help);
        (code, help, _) = Bash(NoLocale, "--help");
        Assert.StartsWith("Usage: nanoff-config/flash.sh", help);
        Assert.Contains("--lang zh-CN|en", help);

        var (bad, _, badErr) = Bash(NoLocale, "--lang", "fr");
        Assert.Equal(2, bad);
        Assert.Equal(new[] { "flash.sh: --lang fr: expected zh-CN or en" }, Said(badErr));
    }
}
