using System.Diagnostics;
using PingAnTong.Edge.Tests;
using Xunit;

namespace PingAnTong.Edge.Integration.Tests;

/// <summary>
/// The Linux part of the installer's release bundle, built by <c>tools/release/make-bundle.sh</c> as the workflow does
/// (without the firmware image and nanoff, which need the Windows build and GitHub): pat as a self-contained single
/// file that runs on a machine without .NET, in both languages, and checksums that match. About 40 s on 2 cores.
/// </summary>
public class ReleaseBundleTests
{
    private static (int Rc, string Output) Run(string file, IEnumerable<string> args, IDictionary<string, string> environment, string workingDirectory)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (environment != null)
        {
            psi.Environment.Clear();
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        }
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr.Result);
    }

    [Fact]
    public void The_linux_bundle_builds_and_its_single_file_pat_runs_without_dotnet_in_both_languages()
    {
        if (!OperatingSystem.IsLinux()) return;
        string outDir = Directory.CreateTempSubdirectory("pat-bundle-").FullName;
        try
        {
            var (rc, log) = Run("bash", new[] { "tools/release/make-bundle.sh", "--rid", "linux-x64", "--suffix", "test", "--out", outDir, "--smoke" }, null, Paths.RepoRoot);
            Assert.True(rc == 0, log);
            string bundle = Path.Combine(outDir, "pingantong-edge-" + File.ReadAllText(Path.Combine(Directory.GetDirectories(outDir).Single(), "VERSION")).Trim());
            Assert.Contains("smoke test passed: " + Path.Combine(bundle, "pat", "linux-x64", "pat"), log);
            foreach (var f in new[] { "SHA256SUMS", "README.md", "LICENSE", "nanoff-config/flash.sh", "nanoff-config/flash.ps1", "docs/installer-guide.md", "docs/hub-checklist.md", "samples/batch.csv" })
                Assert.True(File.Exists(Path.Combine(bundle, f)), f + " is missing from the bundle");
            Assert.Single(Directory.GetFiles(Path.Combine(bundle, "pat", "tool"), "*.nupkg"));

            // An installer's laptop: no dotnet on PATH, no DOTNET_ROOT; a Chinese system.
            string pat = Path.Combine(bundle, "pat", "linux-x64", "pat");
            var bare = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["HOME"] = outDir, ["LANG"] = "zh_CN.UTF-8" };
            var (zhRc, zh) = Run(pat, new[] { "provision", "--help" }, bare, outDir);
            Assert.True(zhRc == 0, zh);
            Assert.Matches(@"[\u4e00-\u9fff]", zh);
            var (enRc, en) = Run(pat, new[] { "--lang", "en", "--help" }, bare, outDir);
            Assert.True(enRc == 0, en);
            Assert.Contains("pat: the PingAnTong.Edge field tool", en);
        }
        finally
        {
            Directory.Delete(outDir, true);
        }
    }
}
