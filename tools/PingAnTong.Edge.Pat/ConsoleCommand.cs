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
    public static int Run(string port, int baud, string[] exec, int timeoutSeconds, TextWriter stdout, TextWriter stderr, TextReader stdin)
    {
        if (port.StartsWith("tcp://") && !IsLoopbackTcp(port))
        {
            // The console has no TLS: "unlock PIN" would cross the network in clear.
            stderr.WriteLine($"pat console: --port {port}: refused: the console sends the installer PIN (unlock) in clear, so plain TCP is allowed only to a loopback address (tcp://127.0.0.1:PORT, tcp://[::1]:PORT, tcp://localhost:PORT)");
            stderr.WriteLine("  for a simulator on another machine, tunnel it: ssh -L 4700:127.0.0.1:4700 HOST, then --port tcp://127.0.0.1:4700");
            return 2;
        }
        HubLink link;
        try
        {
            link = HubLink.Open(port, baud);
        }
        catch (Exception e) when (e is IOException or SocketException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            stderr.WriteLine($"pat console: cannot open {port}: {e.Message}");
            stderr.WriteLine(port.StartsWith("tcp://") ? "  is the simulator running with --console tcp:PORT?" : "  check the cable and the port name (Linux: ls /dev/ttyUSB*; Windows: Device Manager > Ports); on Linux add yourself to the dialout group");
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
                stderr.WriteLine($"pat console: no answer from {port} within {timeoutSeconds} s (is the hub running? is this the console UART, not the nanoFramework USB port?)");
                return 3;
            }
            if (exec.Length > 0) return RunScript(link, exec, timeoutMs, stdout, stderr);
            stdout.Write(greeting);
            return RunInteractive(link, timeoutMs, stdout, stderr, stdin);
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
                stderr.WriteLine($"pat console: no reply to \"{Redact(command)}\" within {timeoutMs / 1000} s");
                return 3;
            }
            string body = StripPrompt(reply);
            stdout.Write(body);
            if (body.Split('\n').Any(l => l.StartsWith("error:"))) rc = 1;
        }
        return rc;
    }

    private static int RunInteractive(HubLink link, int timeoutMs, TextWriter stdout, TextWriter stderr, TextReader stdin)
    {
        var history = History.Load();
        string line;
        while ((line = stdin.ReadLine()) != null)
        {
            string command = line.Trim();
            if (command is "quit" or "exit") return 0;
            if (command == "history")
            {
                for (int i = 0; i < history.Count; i++) stdout.WriteLine($"{i + 1,4}  {history[i]}");
                stdout.Write(ConsoleInterpreter.Prompt);
                continue;
            }
            if (command.StartsWith('!'))
            {
                string again = command == "!!" ? history.LastOrDefault() : int.TryParse(command[1..], out int n) && n >= 1 && n <= history.Count ? history[n - 1] : null;
                if (again == null) { stdout.Write($"no such history entry\n{ConsoleInterpreter.Prompt}"); continue; }
                stdout.WriteLine(again);
                command = again;
            }
            if (command.Length > 0 && !command.StartsWith("unlock")) history.Add(command);
            link.Send(command);
            if (!link.ReadReply(timeoutMs, out string reply))
            {
                stderr.WriteLine($"pat console: no reply within {timeoutMs / 1000} s; the connection may be lost");
                History.Save(history);
                return 3;
            }
            stdout.Write(reply);
        }
        History.Save(history);
        return 0;
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

/// <summary>A line link to a hub's console: TCP (simulator) or a serial port (device COM2).</summary>
public sealed class HubLink : IDisposable
{
    private readonly Stream _stream;
    private readonly IDisposable _owner;
    private readonly StringBuilder _pending = new();
    private readonly byte[] _buffer = new byte[1024];
    private readonly char[] _chars = new char[1024];
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder(); // keeps split multi-byte characters across reads

    private HubLink(Stream stream, IDisposable owner, bool greets)
    {
        _stream = stream;
        _owner = owner;
        GreetsOnConnect = greets;
    }

    public bool GreetsOnConnect { get; }

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

    public void Send(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\r\n");
        _stream.Write(bytes, 0, bytes.Length);
        _stream.Flush();
    }

    /// <summary>Reads until the prompt; returns everything read including it.</summary>
    public bool ReadReply(int timeoutMs, out string reply)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
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
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) { reply = text; return false; }
            int n;
            try
            {
                var read = _stream.ReadAsync(_buffer, 0, _buffer.Length);
                if (!read.Wait(left)) { reply = text; return false; }
                n = read.Result;
            }
            catch (AggregateException e) when (e.InnerException is TimeoutException or IOException)
            {
                continue;
            }
            if (n <= 0) { reply = text; return false; }
            int count = _utf8.GetChars(_buffer, 0, n, _chars, 0);
            _pending.Append(_chars, 0, count);
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _owner.Dispose();
    }
}
