using System.Globalization;

namespace PingAnTong.Edge.Simulator.Scenarios;

/// <summary>
/// Parses scenario files. Each line is <c>at TIME ACTION</c> or <c>expect ... within DURATION</c>
/// (an expectation starts at the time of the previous <c>at</c>). TIME is <c>HH:MM:SS</c> from the start
/// or <c>+DURATION</c> after the previous <c>at</c>; durations are <c>500ms</c>, <c>10s</c>, <c>2m</c>,
/// <c>1h</c>, <c>1d</c>. <c>#</c> starts a comment.
/// </summary>
public static class ScenarioParser
{
    private static readonly string[] Actions = { "press", "on", "off", "set", "fault", "backend", "link", "power", "wait" };

    public static List<ScenarioStep> Parse(string path)
    {
        var steps = new List<ScenarioStep>();
        long at = 0;
        int line = 0;
        foreach (string raw in File.ReadLines(path))
        {
            line++;
            string text = raw.Split('#')[0].Trim();
            if (text.Length == 0) continue;
            var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string Where() => $"{path}:{line}";
            if (words[0] == "at")
            {
                if (words.Length < 3) throw new FormatException($"{Where()}: expected \"at TIME ACTION\"");
                at = words[1].StartsWith('+') ? at + Duration(words[1][1..], Where()) : ClockTime(words[1], Where());
                if (!Actions.Contains(words[2])) throw new FormatException($"{Where()}: unknown action \"{words[2]}\" (expected one of {string.Join(", ", Actions)})");
                steps.Add(new ScenarioStep(line, at, words[2], words[3..], 0, text));
            }
            else if (words[0] == "expect")
            {
                int w = Array.IndexOf(words, "within");
                if (w < 2 || w != words.Length - 2) throw new FormatException($"{Where()}: expected \"expect WHAT within DURATION\"");
                var what = words[1..w];
                if (!(what[0] is "alarm" or "event" or "indication" or "no" or "published"))
                    throw new FormatException($"{Where()}: expected alarm, event, indication, no or published after expect, got \"{what[0]}\"");
                steps.Add(new ScenarioStep(line, at, "expect", what, Duration(words[^1], Where()), text));
            }
            else
            {
                throw new FormatException($"{Where()}: expected a line starting with \"at\" or \"expect\", got \"{words[0]}\"");
            }
        }
        return steps;
    }

    public static long Duration(string s, string where)
    {
        (string unit, long factor)[] units = { ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000) };
        foreach (var (unit, factor) in units)
        {
            if (s.EndsWith(unit) && double.TryParse(s[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0)
                return (long)(v * factor);
        }
        throw new FormatException($"{where}: expected a duration like 500ms, 10s, 2m, 1h or 1d, got \"{s}\"");
    }

    private static long ClockTime(string s, string where)
    {
        var p = s.Split(':');
        if (p.Length == 3 && int.TryParse(p[0], out int h) && int.TryParse(p[1], out int m) && double.TryParse(p[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double sec))
            return h * 3_600_000L + m * 60_000L + (long)(sec * 1000);
        throw new FormatException($"{where}: expected HH:MM:SS or +DURATION, got \"{s}\"");
    }
}
