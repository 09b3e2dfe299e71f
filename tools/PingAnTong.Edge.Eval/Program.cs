using System.Text.Json;
using PingAnTong.Edge.Eval;
using PingAnTong.Edge.Simulator.Replay;

// Evaluates the inactivity detector with the protocol of shared/reference/inactivity-detection.md §3:
// false alarms per resident-day on the unmodified recordings (after a 7-day warm-up), and time to alarm
// after simulated collapses at random at-home moments (events cut, 24 h of virtual time), for the learned
// detector and the fixed 4 h / 12 h baselines, all through the simulator's replay pipeline.
// Usage: dotnet run -c Release --project tools/PingAnTong.Edge.Eval -- [--data DIR] [--collapses N] [--seed S] [--write-csv DIR] [--detail]

string dataDir = null, csvDir = null;
bool detail = false;
var overrides = new List<(string Key, int Value)>();
int collapses = 210;
int seed = Environment.TickCount & 0x7FFFFFFF;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--data": dataDir = args[++i]; break;
        case "--collapses": collapses = int.Parse(args[++i]); break;
        case "--seed": seed = int.Parse(args[++i]); break;
        case "--write-csv": csvDir = args[++i]; break;
        case "--detail": detail = true; break;
        case "--set":
        {
            var kv = args[++i].Split('=');
            if (kv.Length != 2 || !int.TryParse(kv[1], out int v)) { Console.Error.WriteLine($"error: --set expects name=integer, got \"{args[i]}\""); return 2; }
            overrides.Add((kv[0], v));
            break;
        }
        case "-h": case "--help":
            Console.WriteLine("usage: pat-eval [--data DIR] [--collapses N (default 210)] [--seed S] [--write-csv DIR] [--detail] [--set name=value]...");
            return 0;
        default: Console.Error.WriteLine($"error: unknown argument \"{args[i]}\""); return 2;
    }
}
dataDir ??= FindSharedData();
if (dataDir == null || !Directory.Exists(dataDir))
{
    Console.Error.WriteLine("The development recordings were not found: expected ../shared/data/activity/vankasteren beside the repository " +
        "(or pass --data DIR). They are not shipped with the project; nothing was evaluated.");
    return 3;
}

var houses = new[] { "A", "B", "C" }.Select(l => VanKasterenHouse.Load(dataDir, l)).ToList();
if (csvDir != null)
{
    Directory.CreateDirectory(csvDir);
    foreach (var h in houses) h.WriteCsv(Path.Combine(csvDir, h.Name.Replace(' ', '_') + ".csv"));
    Console.WriteLine($"replay CSVs written to {csvDir}");
}
Console.WriteLine($"data: {dataDir}");
foreach (var h in houses)
    Console.WriteLine($"  {h.Name}: {h.Events.Count} transitions, {(h.WindowEndMs - h.WindowStartMs) / 86_400_000.0:F1} labelled days, {h.Absences.Count} absences");
Console.WriteLine($"collapses: {collapses} at random at-home moments, seed {seed} (--seed {seed} to repeat)");

var perHouse = new List<string>();
var detectors = new (string Name, Action<PingAnTong.Edge.Core.Config.HubConfig> Setup)[]
{
    ("learned profile + door-away (PingAnTong)", c => { foreach (var (k, v) in overrides) Override(c.Inactivity, k, v); }),
    ("fixed 4 h + door-away", c => { c.Inactivity.Learn = false; c.Inactivity.CeilingMinutes = 240; }),
    ("fixed 12 h + door-away", c => { c.Inactivity.Learn = false; c.Inactivity.CeilingMinutes = 720; }),
};

// Collapse moments: at least 7 days in, not within a labelled absence; spread evenly over the houses.
var rng = new Random(seed);
var moments = new List<(VanKasterenHouse House, long T)>();
for (int i = 0; i < collapses; i++)
{
    var h = houses[i % houses.Count];
    long from = h.WindowStartMs + 7 * 86_400_000L;
    long t;
    do t = from + (long)(rng.NextDouble() * (h.WindowEndMs - from)); while (h.IsAway(t));
    moments.Add((h, t));
}

