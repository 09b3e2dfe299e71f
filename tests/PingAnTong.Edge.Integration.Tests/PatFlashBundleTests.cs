using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using PingAnTong.Edge.Pat;
using Xunit;

namespace PingAnTong.Edge.Tests;

/// <summary>
/// pat flash and flash.sh with what the release bundle carries: the firmware archive checked by its content as
/// nanoff reads it (nanoFirmwareFlasher v2.5.162), and the bundle's own nanoff preferred over one on PATH.
/// </summary>
public class PatFlashBundleTests
{
    /// <summary>A provisioned hub's folder as pat flash checks it (demo config, empty deployments) and a stand-in image.</summary>
    internal static (string HubDir, string Image) Hub(string dir)
    {
        string hubDir = Path.Combine(dir, "hub-0101");
        Directory.CreateDirectory(Path.Combine(hubDir, "secret"));
        File.Copy(Path.Combine(Paths.RepoRoot, "tools", "PingAnTong.Edge.Simulator", "demo-config.json"), Path.Combine(hubDir, "config.json"));
        foreach (var f in new[] { "deploy.json", "secret/network.json" }) File.WriteAllText(Path.Combine(hubDir, f), "{}");
        string image = Path.Combine(dir, "PingAnTong.Edge.Esp32.bin");
        File.WriteAllBytes(image, new byte[16]);
        return (hubDir, image);
    }

    private static (int Rc, string Out, string Err) DryRun(string hubDir, string image, string archive, params string[] more)
        => PatRun.RunPat(new[] { "--lang", "en", "flash", "--hub-dir", hubDir, "--port", "/dev/null", "--image", image, "--update-firmware", "--firmware-archive", archive, "--dry-run" }.Concat(more).ToArray());

    [Fact]
    public void Flash_checks_the_firmware_archive_by_content_and_names_what_is_missing()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = Directory.CreateTempSubdirectory("pat-flash-archive-content-").FullName;
        var (hubDir, image) = Hub(dir);
        const string fill = "fill the folder again at the desk: nanoff --updatearchive --target ESP32_REV3 --archivepath ";

        // A zip named after the target but without nanoff's package information: nanoff finds no version (E9015).
        string a1 = Path.Combine(dir, "a1");
        FirmwareArchiveFixture.Write(a1, "ESP32_REV3", "1.12.0", FirmwareArchiveFixture.Esp32Rev3Files, info: false);
        var (rc, _, err) = DryRun(hubDir, image, a1);
        Assert.Equal(2, rc);
        Assert.Contains($"--firmware-archive {a1}: holds no firmware for ESP32_REV3", err);

        // The information is there, the zip is not.
        string a2 = Path.Combine(dir, "a2");
        FirmwareArchiveFixture.Write(a2, "ESP32_REV3", "1.12.0", null);
        (rc, _, err) = DryRun(hubDir, image, a2);
        Assert.Equal(2, rc);
        Assert.Contains($"--firmware-archive {a2}: ESP32_REV3-1.12.0.zip is missing (its .json is there); {fill}{a2}", err);

        // A damaged copy: not a zip.
        string a3 = Path.Combine(dir, "a3");
        string zip3 = FirmwareArchiveFixture.Write(a3, "ESP32_REV3", "1.12.0", null);
        File.WriteAllBytes(zip3, new byte[] { 1, 2, 3, 4 });
        (rc, _, err) = DryRun(hubDir, image, a3);
        Assert.Equal(2, rc);
        Assert.Contains($"--firmware-archive {a3}: ESP32_REV3-1.12.0.zip is not a zip file (damaged copy?); {fill}{a3}", err);

