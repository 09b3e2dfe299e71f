using System.Text.Json;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Simulator.Adapters;

namespace PingAnTong.Edge.Simulator.Scenarios;

/// <summary>
/// Runs a scenario in virtual time, as fast as the machine allows: the demo hub with an in-process
/// broker that acknowledges every publish while the link is up. Prints one report line per step;
/// returns false when an expectation failed.
/// </summary>
public sealed class ScenarioRunner
{
    private static readonly long StartUtcMs = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly HubConfig _config;
    private readonly string _folder = Directory.CreateTempSubdirectory("pat-scenario-").FullName;
    private readonly SimulatedSensorReader _sensors = new();
    private VirtualClock _clock;
    private VirtualBroker _broker;
    private Hub _hub;
    private int _indication;
    private readonly List<(long TimeMs, int Indication)> _shown = new();
    private readonly List<(long TimeMs, string Input)> _releases = new();
    private long _offsetMs; // scenario time = offset + hub uptime (uptime restarts at a power cut)

    private readonly CancellationToken _stop;
    private SimHostServices _host;

    private ScenarioRunner(HubConfig config, CancellationToken stop)
    {
        _config = config;
        _stop = stop;
        _key = CentreKey.For(config);
    }

    /// <summary>The command key the scenario's centre signs with (the hub has it as its config's key file).</summary>
    private readonly CentreKey _key;

    private long Now => _offsetMs + _clock.UptimeMs;

    /// <param name="stop">Ends the run early (Ctrl+C) with <see cref="OperationCanceledException"/>; the storage folder is removed either way.</param>
    public static bool Run(string path, HubConfig config, TextWriter report, CancellationToken stop = default)
    {
        var steps = ScenarioParser.Parse(path);
        var runner = new ScenarioRunner(config, stop);
        try
        {
            return runner.Execute(path, steps, report);
        }
        finally
        {
            try { Directory.Delete(runner._folder, true); } catch (IOException) { }
        }
    }

    private void Boot(string resetReason = "power_on")
    {
        _clock = new VirtualClock(StartUtcMs + _offsetMs);
        var published = _broker?.Published;
        bool linkUp = _broker?.LinkUp ?? true;
        _broker = new VirtualBroker(() => Now);
        if (published != null) _broker.Published.AddRange(published);
        _broker.SetLink(linkUp); // a cut link stays cut across a power cut or a reboot
        var indicator = new CallbackIndicator(i => { _indication = i; _shown.Add((Now, i)); });
        _host = new SimHostServices { ReportMemory = false, ResetReason = resetReason, SecretFiles = CentreKey.SecretFilesFor(_key) };
        _hub = new Hub(_config, _clock, new FolderDurableStore(_folder), _broker, _sensors, indicator, _host);
        _broker.Link = _hub.LinkEvents;
        _hub.Start();
        int mains = _hub.FindInput(InputKind.Mains);
        if (mains >= 0) _hub.PostPinEdge(mains, !_config.Inputs[mains].ActiveLow, 0);
        _hub.RunOnce();
    }

    /// <summary>A backend command as the centre sends it: stamped with the scenario's wall time and signed (when the config names a key).</summary>
    private string Signed(string json) => _key == null ? json : _key.Sign(_hub.Config.HubId, json, _clock.UtcMs);

    private bool Execute(string path, List<ScenarioStep> steps, TextWriter report)
    {
        Boot();
        bool ok = true;
        foreach (var step in steps)
        {
            RunUntil(step.AtMs, 100);
            if (step.Verb != "expect")
            {
                Act(step, path);
                report.WriteLine($"     {Clock(Now)}  line {step.Line}: {step.Text}");
                continue;
            }
            string failure = Expect(step, out long tookMs);
            if (failure == null)
            {
                report.WriteLine($"ok   {Clock(Now)}  line {step.Line}: {step.Text} (after {tookMs / 1000.0:0.###} s)");
            }
            else
            {
                ok = false;
                report.WriteLine($"FAIL {Clock(Now)}  line {step.Line}: {step.Text}: {failure}");
            }
        }
        report.WriteLine(ok ? $"PASS {path}" : $"FAILED {path}");
        return ok;
    }

    private void RunUntil(long scenarioMs, long stepMs)
    {
        while (Now < scenarioMs)
        {
            _stop.ThrowIfCancellationRequested();
            _clock.AdvanceTo(Math.Min(_clock.UptimeMs + stepMs, scenarioMs - _offsetMs));
            foreach (var r in _releases.Where(r => r.TimeMs <= Now).ToList())
            {
                _releases.Remove(r);
                SetInput(r.Input, false, "release", 0);
            }
            _hub.RunOnce();
            RebootIfAsked();
        }
    }

    /// <summary>The hub asked its host for a reboot (command reboot, a config that rewires pins): boot again from the storage folder.</summary>
    private void RebootIfAsked()
    {
        if (!_host.RebootRequested) return;
        _offsetMs = Now;
        Boot("software");
    }