Console.WriteLine();
Console.WriteLine($"{"detector",-42} {"false alarms/day",17} {"mean to alarm",14} {"daytime mean",13} {"within 12 h",12} {"door_night/day",15}");
foreach (var (name, setup) in detectors)
{
    double falseAlarms = 0, days = 0, nightDoors = 0;
    foreach (var h in houses)
    {
        var lines = Replay(h, h.Events, h.WindowEndMs, setup);
        long countFrom = h.WindowStartMs + 7 * 86_400_000L;
        var counted = RaisedAlarms(lines, "inactivity").Where(a => a.Ts >= countFrom).ToList();
        int houseAlarms = counted.Count;
        if (detail)
            foreach (var a in counted)
                perHouse.Add($"    false alarm {h.Name} at {Local(a.Ts)}, last activity {Local(LastActivityBefore(h.Events, a.Ts))}");
        falseAlarms += houseAlarms;
        perHouse.Add($"  {name[..Math.Min(name.Length, 24)],-24} {h.Name}: {houseAlarms} false alarms in {(h.WindowEndMs - countFrom) / 86_400_000.0:F1} days");
        nightDoors += RaisedAlarms(lines, "door_night").Count(a => a.Ts >= countFrom);
        days += (h.WindowEndMs - countFrom) / 86_400_000.0;
    }
    var delays = new double[moments.Count];
    Parallel.For(0, moments.Count, i =>
    {
        var (h, t) = moments[i];
        var cut = h.Events.Where(e => e.TimeMs <= t).ToList();
        var lines = Replay(h, cut, t + 86_400_000L, setup);
        // An inactivity alarm raised for the same quiet spell before T is still out (re-sent until acknowledged):
        // the collapse is covered from T on. Otherwise: the first inactivity alarm after T.
        long lastActivity = cut.Where(e => e.Active).Select(e => e.TimeMs).DefaultIfEmpty(long.MinValue).Last();
        var alarms = RaisedAlarms(lines, "inactivity").ToList();
        bool standing = alarms.Any(a => a.Ts > lastActivity && a.Ts < t);
        var first = alarms.Where(a => a.Ts >= t).Select(a => a.Ts).DefaultIfEmpty(-1).First();
        delays[i] = standing ? 0 : first < 0 ? double.PositiveInfinity : (first - t) / 3_600_000.0;
    });
    foreach (var h in houses)
    {
        var mine = moments.Select((m, i) => (m, d: delays[i])).Where(x => x.m.House == h).ToList();
        if (detail)
            foreach (var x in mine.Where(x => x.d > 2.5))
                perHouse.Add($"    collapse {h.Name} at {Local(x.m.T)}: {x.d:F2} h; last activity {(x.m.T - LastActivityBefore(h.Events, x.m.T)) / 60000} min before, last door {(x.m.T - LastDoorBefore(h.Events, x.m.T)) / 60000} min before");
        perHouse.Add($"  {name[..Math.Min(name.Length, 24)],-24} {h.Name}: mean {mine.Average(x => Math.Min(x.d, 24)):F2} h, daytime {mine.Where(x => IsDaytime(x.m.T)).Select(x => Math.Min(x.d, 24)).DefaultIfEmpty(0).Average():F2} h, missed {mine.Count(x => double.IsInfinity(x.d))}");
    }
    var daytime = moments.Select((m, i) => (m, d: delays[i])).Where(x => IsDaytime(x.m.T)).Select(x => Math.Min(x.d, 24)).ToList();
    double mean = delays.Select(d => Math.Min(d, 24)).Average();
    double within12 = delays.Count(d => d <= 12) / (double)delays.Length;
    Console.WriteLine($"{name,-42} {falseAlarms / days,17:F3} {mean,12:F2} h {daytime.Average(),11:F2} h {within12,11:P1} {nightDoors / days,15:F3}");
}
Console.WriteLine();
foreach (var line in perHouse) Console.WriteLine(line);
Console.WriteLine();
Console.WriteLine("false alarms: inactivity alarms raised on the unmodified recordings after day 7, per resident-day;");
Console.WriteLine("time to alarm: from the collapse to the inactivity alarm leaving the hub (the 5-min prompt counts as unanswered);");
Console.WriteLine("undetected collapses count as 24 h in the means. Daytime = collapse between 08:00 and 22:00.");
return 0;

static List<string> Replay(VanKasterenHouse h, IReadOnlyList<ActivityEvent> events, long untilMs, Action<PingAnTong.Edge.Core.Config.HubConfig> setup)
{
    var config = ReplayRunner.ConfigFor(h.Events);
    setup(config);
    var output = new StringWriter();
    ReplayRunner.Run(events, config, untilMs, output, 10_000);
    return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
}

static IEnumerable<(string Id, long Ts)> RaisedAlarms(List<string> lines, string kind)
{
    var seen = new HashSet<string>();
    foreach (var line in lines)
    {
        if (!line.Contains("\"kind\":\"" + kind + "\"") || !line.Contains("\"state\":\"raised\"")) continue;
        var p = JsonDocument.Parse(line).RootElement.GetProperty("payload");
        string id = p.GetProperty("id").GetString();
        if (!seen.Add(id)) continue;
        yield return (id, DateTimeOffset.Parse(p.GetProperty("ts").GetString()).ToUnixTimeMilliseconds());
    }
}

static void Override(PingAnTong.Edge.Core.Config.InactivityConfig c, string key, int value)
{
    switch (key)
    {
        case "floorMinutes": c.FloorMinutes = value; break;
        case "ceilingMinutes": c.CeilingMinutes = value; break;
        case "sensitivity": c.Sensitivity = value; break;
        case "promptMinutes": c.PromptMinutes = value; break;
        case "awayConfirmMinutes": c.AwayConfirmMinutes = value; break;
        default: throw new ArgumentException($"--set: unknown inactivity setting \"{key}\" (floorMinutes, ceilingMinutes, sensitivity, promptMinutes, awayConfirmMinutes)");
    }
}

static string Local(long t) => DateTimeOffset.FromUnixTimeMilliseconds(t).UtcDateTime.ToString("ddd MM-dd HH:mm");

static long LastActivityBefore(IReadOnlyList<ActivityEvent> events, long t) =>
    events.Where(e => e.TimeMs <= t && (e.Active || e.Kind == "door")).Select(e => e.TimeMs).DefaultIfEmpty(long.MinValue).Last();

static long LastDoorBefore(IReadOnlyList<ActivityEvent> events, long t) =>
    events.Where(e => e.TimeMs <= t && e.Kind == "door").Select(e => e.TimeMs).DefaultIfEmpty(long.MinValue).Last();

static bool IsDaytime(long t)
{
    int hour = DateTimeOffset.FromUnixTimeMilliseconds(t).UtcDateTime.Hour;
    return hour >= 8 && hour < 22;
}

static string FindSharedData()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "..", "shared", "data", "activity", "vankasteren");
            if (File.Exists(Path.Combine(dir.FullName, "PingAnTong.Edge.sln")) && Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        }
    }
    return null;
}
