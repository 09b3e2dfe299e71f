using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PingAnTong.Edge.Pat;

/// <summary><c>pat flash</c>: checks prerequisites, then runs nanoff-config/flash.sh (Linux, macOS) or flash.ps1 (Windows) for one hub.</summary>
public static class Flash
{
    public static int Run(string hubDir, string port, string image, string target, bool updateFirmware, bool dryRun, TextWriter stdout, TextWriter stderr, string firmwareArchive = null, string clrFile = null, string board = null)
    {
        var problems = new List<string>();
        int flashMegabytes = 4; // the reference board, esp32-devkitc-v4
        if (board != null)
        {
            try { flashMegabytes = ConfigValidate.LoadBoard(board).FlashMegabytes; }
            catch (PingAnTong.Edge.Core.Config.ConfigException e) { problems.Add($"--board {board}: {string.Join("; ", e.Errors.Cast<string>())}"); }
        }
        if (SerialPorts.Missing(port, out string missingPort)) problems.Add($"--port {port}: {missingPort}");
        if (firmwareArchive != null)
        {
            if (!updateFirmware) problems.Add(Text.Get("FlashArchiveNeedsUpdate"));
            else
            {
                // The partitions for this board's flash size are checked here; the script checks the rest again and
                // prints "firmware: TARGET VERSION from ZIP" (so it is not printed twice).
                FirmwareArchive.Check(firmwareArchive, target, flashMegabytes, out string problem);
                if (problem != null) problems.Add(problem);
            }
        }
        if (clrFile != null)
        {
            if (!updateFirmware) problems.Add(Text.Get("FlashClrNeedsUpdate"));
            else if (!File.Exists(clrFile)) problems.Add(Text.Get("FlashClrNotFound", clrFile));
        }
        if (!Directory.Exists(hubDir)) problems.Add(Text.Get("FlashHubDirNotFound", hubDir));
        else
        {
            foreach (var f in new[] { "config.json", "deploy.json", Path.Combine("secret", "network.json") })
                if (!File.Exists(Path.Combine(hubDir, f))) problems.Add(Text.Get("FlashHubFileMissing", hubDir, f));
            if (File.Exists(Path.Combine(hubDir, "config.json")))
                foreach (var p in ConfigValidate.Check(File.ReadAllBytes(Path.Combine(hubDir, "config.json")), null, out _)) problems.Add($"{hubDir}/config.json: {p}");
        }
        if (!File.Exists(image)) problems.Add(Text.Get("FlashImageNotFound", image));
        bool windows = OperatingSystem.IsWindows();
        string script = PatCli.ShippedFile("nanoff-config", windows ? "flash.ps1" : "flash.sh");
        if (!File.Exists(script)) problems.Add(Text.Get("FlashScriptMissing", script));
        string shell = windows ? "powershell" : "bash";
        if (!OnPath(shell)) problems.Add(Text.Get("FlashShellMissing", shell, Path.GetFileName(script)));
        string bundled = BundledNanoff(AppContext.BaseDirectory);
        if (bundled == null && !OnPath("nanoff") && !OnPath("dotnet") && !dryRun) problems.Add(Text.Get("FlashNoNanoff"));
        if (problems.Count > 0)
        {
            foreach (var p in problems) stderr.WriteLine(p);
            stderr.WriteLine(Text.Get("FlashNotStarted"));
            return 2;
        }
        var args = windows
            ? new List<string> { "-NoProfile", "-ExecutionPolicy", "Bypass", "-File", script, "-Port", port, "-Image", image, "-HubDir", hubDir, "-Target", target }
            : new List<string> { script, "--port", port, "--image", image, "--hub-dir", hubDir, "--target", target };
        if (updateFirmware) args.Add(windows ? "-UpdateFirmware" : "--update-firmware");
        if (firmwareArchive != null) args.AddRange(windows ? new[] { "-FirmwareArchive", firmwareArchive } : new[] { "--firmware-archive", firmwareArchive });
        if (clrFile != null) args.AddRange(windows ? new[] { "-ClrFile", clrFile } : new[] { "--clr-file", clrFile });
        if (bundled != null) args.AddRange(windows ? new[] { "-Nanoff", bundled } : new[] { "--nanoff", bundled });
        if (dryRun) args.Add(windows ? "-DryRun" : "--dry-run");
        // The script speaks pat's language (--lang or the system's), not only the system's.
        args.AddRange(new[] { windows ? "-Lang" : "--lang", Text.Culture == Text.Chinese ? "zh-CN" : "en" });
        var psi = new ProcessStartInfo(shell) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (stdout) stdout.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stdout) stderr.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>
    /// The release bundle's self-contained nanoff for this machine (tools/release/README.md: pat/RID/pat beside
    /// nanoff/RID/nanoff), when pat runs from the bundle; null otherwise (then the script takes nanoff from PATH).
    /// </summary>
    public static string BundledNanoff(string patDir)
    {
        if (RuntimeInformation.OSArchitecture != Architecture.X64) return null;
        string rid = OperatingSystem.IsWindows() ? "win-x64" : OperatingSystem.IsLinux() ? "linux-x64" : null;
        if (rid == null) return null;
        string path = Path.GetFullPath(Path.Combine(patDir, "..", "..", "nanoff", rid, OperatingSystem.IsWindows() ? "nanoff.exe" : "nanoff"));
        return File.Exists(path) ? path : null;
    }

    private static bool OnPath(string program)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator);
        var names = OperatingSystem.IsWindows() ? new[] { program + ".exe", program + ".cmd" } : new[] { program };
        return dirs.Any(d => names.Any(n => File.Exists(Path.Combine(d, n))));
    }
}
