using System.Globalization;
using PingAnTong.Edge.Simulator.Replay;

namespace PingAnTong.Edge.Eval;

/// <summary>
/// One van Kasteren home converted to the replay format: sensor intervals (<c>K?_ss.csv</c>) become
/// on/off (PIR: motion, front door: door, everything else: contact; with <c>mats</c> the bed pressure mats: bed,
/// the other pressure mats (couch, chair, stool): chair) within the labelled window, and the
/// labelled "leave house" intervals mark the absences (ground truth for at-home collapse moments).
/// </summary>
public sealed class VanKasterenHouse
{
    public string Name { get; init; }
    public List<ActivityEvent> Events { get; init; }
    public long WindowStartMs { get; init; }
    public long WindowEndMs { get; init; }
    public List<(long Start, long End)> Absences { get; init; }

    /// <param name="mats">true maps the pressure mats as bed/chair occupancy inputs; false (the evaluation's default) as plain
    /// contacts: in these recordings the mats pulse with movement (median on-interval 1 s) rather than hold "occupied".</param>
    public static VanKasterenHouse Load(string folder, string letter, bool mats = false)
    {
        string P(string f) => Path.Combine(folder, $"K{letter}_{f}.csv");
        var labels = File.ReadAllLines(P("sensor_labels")).Skip(1)
            .Select(l => l.Split('\t'))
            .Where(f => f.Length >= 2 && int.TryParse(f[0], out _))
            .ToDictionary(f => int.Parse(f[0]), f => f[1].Trim().Trim('\'').Trim());
        var activityIds = ParseActivityLabels(File.ReadAllText(P("activity_labels")));
        int leaveId = activityIds.First(kv => kv.Value.Contains("leav", StringComparison.OrdinalIgnoreCase)).Key;

        var activities = ReadIntervals(P("as")).ToList();
        long windowStart = activities.Min(a => a.Start), windowEnd = activities.Max(a => a.End);
        var absences = activities.Where(a => a.Id == leaveId).Select(a => (a.Start, a.End)).ToList();

        var transitions = new List<(long Time, int Order, string Sensor, string Kind, string State)>();
        foreach (var (start, end, id) in ReadIntervals(P("ss")))
        {
            if (!labels.TryGetValue(id, out string label) || label.Contains("dead", StringComparison.OrdinalIgnoreCase)) continue;
            if (end < windowStart || start > windowEnd) continue;
            string compact = label.Replace(" ", "").ToLowerInvariant();
            string kind = compact.Contains("frontdoor") ? "door" : compact.Contains("pir") ? "motion"
                : mats && compact.Contains("pressuremat") ? (compact.Contains("bed") ? "bed" : "chair") : "contact";
            string slug = new string(label.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray()).Trim('_');
            string sensor = ("s" + id + "_" + slug)[..Math.Min(24, 2 + id.ToString().Length + slug.Length)].TrimEnd('_');
            long s = Math.Max(start, windowStart), e = Math.Max(Math.Min(end, windowEnd), s + 1000); // on and off at least 1 s apart
            transitions.Add((s, 1, sensor, kind, kind == "door" ? "open" : "on"));
            transitions.Add((e, 0, sensor, kind, kind == "door" ? "closed" : "off"));
        }
        var events = transitions.OrderBy(t => t.Time).ThenBy(t => t.Order)
            .Select((t, i) => new ActivityEvent(i + 2, t.Time, t.Sensor, t.Kind, t.State)).ToList();
        return new VanKasterenHouse { Name = "House " + letter, Events = events, WindowStartMs = windowStart, WindowEndMs = windowEnd, Absences = absences };
    }

    /// <summary>Writes the replay CSV (header time,sensor,kind,state) for use with the simulator's replay command.</summary>
    public void WriteCsv(string path)
    {
        using var w = new StreamWriter(path);
        w.WriteLine("time,sensor,kind,state");
        foreach (var e in Events)
            w.WriteLine($"{DateTimeOffset.FromUnixTimeMilliseconds(e.TimeMs).UtcDateTime:yyyy-MM-ddTHH:mm:ss.fff},{e.Sensor},{e.Kind},{e.State}");
    }

    public bool IsAway(long timeMs) => Absences.Any(a => timeMs >= a.Start && timeMs < a.End);

    /// <summary>
    /// The same home with its absences read as the protocol words them, "an absence that starts with a front-door
    /// event": a labelled absence starts at the first door event up to 5 min before its label (the labels were
    /// taken by hand), and a gap of 15 min or more from a door event to the next door event with no other activity
    /// between is an absence too (it is labelled nowhere, but nobody was seen at home).
    /// </summary>
    public VanKasterenHouse WithDoorAbsences()
    {
        const long Slop = 300_000, Gap = 900_000;
        var activity = Events.Where(e => e.Active || e.Kind is "door" or "bed" or "chair").ToList();
        var doors = activity.Where(e => e.Kind == "door").Select(e => e.TimeMs).ToList();
        var absences = Absences.Select(a => (doors.Where(d => d <= a.Start && d >= a.Start - Slop).DefaultIfEmpty(a.Start).Min(), a.End)).ToList();
        for (int i = 0; i + 1 < activity.Count; i++)
        {
            if (activity[i].Kind == "door" && activity[i + 1].Kind == "door" && activity[i + 1].TimeMs - activity[i].TimeMs >= Gap)
                absences.Add((activity[i].TimeMs, activity[i + 1].TimeMs));
        }
        return new VanKasterenHouse { Name = Name, Events = Events, WindowStartMs = WindowStartMs, WindowEndMs = WindowEndMs, Absences = absences };
    }

    private static Dictionary<int, string> ParseActivityLabels(string text)
    {
        // The label files are "ID<TAB>label" lines, some exports without newlines ("1\t'leave house'2\t''3\t...").
        var result = new Dictionary<int, string>();
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, @"(\d+)\t'([^']*)'"))
            result[int.Parse(m.Groups[1].Value)] = m.Groups[2].Value;
        return result;
    }

    private static IEnumerable<(long Start, long End, int Id)> ReadIntervals(string path)
    {
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split('\t');
            if (f.Length < 3) continue;
            yield return (ParseTime(f[0]), ParseTime(f[1]), int.Parse(f[2].Trim()));
        }
    }

    private static long ParseTime(string s) =>
        new DateTimeOffset(DateTime.ParseExact(s.Trim(), "dd-MMM-yyyy HH:mm:ss", CultureInfo.InvariantCulture), TimeSpan.Zero).ToUnixTimeMilliseconds();
}
