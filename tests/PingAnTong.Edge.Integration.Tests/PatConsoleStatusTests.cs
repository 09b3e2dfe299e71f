using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using PingAnTong.Edge.Pat;
using PingAnTong.Edge.Simulator;
using PingAnTong.Edge.Simulator.Adapters;
using Xunit;

namespace PingAnTong.Edge.Tests;

/// <summary>
/// pat console's status line: the prompt carries the port, the link, the hub's id once status named it, and locked or
/// unlocked; it follows unlock and lock, and the lock timeout redraws it in place without losing what is being typed.
/// Against the simulator's TCP console (pat console --port tcp://…), in English and in Chinese.
/// </summary>
public class PatConsoleStatusTests
{
    private const string DemoPin = "2468"; // tools/PingAnTong.Edge.Simulator/demo-config.json (unlockMinutes 10)

    /// <summary>Keys typed when the test says so; the end of input when it says so.</summary>
    private sealed class TypedKeys : IKeySource
    {
        private readonly BlockingCollection<ConsoleKeyInfo?> _keys = new();

        public void Type(string text)
        {
            foreach (char c in text)
                _keys.Add(c == '\n' ? new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false) : new ConsoleKeyInfo(c, ConsoleKey.A, false, false, false));
        }

        public void End() => _keys.Add(null);

        public ConsoleKeyInfo? ReadKey() => _keys.Take();
    }

    /// <summary>The terminal: everything written, and a wait for a text to appear (an event, not a sleep).</summary>
    private sealed class Screen : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
                Monitor.PulseAll(_text);
            }
        }

        public override void Write(string value)
        {
            lock (_text)
            {
                _text.Append(value);
                Monitor.PulseAll(_text);
            }
        }

        public override string ToString()
        {
            lock (_text) return _text.ToString();
        }

        /// <summary>Waits until <paramref name="expected"/> has been written after position <paramref name="from"/>; its end.</summary>
        public int WaitFor(string expected, int from = 0)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            lock (_text)
            {
                while (true)
                {
                    int at = _text.ToString().IndexOf(expected, from, StringComparison.Ordinal);
                    if (at >= 0) return at + expected.Length;
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero) throw new Xunit.Sdk.XunitException($"not shown: \"{expected}\"; the screen:\n{_text}");
                    Monitor.Wait(_text, left);
                }
            }
        }
    }

    [Theory]
    [InlineData("en", "connected", "hub ? (status)", "lock ?", "locked", "unlocked until ")]
    [InlineData("zh-CN", "已连接", "网关 ?（status）", "锁定状态 ?", "已上锁", "已解锁至 ")]
    public async Task The_prompt_carries_port_link_hub_and_lock_and_the_lock_timeout_redraws_it_keeping_the_typed_text(
        string lang, string connected, string hubUnknown, string lockUnknown, string locked, string unlockedUntil)
    {
        Text.Culture = Text.Parse(lang);
        string configFile = Path.Combine(Paths.RepoRoot, "tools", "PingAnTong.Edge.Simulator", "demo-config.json");
        var config = SimulatedHub.LoadConfig(configFile);
        config.Broker.Port = 1; // no broker needed: the console works offline
        config.ConsoleLanguage = lang; // the hub replies in the same language: both sets of its replies are read
        using var hub = new SimulatedHub(config, Directory.CreateTempSubdirectory("pat-console-status-").FullName, TextWriter.Null, null, File.ReadAllBytes(configFile));
        using var server = new ConsoleServer(0, () => hub.Hub);
        string port = $"tcp://127.0.0.1:{server.Port}";
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var keys = new TypedKeys();
        var screen = new Screen();
        var stderr = new StringWriter();
        var pat = Task.Run(() => ConsoleCommand.Run(port, 115200, Array.Empty<string>(), 30, screen, stderr, TextReader.Null, keys, clock));

        int at = screen.WaitFor($"[{port} | {connected} | {hubUnknown} | {lockUnknown}] pat> ");
        keys.Type("status\n");
        at = screen.WaitFor($"[{port} | {connected} | hub-0001 | {locked}] pat> ", at);

        keys.Type($"unlock {DemoPin}\n");
        string until = (clock.GetUtcNow() + TimeSpan.FromMinutes(10)).ToLocalTime().ToString("HH:mm");
        string unlockedPrompt = $"[{port} | {connected} | hub-0001 | {unlockedUntil}{until}] pat> ";
        at = screen.WaitFor(unlockedPrompt, at);

        // Half a command typed when the hub's unlock time runs out: the line is redrawn, locked, with the text kept.
        keys.Type("sen");
        at = screen.WaitFor("sen", at);
        clock.Advance(TimeSpan.FromMinutes(10));
        string lockedPrompt = $"[{port} | {connected} | hub-0001 | {locked}] pat> ";
        int pad = LineEditor.Columns(unlockedPrompt) - LineEditor.Columns(lockedPrompt);
        Assert.True(pad > 0);
        at = screen.WaitFor("\r" + lockedPrompt + "sen" + new string(' ', pad) + new string('\b', pad), at);
        keys.Type("sors\n");
        screen.WaitFor(lockedPrompt, at);

        keys.End();
        Assert.Equal(0, await pat);
        Assert.DoesNotContain(DemoPin, screen.ToString());
    }
}
