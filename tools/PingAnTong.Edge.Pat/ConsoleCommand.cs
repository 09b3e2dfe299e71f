using System.IO.Ports;
using System.Net.Sockets;
using System.Text;
using PingAnTong.Edge.Core.Field;

namespace PingAnTong.Edge.Pat;

/// <summary>
/// <c>pat console</c>: a terminal to the hub's console on a serial port (the hub's COM2 through a
/// USB-serial adapter) or on the simulator's TCP console. Replies end with the prompt "pat> ".
/// Lines typed to unlock are never kept in the history file.
/// </summary>
public static class ConsoleCommand
{
    public static int Run(string port, int baud, string[] exec, int timeoutSeconds, TextWriter stdout, TextWriter stderr, TextReader stdin, IKeySource keys = null, TimeProvider clock = null)
    {
        if (port == null)
        {
            // No --port: the hub's adapter when it is the only USB serial port of this computer.
            var candidates = SerialPorts.Names();
            if (candidates.Count != 1)
            {
                stderr.WriteLine("pat console: " + Text.Get(candidates.Count == 0 ? "ConsoleNoPortGiven" : "ConsoleWhichPort", string.Join(", ", candidates)));
                return 2;
            }
            port = candidates[0];
            stderr.WriteLine("pat console: " + Text.Get("ConsoleUsingPort", port));
        }
        if (!port.StartsWith("tcp://") && SerialPorts.Missing(port, out string missing))
        {
            stderr.WriteLine($"pat console: --port {port}: {missing}");
            return 2;
        }
        if (port.StartsWith("tcp://") && !IsLoopbackTcp(port))
        {
            // The console has no TLS: "unlock PIN" would cross the network in clear.
            stderr.WriteLine(Text.Get("ConsoleTcpRefused", port));
            stderr.WriteLine(Text.Get("ConsoleTcpTunnel"));
            return 2;
        }
        HubLink link;
        try
        {
            link = HubLink.Open(port, baud);
        }
        catch (Exception e) when (e is IOException or SocketException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            stderr.WriteLine(Text.Get("ConsoleCannotOpen", port, e.Message));
            stderr.WriteLine(port.StartsWith("tcp://") ? Text.Get("ConsoleSimulator")
                : e is UnauthorizedAccessException && !OperatingSystem.IsWindows() ? Text.Get("ConsoleDialout")
                : e is UnauthorizedAccessException ? Text.Get("ConsolePortBusy")
                : Text.Get("ConsoleCheckCable", SerialPorts.Found()));
            return 2;
        }
        using (link)
        {
            int timeoutMs = timeoutSeconds * 1000;
            // The simulator greets on connect; the device's UART does not, so wake it with an empty
            // line, which the console answers with the prompt alone.
            if (!link.GreetsOnConnect) link.Send("");
            if (!link.ReadReply(timeoutMs, out string greeting))
            {
                stderr.WriteLine(Text.Get("ConsoleNoAnswer", port, timeoutSeconds));
                return 3;
            }
            if (exec.Length > 0) return RunScript(link, exec, timeoutMs, stdout, stderr);
            return RunInteractive(link, port, greeting, timeoutMs, stdout, stderr, stdin, keys, clock);
        }
    }

    private static int RunScript(HubLink link, string[] commands, int timeoutMs, TextWriter stdout, TextWriter stderr)
    {
        int rc = 0;
        foreach (var command in commands)
        {
            link.Send(command);
            if (!link.ReadReply(timeoutMs, out string reply))
            {
                stderr.WriteLine(Text.Get("ConsoleNoReplyTo", Redact(command), timeoutMs / 1000));
                return 3;
            }
            string body = ValidatorText.TranslateReply(StripPrompt(reply));
            stdout.Write(body);
            if (body.Split('\n').Any(l => l.StartsWith("error:"))) rc = 1;
        }
        return rc;
    }

