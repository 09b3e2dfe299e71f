using System.Globalization;

namespace PingAnTong.Edge.Simulator.Replay;

/// <summary>
/// Reads replay CSVs: header <c>time,sensor,kind,state</c>; <c>time</c> ISO-8601 local time without zone;
/// <c>kind</c> motion, door, contact, bed, chair, sos or ok (bed and chair: occupancy mats, on = occupied, off = empty);
/// <c>state</c> on, off, open, closed or press. Errors name the
/// file, the line and the field.
/// </summary>
public static class ActivityCsv
{
    private static readonly string[] Kinds = { "motion", "door", "contact", "bed", "chair", "sos", "ok" };
    private static readonly string[] States = { "on", "off", "open", "closed", "press" };
    private static readonly string[] TimeFormats =
    {
        "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm",
    };

    public static List<ActivityEvent> Read(string path)
    {
        var events = new List<ActivityEvent>();
        using var reader = new StreamReader(path);
        string header = reader.ReadLine();
        if (header == null || header.Trim().TrimStart('\uFEFF') != "time,sensor,kind,state")
            throw new FormatException($"{path}:1: expected the header time,sensor,kind,state, got \"{header}\"");
        int line = 1;
        long previous = long.MinValue;
        string text;
        while ((text = reader.ReadLine()) != null)
        {
            line++;
            if (text.Trim().Length == 0) continue;
            var f = text.Split(',');
            if (f.Length != 4) throw new FormatException($"{path}:{line}: expected 4 fields time,sensor,kind,state, got {f.Length}");
            if (!DateTime.TryParseExact(f[0].Trim(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
                throw new FormatException($"{path}:{line}: time: expected ISO-8601 local time like 2011-06-15T01:03:39.149, got \"{f[0]}\"");
            string sensor = f[1].Trim();
            if (sensor.Length == 0 || sensor.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-')))
                throw new FormatException($"{path}:{line}: sensor: expected a name of letters, digits, '_' or '-', got \"{f[1]}\"");
            string kind = f[2].Trim();
            if (!Kinds.Contains(kind)) throw new FormatException($"{path}:{line}: kind: expected one of {string.Join(", ", Kinds)}, got \"{f[2]}\"");
            string state = f[3].Trim();
            if (!States.Contains(state)) throw new FormatException($"{path}:{line}: state: expected one of {string.Join(", ", States)}, got \"{f[3]}\"");
            long ms = new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
            if (ms < previous) throw new FormatException($"{path}:{line}: time: goes back in time (events must be in time order)");
            previous = ms;
            events.Add(new ActivityEvent(line, ms, sensor, kind, state));
        }
        return events;
    }

    public static long ParseTime(string text, string what)
    {
        if (!DateTime.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
            throw new FormatException($"{what}: expected ISO-8601 local time like 2011-06-15T01:03:39.149, got \"{text}\"");
        return new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
    }
}
