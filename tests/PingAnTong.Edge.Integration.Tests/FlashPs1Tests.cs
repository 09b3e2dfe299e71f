using System.Diagnostics;
using System.Text;
using Xunit;

namespace PingAnTong.Edge.Tests;

/// <summary>
/// nanoff-config/flash.ps1, the installer's script on Windows, run by a real PowerShell: PowerShell 7.6.9, installed
/// by the test from NuGet as a .NET tool (the package's version that runs on .NET 10). Its checks before anything is
/// flashed, in both languages, the firmware archive checked by content, a dry run's nanoff commands, and the release
/// bundle's nanoff preferred. Not covered: Windows PowerShell 5.1 (the script is saved as UTF-8 with BOM for it) and COM
/// ports (the script does not open the port; nanoff does).
/// </summary>
public class FlashPs1Tests
{
    private static readonly Lazy<string> Pwsh = new(Install);

    private static string Install()
    {
        string dir = Directory.CreateTempSubdirectory("pat-pwsh-").FullName;
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "tool", "install", "--tool-path", dir, "PowerShell", "--version", "7.6.9" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"dotnet tool install PowerShell 7.6.9 failed (NuGet needed): {output}{err.Result}");
        return Path.Combine(dir, OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh");
    }

    private static (int Rc, string Out, string[] Said) Run(string script, Dictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo(Pwsh.Value) { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8, StandardErrorEncoding = Encoding.UTF8 };
        foreach (var a in new[] { "-NoProfile", "-NonInteractive", "-File", script }.Concat(args)) psi.ArgumentList.Add(a);
        foreach (var name in new[] { "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE" }) psi.Environment.Remove(name);
        psi.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        if (env != null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        string[] said = err.Result.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("flash.ps1: ", StringComparison.Ordinal)).ToArray();
        return (p.ExitCode, output, said);
    }

    private static readonly string Script = Path.Combine(Paths.RepoRoot, "nanoff-config", "flash.ps1");

    [Fact]
    public void Mistakes_are_one_line_in_the_language_asked_for_with_exit_code_2()
    {
        if (!OperatingSystem.IsLinux()) return;
        var (rc, _, said) = Run(Script, null, "-Lang", "zh-CN");
        Assert.Equal(2, rc);
        Assert.Equal(new[] { "flash.ps1: 缺少 -Port（网关的 COM 口，例如 COM5；列出串口：nanoff --listports）" }, said);
        (rc, _, said) = Run(Script, null, "-Lang", "en", "-Port", "COM5");
        Assert.Equal(2, rc);
        Assert.Equal(new[] { "flash.ps1: missing -Image (PingAnTong.Edge.Esp32.bin from the Windows build)" }, said);
        (rc, _, said) = Run(Script, new() { ["LANG"] = "zh_CN.UTF-8" }, "-Port", "COM5");
        Assert.Equal(2, rc);
        Assert.Equal(new[] { "flash.ps1: 缺少 -Image（Windows 构建产出的 PingAnTong.Edge.Esp32.bin）" }, said); // the system's language
        (rc, _, said) = Run(Script, null, "-Lang", "fr");
        Assert.Equal(2, rc);
        Assert.Equal(new[] { "flash.ps1: -Lang fr: expected zh-CN or en / 应为 zh-CN 或 en" }, said);
    }