    /// <summary>
    /// Interactive mode. The typed lines come from a background thread (the line editor on a terminal, else the
    /// lines of <paramref name="stdin"/>) into one queue with the link's loss, so a link that drops while the
    /// technician is thinking is reported at once, not after the next command's timeout. The prompt carries the
    /// status line (<see cref="ConsoleStatus"/>: port, link, hub id, locked or unlocked), redrawn in place when it
    /// changes by itself (the lock timeout, the link dropping) without disturbing what is being typed.
    /// </summary>
    private static int RunInteractive(HubLink link, string port, string greeting, int timeoutMs, TextWriter stdout, TextWriter stderr, TextReader stdin, IKeySource keys, TimeProvider clock)
    {
        var history = History.Load();
        const string EndOfInput = "\0end", LinkLost = "\0lost";
        var events = new System.Collections.Concurrent.BlockingCollection<string>();
        var editor = keys != null ? new LineEditor(keys, stdout, history) : null;
        using var status = new ConsoleStatus(port, clock);
        var screen = new object(); // without the editor: the replies and a status line of its own are written whole
        void ShowPrompt()
        {
            if (editor != null) editor.ShowPrompt(status.Prompt);
            else lock (screen) { stdout.Write(status.Prompt); stdout.Flush(); }
        }
        void Show(string reply)
        {
            string body = ValidatorText.TranslateReply(StripPrompt(reply));
            status.Observe(body);
            lock (screen) stdout.Write(body);
            ShowPrompt();
        }
        status.Changed += () =>
        {
            if (editor != null) editor.Redraw(status.Prompt);
            else lock (screen) { stdout.Write("\n" + status.Prompt); stdout.Flush(); }
        };
        Show(greeting);
        var input = new Thread(() =>
        {
            try
            {
                string typed;
                while ((typed = editor != null ? editor.ReadLine() : stdin.ReadLine()) != null) events.Add(typed);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { }
            try { events.Add(EndOfInput); } catch (InvalidOperationException) { }
        }) { IsBackground = true, Name = "pat console input" };
        ThreadPool.RegisterWaitForSingleObject(link.Closed, (_, _) => { try { events.Add(LinkLost); } catch (InvalidOperationException) { } }, null, Timeout.Infinite, true);
        input.Start();
        try
        {
            while (true)
            {
                string line = events.Take();
                if (line == LinkLost || link.IsClosed)
                {
                    status.Lost();
                    stderr.WriteLine();
                    stderr.WriteLine(Text.Get("ConsoleLost", port, link.CloseReason));
                    return 3;
                }
                if (line == EndOfInput) return 0;
                string command = line.Trim();
                if (command is "quit" or "exit") return 0;
                if (command == "history")
                {
                    lock (history) for (int i = 0; i < history.Count; i++) stdout.WriteLine($"{i + 1,4}  {history[i]}");
                    ShowPrompt();
                    continue;
                }
                if (command.StartsWith('!'))
                {
                    string again;
                    lock (history) again = command == "!!" ? history.LastOrDefault() : int.TryParse(command[1..], out int n) && n >= 1 && n <= history.Count ? history[n - 1] : null;
                    if (again == null) { stdout.Write(Text.Get("ConsoleNoHistoryEntry") + "\n"); ShowPrompt(); continue; }
                    stdout.WriteLine(again);
                    command = again;
                }
                if (command.Length > 0 && !command.StartsWith("unlock")) lock (history) history.Add(command);
                link.Send(command);
                if (!link.ReadReply(timeoutMs, out string reply))
                {
                    if (link.IsClosed) continue; // reported by the next event
                    stderr.WriteLine(Text.Get("ConsoleNoReply", timeoutMs / 1000));
                    return 3;
                }
                Show(reply);
            }
        }
        finally
        {
            events.CompleteAdding();
            lock (history) History.Save(history);
        }
    }

    /// <summary>tcp://HOST:PORT with HOST localhost, 127.0.0.0/8 or ::1 (an address, not a name DNS could answer otherwise).</summary>
    public static bool IsLoopbackTcp(string port)
    {
        if (!Uri.TryCreate(port, UriKind.Absolute, out var uri)) return false;
        string host = uri.Host.Trim('[', ']');
        return host == "localhost" || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));
    }

    private static string StripPrompt(string reply) =>
        reply.EndsWith(ConsoleInterpreter.Prompt) ? reply[..^ConsoleInterpreter.Prompt.Length] : reply;

    private static string Redact(string command) => command.StartsWith("unlock") ? "unlock ****" : command;

    /// <summary>~/.pat_history: the last 500 commands, never unlock lines.</summary>
    private static class History
    {
        private static string FilePath => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pat_history");

        public static List<string> Load()
        {
            try { return File.Exists(FilePath) ? File.ReadAllLines(FilePath).Where(l => !l.StartsWith("unlock")).ToList() : new List<string>(); }
            catch (IOException) { return new List<string>(); }
        }

        public static void Save(List<string> history)
        {
            try { File.WriteAllLines(FilePath, history.TakeLast(500)); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}

/// <summary>
/// A line link to a hub's console: TCP (simulator) or a serial port (device COM2). A background reader takes
/// everything the hub sends, so the link's end (the simulator closed, the USB cable pulled) is known at once:
/// <see cref="Closed"/> is set and <see cref="CloseReason"/> says why.
/// </summary>
public sealed class HubLink : IDisposable
{
    private readonly Stream _stream;
    private readonly IDisposable _owner;
    private readonly StringBuilder _pending = new();
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder(); // keeps split multi-byte characters across reads
    private readonly AutoResetEvent _received = new(false);
    private readonly ManualResetEvent _closed = new(false);
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _disposed;

    private HubLink(Stream stream, IDisposable owner, bool greets)
    {
        _stream = stream;
        _owner = owner;
        GreetsOnConnect = greets;
        new Thread(ReadLoop) { IsBackground = true, Name = "pat console link" }.Start();
    }

    public bool GreetsOnConnect { get; }

    /// <summary>Set when the link has ended.</summary>
    public WaitHandle Closed => _closed;

    public bool IsClosed => _closed.WaitOne(0);

    public string CloseReason { get; private set; }

    public static HubLink Open(string port, int baud)
    {
        if (port.StartsWith("tcp://"))
        {
            var uri = new Uri(port);
            if (uri.Port <= 0) throw new ArgumentException("expected tcp://HOST:PORT");
            var client = new TcpClient();
            client.Connect(uri.Host, uri.Port);
            return new HubLink(client.GetStream(), client, greets: true);
        }
        var serial = new SerialPort(port, baud, Parity.None, 8, StopBits.One) { NewLine = "\r\n", ReadTimeout = 200, WriteTimeout = 2000 };
        serial.Open();
        return new HubLink(serial.BaseStream, serial, greets: false);
    }

    private void ReadLoop()
    {
        var buffer = new byte[1024];
        var chars = new char[1024];
        string reason = "closed by the other end";
        while (!_disposed)
        {
            int n;
            try
            {
                n = _stream.ReadAsync(buffer, 0, buffer.Length, _stop.Token).GetAwaiter().GetResult();
            }
            catch (TimeoutException)
            {
                continue; // a serial read timeout: nothing arrived
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                if (e is IOException { InnerException: TimeoutException }) continue;
                reason = e is OperationCanceledException or ObjectDisposedException ? "closed" : e.Message;
                break;
            }
            if (n <= 0) break;
            lock (_pending)
            {
                int count = _utf8.GetChars(buffer, 0, n, chars, 0);
                _pending.Append(chars, 0, count);
            }
            _received.Set();
        }
        CloseReason = reason;
        _closed.Set();
        _received.Set();
    }

    public void Send(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\r\n");
        try
        {
            _stream.Write(bytes, 0, bytes.Length);
            _stream.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // the reader sees the end too and reports it
        }
    }

    /// <summary>Reads until the prompt; returns everything read including it. False on timeout or when the link has ended.</summary>
    public bool ReadReply(int timeoutMs, out string reply)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            bool closed = IsClosed; // read before the buffer: whatever arrived before the end is in it
            lock (_pending)
            {
                string text = _pending.ToString();
                int at = text.IndexOf(ConsoleInterpreter.Prompt, StringComparison.Ordinal);
                if (at >= 0)
                {
                    int end = at + ConsoleInterpreter.Prompt.Length;
                    reply = text[..end].Replace("\r\n", "\n");
                    _pending.Remove(0, end);
                    return true;
                }
                reply = text;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || closed) return false;
            _received.WaitOne(left);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _stop.Cancel();
        _stream.Dispose();
        _owner.Dispose();
    }
}
