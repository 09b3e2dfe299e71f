using System.Text.Json;
using PingAnTong.Edge.Eval;
using PingAnTong.Edge.Simulator.Replay;

// Evaluates the inactivity detector with the protocol of shared/reference/inactivity-detection.md §3:
// false alarms per resident-day on the unmodified recordings, and time to alarm after simulated collapses
// at random at-home moments (events cut, 24 h of virtual time), for the learned detector and the fixed
// 4 h / 12 h baselines, all through the simulator's replay pipeline. Two protocols side by side on the same
// runs: "day one" (warm-up one day: false alarms and collapses from day 1) and "after a week" (warm-up
// 7 days: only what falls from day 7), then per home and per week of history.
// Usage: dotnet run -c Release --project tools/PingAnTong.Edge.Eval -- [--data DIR] [--collapses N] [--seed S] [--write-csv DIR] [--detail] [--mats] [--learned-only] [--dump FILE] [--door-absences]

string dataDir = null, csvDir = null, dumpFile = null;
bool detail = false, mats = false, learnedOnly = false, doorAbsences = false;
var overrides = new List<(string Key, int Value)>();
int collapses = 300;
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
        case "--dump": dumpFile = args[++i]; break;
        case "--learned-only": learnedOnly = true; break;
        case "--door-absences": doorAbsences = true; break;
        case "--mats": mats = true; break;
        case "--set":
        {
            var kv = args[++i].Split('=');
            if (kv.Length != 2 || !int.TryParse(kv[1], out int v)) { Console.Error.WriteLine($"error: --set expects name=integer, got \"{args[i]}\""); return 2; }
            overrides.Add((kv[0], v));
            break;
        }
        case "-h": case "--help":
            Console.WriteLine("usage: pat-eval [--data DIR] [--collapses N (default 300)] [--seed S] [--write-csv DIR] [--detail] [--mats] [--learned-only] [--dump FILE] [--door-absences] [--set name=value]...");
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

var houses = new[] { "A", "B", "C" }.Select(l => VanKasterenHouse.Load(dataDir, l, mats)).ToList();
if (doorAbsences) houses = houses.Select(h => h.WithDoorAbsences()).ToList();
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
if (doorAbsences)
    Console.WriteLine("absences (--door-absences): the labelled ones from the door event that began them (up to 5 min before the label), " +
        "and every unlabelled gap from a door event to the next door event with nothing between, 15 min or longer");

var perHouse = new List<string>();
var detectors = new (string Name, Action<PingAnTong.Edge.Core.Config.HubConfig> Setup)[]
{
    ("learned + prior + door-away (PingAnTong)", c => { foreach (var (k, v) in overrides) Override(c.Inactivity, k, v); }),
    ("fixed 4 h + door-away", c => { c.Inactivity.Learn = false; c.Inactivity.CeilingMinutes = 240; }),
    ("fixed 12 h + door-away", c => { c.Inactivity.Learn = false; c.Inactivity.CeilingMinutes = 720; }),
};
const long DayMs = 86_400_000L;
const int DayOneWarmup = 1, WeekWarmup = 7;
Console.WriteLine($"mats: {(mats ? "pressure mats as bed/chair occupancy inputs (--mats)" : "pressure mats as plain contacts (their on-intervals are mostly 1-s pulses, not occupancy; --mats to map them as bed/chair)")}");

// Collapse moments: at least 1 day in, not within a labelled absence; spread evenly over the houses. The
// "after a week" protocol uses the ones at least 7 days in.
var rng = new Random(seed);
var moments = new List<(VanKasterenHouse House, long T)>();
for (int i = 0; i < collapses; i++)
{
    var h = houses[i % houses.Count];
    long from = h.WindowStartMs + DayOneWarmup * DayMs;
    long t;
    do t = from + (long)(rng.NextDouble() * (h.WindowEndMs - from)); while (h.IsAway(t));
    moments.Add((h, t));
}
int Week(VanKasterenHouse h, long t) => (int)Math.Min(2, (t - h.WindowStartMs) / (7 * DayMs));
string[] weekNames = { "week 1 (days 1-7)", "week 2 (days 7-14)", "week 3+ (day 14 on)" };

