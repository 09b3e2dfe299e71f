using System.IO.Ports;
using System.Text;

namespace PingAnTong.Edge.Pat;

/// <summary>Where the line editor's keys come from: the terminal (<see cref="TerminalKeys"/>) or a test's script.</summary>
public interface IKeySource
{
    /// <summary>The next key, not echoed; null at the end of input.</summary>
    ConsoleKeyInfo? ReadKey();
}

/// <summary>The terminal's keys, read with echo off (the line editor echoes what may be shown).</summary>
public sealed class TerminalKeys : IKeySource
{
    public ConsoleKeyInfo? ReadKey()
    {
        try
        {
            return Console.ReadKey(intercept: true);
        }
        catch (InvalidOperationException)
        {
            return null; // no terminal after all
        }
    }
}

/// <summary>
/// pat console's line editor on a terminal: characters echoed as typed, Backspace, Up/Down through the history,
/// Ctrl+D on an empty line (or Ctrl+C) ends. The installer PIN is never shown: after <c>unlock </c> nothing typed is
/// echoed, and <c>unlock</c> alone asks for the PIN on its own line ("PIN (not shown): ").
/// </summary>
public sealed class LineEditor
{
    private readonly IKeySource _keys;
    private readonly TextWriter _out;
    private readonly List<string> _history;

    public LineEditor(IKeySource keys, TextWriter output, List<string> history)
    {
        _keys = keys;
        _out = output;
        _history = history;
    }

    /// <summary>One line (without its end), or null at the end of input.</summary>
    public string ReadLine()
    {
        string line = Edit(secretAfter: "unlock ", allowHistory: true);
        if (line == null) return null;
        if (line.Trim() == "unlock")
        {
            _out.Write(Text.Get("ConsolePinPrompt"));
            _out.Flush();
            string pin = Edit(secretAfter: "", allowHistory: false);
            if (pin == null) return null;
            return "unlock " + pin.Trim();
        }
        return line;
    }

    /// <summary>Reads keys up to Enter; characters typed once the line starts with <paramref name="secretAfter"/> are not echoed.</summary>
    private string Edit(string secretAfter, bool allowHistory)
    {
        var line = new StringBuilder();
        int shown = 0; // characters of the line echoed (the visible prefix)
        int historyAt;
        lock (_history) historyAt = _history.Count;
        while (true)
        {
            var next = _keys.ReadKey();
            if (next == null) return line.Length > 0 ? line.ToString() : null;
            var key = next.Value;
            if (key.Key == ConsoleKey.Enter || key.KeyChar == '\r' || key.KeyChar == '\n')
            {
                _out.WriteLine();
                _out.Flush();
                return line.ToString();
            }
            if ((key.Modifiers & ConsoleModifiers.Control) != 0 && key.Key == ConsoleKey.C) return null;
            if ((key.Modifiers & ConsoleModifiers.Control) != 0 && key.Key == ConsoleKey.D)
            {
                if (line.Length == 0) return null;
                continue;
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (line.Length == 0) continue;
                line.Length--;
                if (shown > line.Length)
                {
                    _out.Write("\b \b");
                    shown = line.Length;
                }
            }
            else if (allowHistory && (key.Key == ConsoleKey.UpArrow || key.Key == ConsoleKey.DownArrow))
            {
                string entry;
                lock (_history)
                {
                    historyAt = Math.Clamp(historyAt + (key.Key == ConsoleKey.UpArrow ? -1 : 1), 0, _history.Count);
                    entry = historyAt < _history.Count ? _history[historyAt] : "";
                }
                _out.Write(new string('\b', shown) + new string(' ', shown) + new string('\b', shown));
                line.Clear().Append(entry);
                _out.Write(entry);
                shown = entry.Length;
            }
            else if (key.KeyChar >= ' ' && key.KeyChar != '\u007f')
            {
                line.Append(key.KeyChar);
                bool secret = line.Length > secretAfter.Length && line.ToString().StartsWith(secretAfter, StringComparison.Ordinal);
                if (!secret)
                {
                    _out.Write(key.KeyChar);
                    shown = line.Length;
                }
            }
            _out.Flush();
        }
    }
}

/// <summary>The serial ports of this computer, to say which exist when a named one does not.</summary>
public static class SerialPorts
{
    /// <summary>True (with the message) when <paramref name="port"/> names no serial port of this computer.</summary>
    public static bool Missing(string port, out string message)
    {
        message = null;
        bool exists = OperatingSystem.IsWindows()
            ? Names().Any(n => string.Equals(n, port, StringComparison.OrdinalIgnoreCase))
            : File.Exists(port);
        if (exists) return false;
        message = Text.Get("ConsoleNoSuchPort", Found());
        return true;
    }

    /// <summary>"found: A, B" or "no serial port found".</summary>
    public static string Found()
    {
        var names = Names();
        return names.Count == 0 ? Text.Get("ConsoleNoPorts") : Text.Get("ConsolePortsFound", string.Join(", ", names));
    }

    /// <summary>The USB serial ports (ttyUSB, ttyACM, cu.*, COM), without the dozens of legacy /dev/ttyS* a Linux kernel lists.</summary>
    public static List<string> Names()
    {
        string[] all;
        try
        {
            all = SerialPort.GetPortNames();
        }
        catch (Exception e) when (e is PlatformNotSupportedException or IOException or UnauthorizedAccessException)
        {
            all = Array.Empty<string>();
        }
        return all.Where(n => OperatingSystem.IsWindows() || !System.Text.RegularExpressions.Regex.IsMatch(n, @"^/dev/ttyS\d+$"))
            .Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
    }
}