    [Fact]
    public void The_firmware_archive_is_checked_by_content_and_a_dry_run_prints_the_nanoff_commands()
    {
        if (!OperatingSystem.IsLinux()) return;
        string dir = Directory.CreateTempSubdirectory("pat-ps1-").FullName;
        var (hubDir, image) = PatFlashBundleTests.Hub(dir);
        string archive = Path.Combine(dir, "firmware");
        Directory.CreateDirectory(archive);
        string[] Args(string lang) => new[] { "-Port", "COM5", "-Image", image, "-HubDir", hubDir, "-UpdateFirmware", "-FirmwareArchive", archive, "-DryRun", "-Lang", lang };
        string refillEn = $"fill the folder again at the desk: nanoff --updatearchive --target ESP32_REV3 --archivepath {archive}";

        var (rc, _, said) = Run(Script, null, Args("en"));
        Assert.Equal(2, rc);
        Assert.Equal(new[] { $"flash.ps1: -FirmwareArchive {archive}: holds no firmware for ESP32_REV3 (fill it at the desk: nanoff --updatearchive --target ESP32_REV3 --archivepath {archive})" }, said);

        string zip = FirmwareArchiveFixture.Write(archive, "ESP32_REV3", "1.12.0", new[] { "nanoCLR.bin" });
        (rc, _, said) = Run(Script, null, Args("en"));
        Assert.Equal(2, rc);
        Assert.Equal(new[] { $"flash.ps1: -FirmwareArchive {archive}: ESP32_REV3-1.12.0.zip lacks bootloader.bin, partitions_*mb.bin; {refillEn}" }, said);
        (rc, _, said) = Run(Script, null, Args("zh-CN"));
        Assert.Equal(2, rc);
        Assert.Equal(new[] { $"flash.ps1: -FirmwareArchive {archive}：ESP32_REV3-1.12.0.zip 里缺少 bootloader.bin, partitions_*mb.bin；在办公室重新填好这个文件夹：nanoff --updatearchive --target ESP32_REV3 --archivepath {archive}" }, said);

        File.WriteAllText(zip, "not a zip");
        (rc, _, said) = Run(Script, null, Args("en"));
        Assert.Equal(2, rc);
        Assert.Equal(new[] { $"flash.ps1: -FirmwareArchive {archive}: ESP32_REV3-1.12.0.zip is not a zip file (damaged copy?); {refillEn}" }, said);

        File.Delete(zip);
        FirmwareArchiveFixture.Write(archive, "ESP32_REV3", "1.12.0", FirmwareArchiveFixture.Esp32Rev3Files);
        (rc, var output, said) = Run(Script, new() { ["PATH"] = "/usr/bin:/bin" }, Args("zh-CN"));
        Assert.True(rc == 0, output + string.Join("\n", said));
        Assert.Empty(said);
        Assert.Contains($"firmware: ESP32_REV3 1.12.0 from {zip}", output);
        Assert.Contains($"+ nanoff --update --target ESP32_REV3 --serialport COM5 --fromarchive --archivepath {archive} --suppressnanoffversioncheck", output);
        Assert.Contains($"+ nanoff --nanodevice --deploy --serialport COM5 --image {image}", output);
        Assert.StartsWith("试运行：什么都没有烧录。", output.TrimEnd().Split('\n').Last());
    }

    [Fact]
    public void The_release_bundles_nanoff_is_preferred_and_named()
    {
        if (!OperatingSystem.IsLinux()) return;
        string bundle = Directory.CreateTempSubdirectory("pat-ps1-bundle-").FullName;
        // The bundle's layout (tools/release/README.md): nanoff-config\flash.ps1 beside nanoff\win-x64\nanoff.exe.
        Directory.CreateDirectory(Path.Combine(bundle, "nanoff-config"));
        string script = Path.Combine(bundle, "nanoff-config", "flash.ps1");
        File.Copy(Script, script);
        string nanoff = Path.Combine(bundle, "nanoff", "win-x64", "nanoff.exe");
        Directory.CreateDirectory(Path.GetDirectoryName(nanoff)!);
        File.WriteAllText(nanoff, "");
        var (hubDir, image) = PatFlashBundleTests.Hub(bundle);

        var (rc, output, said) = Run(script, new() { ["PATH"] = "/usr/bin:/bin" }, "-Port", "COM5", "-Image", image, "-HubDir", hubDir, "-DryRun", "-Lang", "en");
        Assert.True(rc == 0, output + string.Join("\n", said));
        Assert.Contains($"nanoff: {nanoff} (the release bundle's)", output);
        Assert.DoesNotContain("dotnet tool install", output);
        Assert.EndsWith($"dry run: nothing was flashed. A real run would run the nanoff commands above for hub-0101 on COM5.", output.TrimEnd());
    }
}
