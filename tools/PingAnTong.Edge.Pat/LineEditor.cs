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
    // What is on the terminal's current row, for Redraw: the prompt, then the visible part of the line being typed.
    private readonly object _screen = new();
    private readonly StringBuilder _line = new();
    private string _prompt = "";
    private bool _promptOnScreen;
    private bool _secret;
    private int _shown; // characters of the line echoed (the visible prefix)

    public LineEditor(IKeySource keys, TextWriter output, List<string> history)
    {
        _keys = keys;
        _out = output;
        _history = history;
    }

    /// <summary>Shows <paramref name="prompt"/> on a new line (pat console's status line and prompt).</summary>
    public void ShowPrompt(string prompt)
    {
        lock (_screen)
        {
            _prompt = prompt;
            _promptOnScreen = true;
            _out.Write(prompt + _line.ToString(0, _shown));
            _out.Flush();
        }
    }

    /// <summary>
    /// Replaces the prompt on screen with <paramref name="prompt"/> and shows again what is being typed, as it was (the
    /// cursor stays at its end): carriage return, the new prompt, the visible text, and blanks over what the longer
    /// old prompt leaves (CJK characters count two columns). Only the current row is redrawn, so a line typed past the
    /// terminal's width is redrawn from its last row. While the PIN is asked for, nothing is redrawn.
    /// </summary>
    public void Redraw(string prompt)
    {
        lock (_screen)
        {
            string old = _prompt;
            _prompt = prompt;
            if (!_promptOnScreen || _secret) return;
            string visible = _line.ToString(0, _shown);
            int pad = Math.Max(0, Columns(old) - Columns(prompt));
            _out.Write("\r" + prompt + visible + new string(' ', pad) + new string('\b', pad));
            _out.Flush();
        }
    }

    /// <summary>Terminal columns of <paramref name="text"/>: East Asian wide and full-width characters take two.</summary>
    public static int Columns(string text)
    {
        int n = 0;
        foreach (char c in text)
            n += c is >= '\u1100' and <= '\u115F' or >= '\u2E80' and <= '\uA4CF' or >= '\uAC00' and <= '\uD7A3'
                or >= '\uF900' and <= '\uFAFF' or >= '\uFE30' and <= '\uFE4F' or >= '\uFF00' and <= '\uFF60' or >= '\uFFE0' and <= '\uFFE6' ? 2 : 1;
        return n;
    }

    /// <summary>One line (without its end), or null at the end of input.</summary>
    public string ReadLine()
    {
        string line = Edit(secretAfter: "unlock ", allowHistory: true);
        if (line == null) return null;
        if (line.Trim() == "unlock")
        {
            lock (_screen)
            {
                _secret = true;
                _out.Write(Text.Get("ConsolePinPrompt"));
                _out.Flush();
            }
            string pin;
            try { pin = Edit(secretAfter: "", allowHistory: false); }
            finally { lock (_screen) _secret = false; }
            if (pin == null) return null;
            return "unlock " + pin.Trim();
        }
        return line;
    }

    /// <summary>Reads keys up to Enter; characters typed once the line starts with <paramref name="secretAfter"/> are not echoed.</summary>
    private string Edit(string secretAfter, bool allowHistory)
    {
        var line = _line;
        lock (_screen)
        {
            line.Clear();
            _shown = 0;
        }
        int historyAt;
        lock (_history) historyAt = _history.Count;
        while (true)
        {
            var next = _keys.ReadKey();
            if (next == null) lock (_screen) return line.Length > 0 ? line.ToString() : null;
            var key = next.Value;
            lock (_screen)
            {
                if (key.Key == ConsoleKey.Enter || key.KeyChar == '\r' || key.KeyChar == '\n')
                {
                    _out.WriteLine();
                    _out.Flush();
                    _promptOnScreen = false;
                    string done = line.ToString();
                    line.Clear();
                    _shown = 0;
                    return done;
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
                    if (_shown > line.Length)
                    {
                        _out.Write("\b \b");
                        _shown = line.Length;
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
                    _out.Write(new string('\b', _shown) + new string(' ', _shown) + new string('\b', _shown));
                    line.Clear().Append(entry);
                    _out.Write(entry);
                    _shown = entry.Length;
                }
                else if (key.KeyChar >= ' ' && key.KeyChar != '\u007f')
                {
                    line.Append(key.KeyChar);
                    bool secret = line.Length > secretAfter.Length && line.ToString().StartsWith(secretAfter, StringComparison.Ordinal);
                    if (!secret)
                    {
                        _out.Write(key.KeyChar);
                        _shown = line.Length;
                    }
                }
                _out.Flush();
            }
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
