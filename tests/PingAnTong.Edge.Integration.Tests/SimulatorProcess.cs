using System.Diagnostics;
using System.Runtime.InteropServices;
using PingAnTong.Edge.Simulator;

namespace PingAnTong.Edge.Integration.Tests;

/// <summary>
/// The simulator as a person runs it: its own process, commands typed on stdin, output lines awaited
/// (never slept for). Its temporary folder (TMPDIR) is a fresh one of the test's, so a test can see
/// what a run leaves behind.
/// </summary>
public sealed class SimulatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = new();

    private SimulatorProcess(Process process, string tempRoot)
    {
        _process = process;
        TempRoot = tempRoot;
    }

    /// <summary>The process's temporary folder (TMPDIR, TMP, TEMP).</summary>
    public string TempRoot { get; }

    public int Id => _process.Id;

    public static SimulatorProcess Start(params string[] args)
    {
        string tempRoot = Directory.CreateTempSubdirectory("pat-it-simtmp-").FullName;
        string dll = typeof(SimulatedHub).Assembly.Location; // with its runtimeconfig.json beside it
        var psi = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = tempRoot,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var v in new[] { "TMPDIR", "TMP", "TEMP" }) psi.Environment[v] = tempRoot;
        var process = new Process { StartInfo = psi };
        var sim = new SimulatorProcess(process, tempRoot);
        process.OutputDataReceived += (_, e) => { if (e.Data != null) sim.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) sim.Add("stderr: " + e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sim;
    }

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private void Add(string line)
    {
        lock (_waiters)
        {
            _lines.Add(line);
            foreach (var w in _waiters.Where(w => w.Match(line)).ToList())
            {
                w.Done.TrySetResult(line);
                _waiters.Remove(w);
            }
        }
    }

    public string Output
    {
        get { lock (_waiters) return string.Join("\n", _lines); }
    }

    /// <summary>Completes with the first output line (already printed or coming) that matches.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, string what, int timeoutMs = 30_000)
    {
        var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            foreach (var line in _lines)
            {
                if (match(line)) return line;
            }
            _waiters.Add((match, tcs));
        }
        var done = await Task.WhenAny(tcs.Task, Task.Delay(timeoutMs));
        if (done != tcs.Task) throw new TimeoutException($"no {what} within {timeoutMs} ms; the simulator printed:\n{Output}");
        return await tcs.Task;
    }

    /// <summary>Types a line, as a person would.</summary>
    public void Type(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>Ends the simulator's standard input (as Ctrl+D would).</summary>
    public void CloseInput() => _process.StandardInput.Close();

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>Sends SIGTERM (as systemd, docker stop or kill do). Linux and macOS only.</summary>
    public void Terminate()
    {
        const int SIGTERM = 15;
        if (kill(_process.Id, SIGTERM) != 0) throw new InvalidOperationException("kill failed: errno " + Marshal.GetLastWin32Error());
    }

    /// <summary>Waits for the process to end; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(int timeoutMs = 30_000)
    {
        using var timeout = new CancellationTokenSource(timeoutMs);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the simulator did not exit within {timeoutMs} ms; it printed:\n{Output}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(TempRoot, true); } catch (IOException) { }
    }
}
