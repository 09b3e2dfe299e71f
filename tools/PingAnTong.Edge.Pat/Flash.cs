using System.Diagnostics;

namespace PingAnTong.Edge.Pat;

/// <summary><c>pat flash</c>: checks prerequisites, then runs nanoff-config/flash.sh (Linux, macOS) or flash.ps1 (Windows) for one hub.</summary>
public static class Flash
{
    public static int Run(string hubDir, string port, string image, string target, bool updateFirmware, bool dryRun, TextWriter stdout, TextWriter stderr, string firmwareArchive = null, string clrFile = null)
    {
        var problems = new List<string>();
        if (SerialPorts.Missing(port, out string missingPort)) problems.Add($"--port {port}: {missingPort}");
        if (firmwareArchive != null)
        {
            if (!updateFirmware) problems.Add(Text.Get("FlashArchiveNeedsUpdate"));
            else if (!Directory.Exists(firmwareArchive)) problems.Add(Text.Get("FlashArchiveNotFound", firmwareArchive, target));
            else if (Directory.GetFileSystemEntries(firmwareArchive, "*" + target + "*").Length == 0) problems.Add(Text.Get("FlashArchiveEmpty", firmwareArchive, target));
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
        if (!OnPath("nanoff") && !OnPath("dotnet") && !dryRun) problems.Add(Text.Get("FlashNoNanoff"));
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
        if (dryRun) args.Add(windows ? "-DryRun" : "--dry-run");
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

    private static bool OnPath(string program)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator);
        var names = OperatingSystem.IsWindows() ? new[] { program + ".exe", program + ".cmd" } : new[] { program };
        return dirs.Any(d => names.Any(n => File.Exists(Path.Combine(d, n))));
    }
}
