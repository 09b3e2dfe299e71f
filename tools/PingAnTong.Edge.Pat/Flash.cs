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
            if (!updateFirmware) problems.Add("--firmware-archive: only with --update-firmware (it is where the firmware comes from)");
            else if (!Directory.Exists(firmwareArchive)) problems.Add($"--firmware-archive {firmwareArchive}: folder not found (fill it at the desk: nanoff --updatearchive --target {target} --archivepath {firmwareArchive})");
            else if (Directory.GetFileSystemEntries(firmwareArchive, "*" + target + "*").Length == 0) problems.Add($"--firmware-archive {firmwareArchive}: holds no firmware for {target} (fill it at the desk: nanoff --updatearchive --target {target} --archivepath {firmwareArchive})");
        }
        if (clrFile != null)
        {
            if (!updateFirmware) problems.Add("--clr-file: only with --update-firmware");
            else if (!File.Exists(clrFile)) problems.Add($"--clr-file {clrFile}: file not found (a nanoCLR.bin)");
        }
        if (!Directory.Exists(hubDir)) problems.Add($"--hub-dir {hubDir}: folder not found (make it with pat provision)");
        else
        {
            foreach (var f in new[] { "config.json", "deploy.json", Path.Combine("secret", "network.json") })
                if (!File.Exists(Path.Combine(hubDir, f))) problems.Add($"--hub-dir {hubDir}: {f} is missing; run pat provision again");
            if (File.Exists(Path.Combine(hubDir, "config.json")))
                foreach (var p in ConfigValidate.Check(File.ReadAllBytes(Path.Combine(hubDir, "config.json")), null, out _)) problems.Add($"{hubDir}/config.json: {p}");
        }
        if (!File.Exists(image)) problems.Add($"--image {image}: file not found (the Windows workflow publishes PingAnTong.Edge.Esp32.bin)");
        bool windows = OperatingSystem.IsWindows();
        string script = PatCli.ShippedFile("nanoff-config", windows ? "flash.ps1" : "flash.sh");
        if (!File.Exists(script)) problems.Add($"flash script missing: {script}");
        string shell = windows ? "powershell" : "bash";
        if (!OnPath(shell)) problems.Add($"{shell} is needed to run {Path.GetFileName(script)} and was not found");
        if (!OnPath("nanoff") && !OnPath("dotnet") && !dryRun) problems.Add("neither nanoff nor the .NET SDK (to install nanoff) is installed: https://dot.net, then dotnet tool install -g nanoff");
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