var summary = new List<string>();
var weekly = new List<string>();
foreach (var (name, setup) in learnedOnly ? detectors.Take(1) : detectors)
{
    // False alarms on the unmodified recordings: one replay per home, counted per week of history.
    var alarmsPerHouse = new Dictionary<VanKasterenHouse, List<long>>();
    double nightDoorsWeek = 0;
    foreach (var h in houses)
    {
        var lines = Replay(h, h.Events, h.WindowEndMs, setup);
        alarmsPerHouse[h] = RaisedAlarms(lines, "inactivity").Select(a => a.Ts).ToList();
        nightDoorsWeek += RaisedAlarms(lines, "door_night").Count(a => a.Ts >= h.WindowStartMs + WeekWarmup * DayMs);
        if (detail)
            foreach (var a in alarmsPerHouse[h].Where(a => a >= h.WindowStartMs + DayOneWarmup * DayMs))
                perHouse.Add($"    false alarm {name[..Math.Min(name.Length, 12)]} {h.Name} at {Local(a)} (day {(a - h.WindowStartMs) / (double)DayMs:F1}), last activity {Local(LastActivityBefore(h.Events, a))}");
    }
    var delays = new double[moments.Count];
    Parallel.For(0, moments.Count, i =>
    {
        var (h, t) = moments[i];
        var cut = h.Events.Where(e => e.TimeMs <= t).ToList();
        var lines = Replay(h, cut, t + DayMs, setup);
        // An inactivity alarm raised for the same quiet spell before T is still out (re-sent until acknowledged):
        // the collapse is covered from T on. Otherwise: the first inactivity alarm after T.
        long lastActivity = cut.Where(e => e.Active || e.Kind is "door" or "bed" or "chair").Select(e => e.TimeMs).DefaultIfEmpty(long.MinValue).Last();
        var alarms = RaisedAlarms(lines, "inactivity").ToList();
        bool standing = alarms.Any(a => a.Ts > lastActivity && a.Ts < t);
        var first = alarms.Where(a => a.Ts >= t).Select(a => a.Ts).DefaultIfEmpty(-1).First();
        delays[i] = standing ? 0 : first < 0 ? double.PositiveInfinity : (first - t) / 3_600_000.0;
    });
    var all = moments.Select((m, i) => (m.House, m.T, D: delays[i])).ToList();
    if (dumpFile != null)
        File.AppendAllLines(dumpFile, all.Select(x => $"{name}\t{x.House.Name}\t{Local(x.T)}\t{(x.T - x.House.WindowStartMs) / (double)DayMs:F2}\t{DateTimeOffset.FromUnixTimeMilliseconds(x.T).UtcDateTime.Hour}\t{Math.Min(x.D, 24):F2}\t{(x.T - LastActivityBefore(x.House.Events, x.T)) / 60000}"));

    string Figures(IEnumerable<VanKasterenHouse> hs, long fromDay, long toDay, Func<(VanKasterenHouse House, long T, double D), bool> pick)
    {
        double days = 0, fa = 0;
        foreach (var h in hs)
        {
            long a = h.WindowStartMs + fromDay * DayMs, b = Math.Min(h.WindowEndMs, h.WindowStartMs + toDay * DayMs);
            if (b <= a) continue;
            days += (b - a) / (double)DayMs;
            fa += alarmsPerHouse[h].Count(x => x >= a && x < b);
        }
        var mine = all.Where(pick).ToList();
        var day = mine.Where(x => IsDaytime(x.T)).Select(x => Math.Min(x.D, 24)).ToList();
        string mean = mine.Count == 0 ? "-" : $"{mine.Average(x => Math.Min(x.D, 24)):F2} h";
        string dayMean = day.Count == 0 ? "-" : $"{day.Average():F2} h";
        string within = mine.Count == 0 ? "-" : $"{mine.Count(x => x.D <= 12) / (double)mine.Count:P1}";
        return $"{(days > 0 ? fa / days : 0),7:F3} {fa,4:F0}/{days,5:F1} d {mean,8} {dayMean,8} {within,7} n={mine.Count,-3}";
    }
    bool From(VanKasterenHouse h, long t, int warmup) => t >= h.WindowStartMs + warmup * DayMs;
    summary.Add($"{name,-42} day one:    {Figures(houses, DayOneWarmup, 1000, x => From(x.House, x.T, DayOneWarmup))}");
    summary.Add($"{"",-42} after week: {Figures(houses, WeekWarmup, 1000, x => From(x.House, x.T, WeekWarmup))}   door_night/day {nightDoorsWeek / houses.Sum(h => (h.WindowEndMs - h.WindowStartMs - WeekWarmup * DayMs) / (double)DayMs):F3}");
    // Where the after-a-week mean comes from: the night's share, and what the undetected collapses (24 h each) add.
    var week = all.Where(x => From(x.House, x.T, WeekWarmup)).ToList();
    var nights = week.Where(x => !IsDaytime(x.T)).ToList();
    var days = week.Where(x => IsDaytime(x.T)).ToList();
    var seen = week.Where(x => !double.IsInfinity(x.D)).ToList();
    var seenDays = days.Where(x => !double.IsInfinity(x.D)).ToList();
    if (nights.Count > 0 && days.Count > 0 && seen.Count > 0 && seenDays.Count > 0)
        summary.Add($"{"",-42} after week: 22:00-08:00 n={nights.Count} mean {nights.Average(x => Math.Min(x.D, 24)):F2} h; " +
            $"without the {week.Count - seen.Count} undetected: mean {seen.Average(x => x.D):F2} h, daytime {seenDays.Average(x => x.D):F2} h");
    foreach (var h in houses)
    {
        weekly.Add($"  {name[..Math.Min(name.Length, 24)],-24} {h.Name} day one:    {Figures(new[] { h }, DayOneWarmup, 1000, x => x.House == h)}   missed {all.Count(x => x.House == h && double.IsInfinity(x.D))}");
        for (int w = 0; w < 3; w++)
        {
            int ww = w;
            weekly.Add($"  {"",-24} {h.Name} {weekNames[w],-19} {Figures(new[] { h }, Math.Max(DayOneWarmup, 7 * w), w == 2 ? 1000 : 7 * (w + 1), x => x.House == h && Week(h, x.T) == ww)}");
        }
    }
    if (detail)
        foreach (var x in all.Where(x => x.D > 2.5))
            perHouse.Add($"    collapse {name[..Math.Min(name.Length, 12)]} {x.House.Name} at {Local(x.T)} (day {(x.T - x.House.WindowStartMs) / (double)DayMs:F1}): {x.D:F2} h; last activity {(x.T - LastActivityBefore(x.House.Events, x.T)) / 60000} min before, last door {(x.T - LastDoorBefore(x.House.Events, x.T)) / 60000} min before");
}
Console.WriteLine();
Console.WriteLine($"{"detector",-42} {"protocol",-11} {"FA/day",7} {"FA/resident-days",15} {"mean",8} {"daytime",8} {"≤12 h",7} collapses");
foreach (var line in summary) Console.WriteLine(line);
Console.WriteLine();
Console.WriteLine("per home and week of history:");
foreach (var line in weekly) Console.WriteLine(line);
Console.WriteLine();
foreach (var line in perHouse) Console.WriteLine(line);
Console.WriteLine();
Console.WriteLine("day one: false alarms from day 1 and collapses from day 1 (warm-up one day); after week: from day 7 (warm-up 7 days).");
Console.WriteLine("false alarms: inactivity alarms raised on the unmodified recordings, per resident-day;");
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
        case "upByLatestMinute": c.UpByLatestMinute = value; break;
        case "upByMarginMinutes": c.UpByMarginMinutes = value; break;
        case "awayLimitMinutes": c.AwayLimitMinutes = value; break;
        default: throw new ArgumentException($"--set: unknown inactivity setting \"{key}\" (floorMinutes, ceilingMinutes, sensitivity, promptMinutes, awayConfirmMinutes, upByLatestMinute (-1 = off), upByMarginMinutes, awayLimitMinutes (0 = off))");
    }
}

static string Local(long t) => DateTimeOffset.FromUnixTimeMilliseconds(t).UtcDateTime.ToString("ddd MM-dd HH:mm");

static long LastActivityBefore(IReadOnlyList<ActivityEvent> events, long t) =>
    events.Where(e => e.TimeMs <= t && (e.Active || e.Kind is "door" or "bed" or "chair")).Select(e => e.TimeMs).DefaultIfEmpty(long.MinValue).Last();

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