        // A package without the CLR and without the partition table for the board's 8 MB flash; the newest version counts.
        string a4 = Path.Combine(dir, "a4");
        FirmwareArchiveFixture.Write(a4, "ESP32_REV3", "1.9.0", FirmwareArchiveFixture.Esp32Rev3Files);
        FirmwareArchiveFixture.Write(a4, "ESP32_REV3", "1.12.0", new[] { "bootloader.bin", "partitions_4mb.bin" });
        (rc, _, err) = DryRun(hubDir, image, a4, "--board", "esp32-devkitc-v4-wroom-32e-8mb");
        Assert.Equal(2, rc);
        Assert.Contains($"--firmware-archive {a4}: ESP32_REV3-1.12.0.zip lacks nanoCLR.bin, partitions_8mb.bin (what nanoff flashes on a board with 8 MB of flash); {fill}{a4}", err);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("--firmware-archive"));

        // The zip itself instead of its folder.
        (rc, _, err) = DryRun(hubDir, image, Path.Combine(a4, "ESP32_REV3-1.12.0.zip"));
        Assert.Equal(2, rc);
        Assert.Contains("give the folder that holds this zip and its .json", err);

        // A good package: target and version are named, and nanoff is told to take it from the folder.
        string good = Path.Combine(dir, "good");
        string zip = FirmwareArchiveFixture.Write(good, "ESP32_REV3", "1.12.0", FirmwareArchiveFixture.Esp32Rev3Files);
        FirmwareArchiveFixture.Write(good, "ESP32_REV3", "1.13.0", FirmwareArchiveFixture.Esp32Rev3Files.Take(2).ToArray(), info: false); // no .json: not seen by nanoff
        var (okRc, output, okErr) = DryRun(hubDir, image, good, "--board", "esp32-devkitc-v4-wroom-32e-8mb");
        Assert.True(okRc == 0, output + okErr);
        Assert.Contains($"firmware: ESP32_REV3 1.12.0 from {zip}", output);
        Assert.Contains($"--fromarchive --archivepath {good} --suppressnanoffversioncheck", output);
    }

    private static async Task<(int Rc, string Out, string Err)> Bash(params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var errTask = p.StandardError.ReadToEndAsync();
        string output = await p.StandardOutput.ReadToEndAsync();
        string err = await errTask;
        await p.WaitForExitAsync();
        return (p.ExitCode, output, err);
    }

    [Fact]
    public async Task Flash_sh_checks_the_firmware_archive_by_content_too()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = Directory.CreateTempSubdirectory("flash-sh-archive-").FullName;
        var (hubDir, image) = Hub(dir);
        string script = Path.Combine(Paths.RepoRoot, "nanoff-config", "flash.sh");
        Task<(int Rc, string Out, string Err)> DryRunSh(string archive) =>
            Bash(script, "--port", "/dev/null", "--image", image, "--hub-dir", hubDir, "--update-firmware", "--firmware-archive", archive, "--dry-run");
        const string fill = "fill the folder again at the desk: nanoff --updatearchive --target ESP32_REV3 --archivepath ";

        string a1 = Path.Combine(dir, "a1");
        FirmwareArchiveFixture.Write(a1, "ESP32_REV3", "1.12.0", FirmwareArchiveFixture.Esp32Rev3Files, info: false);
        var (rc, _, err) = await DryRunSh(a1);
        Assert.Equal(2, rc);
        Assert.Contains($"flash.sh: --firmware-archive {a1}: holds no firmware for ESP32_REV3", err);

        string a2 = Path.Combine(dir, "a2");
        FirmwareArchiveFixture.Write(a2, "ESP32_REV3", "1.12.0", null);
        (rc, _, err) = await DryRunSh(a2);
        Assert.Equal(2, rc);
        Assert.Contains($"flash.sh: --firmware-archive {a2}: ESP32_REV3-1.12.0.zip is missing (its .json is there); {fill}{a2}", err);

        string a3 = Path.Combine(dir, "a3");
        FirmwareArchiveFixture.Write(a3, "ESP32_REV3", "1.9.0", FirmwareArchiveFixture.Esp32Rev3Files);
        FirmwareArchiveFixture.Write(a3, "ESP32_REV3", "1.12.0", new[] { "bootloader.bin" });
        (rc, var output, err) = await DryRunSh(a3);
        if (output.Contains("its contents not checked")) return; // neither unzip nor python3 on this machine
        Assert.Equal(2, rc);
        Assert.Contains($"flash.sh: --firmware-archive {a3}: ESP32_REV3-1.12.0.zip lacks nanoCLR.bin, partitions_*mb.bin; {fill}{a3}", err);

        string good = Path.Combine(dir, "good");
        string zip = FirmwareArchiveFixture.Write(good, "ESP32_REV3", "1.12.0", FirmwareArchiveFixture.Esp32Rev3Files);
        (rc, output, err) = await DryRunSh(good);
        Assert.True(rc == 0, output + err);
        Assert.Contains($"firmware: ESP32_REV3 1.12.0 from {zip}", output);
    }

    [Fact]
    public async Task Flash_script_and_pat_prefer_the_release_bundles_nanoff_and_say_which_they_use()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64) return;
        string bundle = Directory.CreateTempSubdirectory("pat-bundle-").FullName;
        // The bundle's layout (tools/release/README.md): nanoff-config/flash.sh, nanoff/linux-x64/nanoff, pat/linux-x64/pat.
        Directory.CreateDirectory(Path.Combine(bundle, "nanoff-config"));
        File.Copy(Path.Combine(Paths.RepoRoot, "nanoff-config", "flash.sh"), Path.Combine(bundle, "nanoff-config", "flash.sh"));
        string nanoff = Path.Combine(bundle, "nanoff", "linux-x64", "nanoff");
        Directory.CreateDirectory(Path.GetDirectoryName(nanoff)!);
        File.WriteAllText(nanoff, "#!/bin/sh\necho \"bundled nanoff $*\"\n");
        File.SetUnixFileMode(nanoff, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.Combine(bundle, "pat", "linux-x64"));
        var (hubDir, image) = Hub(bundle);

        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(bundle, "nanoff-config", "flash.sh"), "--port", "/dev/null", "--image", image, "--hub-dir", hubDir, "--dry-run" }) psi.ArgumentList.Add(a);
        psi.Environment["PATH"] = "/usr/bin:/bin"; // no nanoff, no dotnet tools
        using (var p = Process.Start(psi)!)
        {
            var errTask = p.StandardError.ReadToEndAsync();
            string output = await p.StandardOutput.ReadToEndAsync();
            string err = await errTask;
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, output + err);
            Assert.Contains($"nanoff: {nanoff} (the release bundle's)", output);
            Assert.Contains($"+ {nanoff} --serialport /dev/null --networkdeployment", output);
            Assert.DoesNotContain("dotnet tool install", output);
        }

        // pat from the bundle finds the same nanoff relative to itself (and hands it to the script with --nanoff).
        Assert.Equal(nanoff, Flash.BundledNanoff(Path.Combine(bundle, "pat", "linux-x64")));
        Assert.Null(Flash.BundledNanoff(Path.Combine(bundle, "nanoff-config")));
    }
}