    private void Act(ScenarioStep s, string path)
    {
        string Arg(int i) => i < s.Args.Length ? s.Args[i] : throw new FormatException($"{path}:{s.Line}: \"{s.Verb}\" needs more arguments");
        switch (s.Verb)
        {
            case "press":
                SetInput(Arg(0), true, path, s.Line);
                _releases.Add((Now + (s.Args.Length > 1 ? ScenarioParser.Duration(s.Args[1], $"{path}:{s.Line}") : 300), Arg(0)));
                break;
            case "on": SetInput(Arg(0), true, path, s.Line); break;
            case "off": SetInput(Arg(0), false, path, s.Line); break;
            case "set": _sensors.Set(Arg(0), int.Parse(Arg(1))); break;
            case "fault": _sensors.Inject(Arg(0), Arg(1)); break;
            case "link": _broker.SetLink(Arg(0) == "up"); break;
            case "power":
                _offsetMs = Now;
                Boot();
                break;
            case "backend":
                string cmdTopic = _hub.Topics.For(Channel.Command);
                if (Arg(0) == "cmd")
                {
                    _broker.SendCommand(cmdTopic, Signed(string.Join(' ', s.Args[1..])));
                    break;
                }
                var alarm = _hub.Alarms.Alarms.Cast<Alarm>().LastOrDefault(a => !a.Closed && a.Kind == Arg(1))
                    ?? throw new FormatException($"{path}:{s.Line}: no open {Arg(1)} alarm to {Arg(0)}");
                _broker.SendCommand(cmdTopic, Signed($$"""{"id":"scenario-{{s.Line}}","cmd":"{{Arg(0)}}","alarmId":"{{alarm.Id}}"}"""));
                break;
            case "wait": break;
        }
        _hub.RunOnce();
        RebootIfAsked();
    }

    private void SetInput(string id, bool active, string path, int line)
    {
        for (int i = 0; i < _hub.Inputs.Length; i++)
        {
            var c = _hub.Inputs[i].Config;
            if (c.Id == id)
            {
                _hub.PostPinEdge(i, active != c.ActiveLow, _clock.UptimeMs);
                return;
            }
        }
        throw new FormatException($"{path}:{line}: no input \"{id}\"");
    }

    private string Expect(ScenarioStep s, out long tookMs)
    {
        long from = s.AtMs, deadline = s.AtMs + s.WithinMs;
        bool negative = s.Args[0] == "no";
        var what = negative ? s.Args[1..] : s.Args;
        tookMs = 0;
        while (true)
        {
            bool seen = Seen(what, from);
            if (seen && !negative)
            {
                tookMs = Now - from;
                return null;
            }
            if (seen) return "it happened: " + Describe(what, from);
            if (Now >= deadline) return negative ? null : "did not happen; " + Describe(what, from);
            RunUntil(Math.Min(deadline, Now + (Now - from < 2000 ? 10 : 1000)), 10);
            if (Now == deadline && !negative && Seen(what, from)) { tookMs = Now - from; return null; }
        }
    }

    private bool Seen(string[] what, long from)
    {
        switch (what[0])
        {
            case "indication":
                // Shown at any moment of the window (a state can pass within one loop pass), or still shown.
                return Indication.Name(_indication) == what[1] || _shown.Any(x => x.TimeMs >= from && Indication.Name(x.Indication) == what[1]);
            case "published": return _broker.Published.Any(p => p.TimeMs >= from && p.Topic.EndsWith("/" + what[1]));
            default: return Events(from).Any(e => Matches(e, what));
        }
    }

    private static bool Matches(JsonElement e, string[] what)
    {
        string cls = e.GetProperty("class").GetString();
        if (what[0] == "alarm" && cls != "alarm" && cls != "test") return false;
        if (what.Length > 1 && e.GetProperty("kind").GetString() != what[1]) return false;
        if (what.Length > 2 && e.GetProperty("state").GetString() != what[2]) return false;
        if (what.Length > 3 && what[3] == "historical" && !e.GetProperty("historical").GetBoolean()) return false;
        return true;
    }

    private IEnumerable<JsonElement> Events(long from) =>
        _broker.Published.Where(p => p.TimeMs >= from && p.Topic.EndsWith("/event")).Select(p => JsonDocument.Parse(p.Payload).RootElement);

    private string Describe(string[] what, long from)
    {
        if (what[0] == "indication") return $"indication is {Indication.Name(_indication)}";
        var recent = _broker.Published.Where(p => p.TimeMs >= from).Select(p => p.Topic[(p.Topic.LastIndexOf('/') + 1)..] + " " + Summary(p.Payload)).Take(8).ToList();
        return recent.Count == 0 ? "nothing was published" : "published: " + string.Join("; ", recent);
    }

    private static string Summary(string payload)
    {
        var e = JsonDocument.Parse(payload).RootElement;
        string Get(string n) => e.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return string.Join(" ", new[] { Get("kind"), Get("state"), Get("class"), Get("cmd"), Get("reason") }.Where(x => x != null));
    }

    private static string Clock(long ms) => TimeSpan.FromMilliseconds(ms).ToString(@"hh\:mm\:ss\.fff");
}
