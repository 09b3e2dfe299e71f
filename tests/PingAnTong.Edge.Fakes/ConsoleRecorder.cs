using PingAnTong.Edge.Core.Field;

namespace PingAnTong.Edge.Fakes;

/// <summary>Collects console reply lines.</summary>
public sealed class ConsoleRecorder : IConsoleOutput
{
    public List<string> Lines { get; } = new();

    public void WriteLine(string line)
    {
        lock (Lines) Lines.Add(line);
    }

    public int Replies { get; private set; }

    public void Done() => Replies++;
}

/// <summary>The host facts the console shows, settable by tests.</summary>
public sealed class FakeConsoleHost : IConsoleHost
{
    public string NetworkStatus { get; set; } = "test network up";
    public bool SafeMode { get; set; }
    public string SafeModeReason { get; set; }
}
