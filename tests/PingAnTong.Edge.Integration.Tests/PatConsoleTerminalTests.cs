using System.Net;
using System.Net.Sockets;
using System.Text;
using PingAnTong.Edge.Pat;
using Xunit;

namespace PingAnTong.Edge.Tests;

/// <summary>
/// pat console as a technician meets it: the PIN is never echoed, the arrow keys walk the history, a link that drops
/// is reported at once, a serial port that does not exist is named with the ports that do; and pat flash --dry-run
/// flashes nothing and says so, and takes the firmware from a local archive.
/// </summary>
public class PatConsoleTerminalTests
{
    private sealed class ScriptedKeys : IKeySource
    {
        private readonly Queue<ConsoleKeyInfo> _keys = new();

        public ScriptedKeys Type(string text)
        {
            foreach (char c in text)
                _keys.Enqueue(c == '\n' ? new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false) : new ConsoleKeyInfo(c, ConsoleKey.A, false, false, false));
            return this;
        }

        public ScriptedKeys Press(ConsoleKey key, char ch = '\0')
        {
            _keys.Enqueue(new ConsoleKeyInfo(ch, key, false, false, false));
            return this;
        }

        public ConsoleKeyInfo? ReadKey() => _keys.Count > 0 ? _keys.Dequeue() : null;
    }

    [Fact]
    public void The_pin_typed_after_unlock_is_never_echoed()
    {
        var output = new StringWriter();
        var editor = new LineEditor(new ScriptedKeys().Type("status\nunlock 24681357\n"), output, new List<string>());
        Assert.Equal("status", editor.ReadLine());
        Assert.Equal("unlock 24681357", editor.ReadLine());
        Assert.Null(editor.ReadLine());
        Assert.Contains("status", output.ToString());
        Assert.Contains("unlock ", output.ToString());
        Assert.DoesNotContain("2468", output.ToString());
        Assert.DoesNotContain("1357", output.ToString());
    }

    [Fact]
    public void Unlock_alone_asks_for_the_pin_without_showing_it_and_backspace_works_on_it()
    {
        var output = new StringWriter();
        var keys = new ScriptedKeys().Type("unlock\n2469").Press(ConsoleKey.Backspace, '\b').Type("8\n");
        var editor = new LineEditor(keys, output, new List<string>());
        Assert.Equal("unlock 2468", editor.ReadLine());
        Assert.Contains("PIN (not shown): ", output.ToString());
        Assert.DoesNotContain("246", output.ToString());
    }

    [Fact]
    public void Up_and_down_arrows_walk_the_history()
    {
        var history = new List<string> { "status", "events 20" };
        var keys = new ScriptedKeys().Press(ConsoleKey.UpArrow).Press(ConsoleKey.UpArrow).Type("\n")
            .Press(ConsoleKey.UpArrow).Press(ConsoleKey.DownArrow).Type("sensors\n");
        var editor = new LineEditor(keys, new StringWriter(), history);
        Assert.Equal("status", editor.ReadLine());
        Assert.Equal("sensors", editor.ReadLine());
    }

    /// <summary>A TextReader whose ReadLine blocks until released: a technician who has not typed yet.</summary>
    private sealed class WaitingInput : TextReader
    {
        public readonly ManualResetEventSlim Release = new(false);

        public override string ReadLine()
        {
            Release.Wait();
            return null;
        }
    }

    [Fact]
    public async Task A_link_that_drops_while_nobody_types_is_reported_at_once()
    {
        // A stand-in hub: greets with the prompt, then the cable is pulled (the connection closes).
        using var hub = new TcpListener(IPAddress.Loopback, 0);
        hub.Start();
        int port = ((IPEndPoint)hub.LocalEndpoint).Port;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var input = new WaitingInput();
        var pat = Task.Run(() => PatCli.Run(new[] { "console", "--port", $"tcp://127.0.0.1:{port}", "--timeout", "60" }, stdout, stderr, input));
        using (var client = await hub.AcceptTcpClientAsync())
        {
            var stream = client.GetStream();
            var greeting = Encoding.UTF8.GetBytes("PingAnTong hub console\r\npat> ");
            await stream.WriteAsync(greeting);
            await stream.FlushAsync();
        } // closed here, while pat waits for the technician
        var finished = await Task.WhenAny(pat, Task.Delay(TimeSpan.FromSeconds(20)));
        input.Release.Set();
        Assert.True(finished == pat, "pat console did not notice the dropped link; stderr: " + stderr);
        Assert.Equal(3, await pat);
        Assert.Contains($"pat console: the connection to tcp://127.0.0.1:{port} was lost", stderr.ToString());
        // The status line says so too: the prompt the technician sees last.
        Assert.EndsWith($"[tcp://127.0.0.1:{port} | LOST | hub ? (status) | lock ?] pat> ", stdout.ToString());
    }

    [Fact]
    public void A_serial_port_that_does_not_exist_is_named_as_missing_not_as_a_permission_problem()
    {
        if (OperatingSystem.IsWindows()) return;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int rc = PatCli.Run(new[] { "console", "--port", "/dev/ttyUSB-pat-test-none", "--exec", "status" }, stdout, stderr, new StringReader(""));
        Assert.Equal(2, rc);
        string err = stderr.ToString();
        Assert.StartsWith("pat console: --port /dev/ttyUSB-pat-test-none: no such serial port; ", err);
        Assert.Matches("(found: |no serial port found on this computer)", err);
        Assert.DoesNotContain("dialout", err);
    }

    [Fact]
    public void Flash_dry_run_flashes_nothing_and_says_so_and_takes_the_firmware_from_a_local_archive()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = Directory.CreateTempSubdirectory("pat-flash-archive-").FullName;
        var (hubDir, image) = PatFlashBundleTests.Hub(dir);
        string archive = Path.Combine(dir, "firmware");
        Directory.CreateDirectory(archive);

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] args = { "flash", "--hub-dir", hubDir, "--port", "/dev/null", "--image", image, "--update-firmware", "--firmware-archive", archive, "--dry-run" };
        Assert.Equal(2, PatCli.Run(args, stdout, stderr, new StringReader("")));
        Assert.Contains($"--firmware-archive {archive}: holds no firmware for ESP32_REV3 (fill it at the desk: nanoff --updatearchive --target ESP32_REV3 --archivepath {archive})", stderr.ToString());

        string zip = FirmwareArchiveFixture.Write(archive, "ESP32_REV3", "1.12.0", FirmwareArchiveFixture.Esp32Rev3Files); // what nanoff --updatearchive leaves
        stdout = new StringWriter();
        stderr = new StringWriter();
        int rc = PatCli.Run(args, stdout, stderr, new StringReader(""));
        string output = stdout.ToString();
        Assert.True(rc == 0, output + stderr);
        Assert.Contains($"firmware: ESP32_REV3 1.12.0 from {zip}", output);
        Assert.Contains($"--update --target ESP32_REV3 --serialport /dev/null --fromarchive --archivepath {archive} --suppressnanoffversioncheck", output);
        Assert.DoesNotContain("flashed on", output);
        Assert.Contains("dry run: nothing was flashed.", output.TrimEnd().Split('\n').Last());

        // The script speaks pat's language, whatever the system's.
        stdout = new StringWriter();
        rc = PatCli.Run(new[] { "--lang", "zh-CN" }.Concat(args).ToArray(), stdout, new StringWriter(), new StringReader(""));
        Assert.True(rc == 0, stdout.ToString());
        Assert.StartsWith("试运行：什么都没有烧录。", stdout.ToString().TrimEnd().Split('\n').Last());

        stderr = new StringWriter();
        Assert.Equal(2, PatCli.Run(new[] { "flash", "--hub-dir", hubDir, "--port", "/dev/null", "--image", image, "--firmware-archive", archive }, new StringWriter(), stderr, new StringReader("")));
        Assert.Contains("--firmware-archive: only with --update-firmware", stderr.ToString());
    }
}
