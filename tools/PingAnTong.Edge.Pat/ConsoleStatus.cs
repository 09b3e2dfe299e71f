using System.Text.RegularExpressions;
using PingAnTong.Edge.Core.Field;

namespace PingAnTong.Edge.Pat;

/// <summary>
/// pat console's status line, carried by the prompt: <c>[PORT | connected | hub-0101 | locked] pat&gt; </c>. What it
/// knows it reads from the hub's own replies, in either of the hub console's languages (the templates of
/// <see cref="ConsoleText"/>, so a reworded reply still matches): the hub's id from <c>status</c>, unlocked from
/// <c>unlock</c> (with its minutes, so pat knows when the hub locks again by itself) or <c>status</c>, locked from
/// <c>lock</c>, <c>status</c> or a refused command. <see cref="Changed"/> is raised when the state changes without a
/// reply: the lock timeout passing (on <see cref="TimeProvider"/>) and the link dropping.
/// </summary>
public sealed class ConsoleStatus : IDisposable
{
    private static readonly Regex[] HubLines = Both(ConsoleText.StatusHub, n => n == 0 ? "(?<hub>\\S+?)" : ".*?");
    private static readonly Regex[] UnlockedLines = Both(ConsoleText.Unlocked, n => n == 0 ? "(?<minutes>\\d+)" : ".*?");
    private static readonly Regex[] LockedLines = Both(ConsoleText.Locked, null);
    private static readonly Regex[] NeedsUnlockLines = Both(ConsoleText.NeedsUnlock, _ => ".+");
    // "console {0}{1}": {0} is "unlocked for {0}" (a ConsoleFormat.Duration) or "locked", {1} the lockout, if any.
    private static readonly Regex[] StatusConsoleLines = new[] { ConsoleText.En, ConsoleText.Zh }.Select(lang =>
        Pattern(ConsoleText.Template(lang, ConsoleText.StatusConsole), slot => slot == 0
            ? "(?:(?<locked>" + Pattern(ConsoleText.Template(lang, ConsoleText.ConsoleLocked), null) + ")|"
              + Pattern(ConsoleText.Template(lang, ConsoleText.ConsoleUnlockedFor), _ => "(?<left>[0-9dhms]+)") + ")"
            : ".*")).Select(p => new Regex("^" + p + "$", RegexOptions.CultureInvariant)).ToArray();

    private readonly object _sync = new();
    private readonly TimeProvider _clock;
    private ITimer _lockTimer;
    private bool _connected = true;
    private string _hubId;
    private bool? _unlocked;
    private DateTimeOffset _unlockedUntil;

    public ConsoleStatus(string port, TimeProvider clock = null)
    {
        Port = port;
        _clock = clock ?? TimeProvider.System;
    }

    public string Port { get; }

    /// <summary>Raised (on a timer's thread) when the state changed by itself: the lock timeout passed, the link dropped.</summary>
    public event Action Changed;

    /// <summary>The status line, e.g. "[COM5 | connected | hub-0101 | unlocked until 10:42]".</summary>
    public string Line
    {
        get
        {
            lock (_sync)
            {
                string link = Text.Get(_connected ? "ConsoleStatusConnected" : "ConsoleStatusLost");
                string hub = _hubId ?? Text.Get("ConsoleStatusHubUnknown");
                string locked = _unlocked == true ? Text.Get("ConsoleStatusUnlocked", _unlockedUntil.ToLocalTime().ToString("HH:mm"))
                    : _unlocked == false ? Text.Get("ConsoleStatusLocked") : Text.Get("ConsoleStatusLockUnknown");
                return $"[{Port} | {link} | {hub} | {locked}]";
            }
        }
    }

    /// <summary>The prompt pat shows instead of the hub's: the status line, then the hub's prompt.</summary>
    public string Prompt => Line + " " + ConsoleInterpreter.Prompt;

    /// <summary>Reads a reply of the hub (without its prompt) for what it says about the state.</summary>
    public void Observe(string reply)
    {
        foreach (var raw in reply.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            Match m;
            if ((m = First(HubLines, line)) != null) lock (_sync) _hubId = m.Groups["hub"].Value;
            else if ((m = First(UnlockedLines, line)) != null) SetUnlocked(TimeSpan.FromMinutes(int.Parse(m.Groups["minutes"].Value)));
            else if (First(LockedLines, line) != null || First(NeedsUnlockLines, line) != null) SetLocked();
            else if ((m = First(StatusConsoleLines, line)) != null)
            {
                if (m.Groups["locked"].Success) SetLocked();
                else if (Duration(m.Groups["left"].Value) is TimeSpan left) SetUnlocked(left);
            }
        }
    }

    /// <summary>The link has ended.</summary>
    public void Lost()
    {
        lock (_sync)
        {
            if (!_connected) return;
            _connected = false;
            _lockTimer?.Dispose();
        }
        Changed?.Invoke();
    }

    private void SetLocked()
    {
        lock (_sync)
        {
            _unlocked = false;
            _lockTimer?.Dispose();
            _lockTimer = null;
        }
    }

    private void SetUnlocked(TimeSpan left)
    {
        lock (_sync)
        {
            _unlocked = true;
            _unlockedUntil = _clock.GetUtcNow() + left;
            _lockTimer?.Dispose();
            // The hub locks again by itself when the unlock time is over (ConsoleInterpreter.IsUnlocked): so does the line.
            _lockTimer = _clock.CreateTimer(_ => LockTimeout(), null, left, Timeout.InfiniteTimeSpan);
        }
    }

    private void LockTimeout()
    {
        lock (_sync)
        {
            if (_unlocked != true || _clock.GetUtcNow() < _unlockedUntil) return;
            _unlocked = false;
        }
        Changed?.Invoke();
    }

    /// <summary>ConsoleFormat.Duration's forms: 45s, 9m05s, 1h02m, 2d03h04m.</summary>
    private static TimeSpan? Duration(string text)
    {
        var m = Regex.Match(text, @"^(?:(?<d>\d+)d)?(?:(?<h>\d+)h)?(?:(?<m>\d+)m)?(?:(?<s>\d+)s)?$");
        if (!m.Success || text.Length == 0) return null;
        int Part(string g) => m.Groups[g].Success ? int.Parse(m.Groups[g].Value) : 0;
        return new TimeSpan(Part("d"), Part("h"), Part("m"), Part("s"));
    }

    /// <summary>The message's English and Chinese templates as anchored patterns.</summary>
    private static Regex[] Both(int id, Func<int, string> slot) => new[] { ConsoleText.En, ConsoleText.Zh }
        .Select(lang => new Regex("^" + Pattern(ConsoleText.Template(lang, id), slot) + "$", RegexOptions.CultureInvariant)).ToArray();

    /// <summary>A template as a pattern: its text literal, each {n} replaced by <paramref name="slot"/>(n).</summary>
    private static string Pattern(string template, Func<int, string> slot) =>
        string.Concat(Regex.Split(template, @"(\{\d\})").Select(part =>
            Regex.IsMatch(part, @"^\{\d\}$") && slot != null ? slot(part[1] - '0') : Regex.Escape(part)));

    private static Match First(Regex[] patterns, string line)
    {
        foreach (var p in patterns)
        {
            var m = p.Match(line);
            if (m.Success) return m;
        }
        return null;
    }

    public void Dispose()
    {
        lock (_sync) _lockTimer?.Dispose();
    }
}
