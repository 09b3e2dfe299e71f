using System.Text;
using System.Text.Json.Nodes;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Simulator.Adapters;

namespace PingAnTong.Edge.Simulator.Replay;

/// <summary>
/// Runs the hub's full pipeline in virtual time driven by a recording: the file's local time is taken as
/// UTC (offset 0), every publish is acknowledged, the backend sends no commands. Writes one line per
/// published message: <c>{"topic": "...", "payload": {...}}</c>.
/// </summary>
public static class ReplayRunner
{
    private const long TickMs = 1000;
    private const long PressMs = 300;

    /// <param name="stop">Ends the run early (Ctrl+C) with <see cref="OperationCanceledException"/>; the storage folder is removed either way.</param>
    public static void Run(string eventsPath, string configPath, string until, TextWriter output, CancellationToken stop = default)
    {
        var events = ActivityCsv.Read(eventsPath);
        long untilMs = until == null ? long.MinValue : ActivityCsv.ParseTime(until, "--until");
        HubConfig config = configPath != null ? LoadConfig(configPath) : ConfigFor(events);
        foreach (var e in events)
        {
            if (config.FindInput(e.Sensor) == null)
                throw new FormatException($"{eventsPath}:{e.Line}: sensor \"{e.Sensor}\" is not an input of {configPath ?? "the generated config"}");
        }
        Run(events, config, untilMs, output, TickMs, stop: stop);
    }

    /// <summary>
    /// Replays <paramref name="events"/> (every sensor must be an input of <paramref name="config"/>) and
    /// then runs on to <paramref name="untilMs"/> (Unix ms, or long.MinValue); ticks every <paramref name="tickMs"/>.
    /// <paramref name="afterEvent"/>, when given, sees the hub after each replayed event (for diagnostics).
    /// </summary>
    public static void Run(IReadOnlyList<ActivityEvent> events, HubConfig config, long untilMs, TextWriter output, long tickMs, Action<Hub, ActivityEvent> afterEvent = null, CancellationToken stop = default)
    {
        config.UtcOffsetMinutes = 0;
        var inputIndex = new Dictionary<string, int>();
        for (int i = 0; i < config.Inputs.Length; i++) inputIndex[config.Inputs[i].Id] = i;

        long origin = events.Count > 0 ? events[0].TimeMs - 60_000 : (untilMs > long.MinValue ? untilMs : 0);
        var clock = new VirtualClock(origin);
        string folder = Directory.CreateTempSubdirectory("pat-replay-").FullName;
        try
        {
            var transport = new AckingTransport((topic, payload, length) =>
                output.WriteLine("{\"topic\": \"" + topic + "\", \"payload\": " + Encoding.UTF8.GetString(payload, 0, length) + "}"));
            var hub = new Hub(config, clock, new FolderDurableStore(folder, syncWrites: false), transport, new SimulatedSensorReader(), new CallbackIndicator(), new SimHostServices { ReportMemory = false });
            transport.Link = hub.LinkEvents;
            hub.Start();
            int mains = hub.FindInput(InputKind.Mains);
            if (mains >= 0) hub.PostPinEdge(mains, !config.Inputs[mains].ActiveLow, 0);
            hub.RunOnce();

            foreach (var e in events)
            {
                stop.ThrowIfCancellationRequested();
                long at = e.TimeMs - origin;
                RunUntil(hub, clock, at, tickMs);
                int index = inputIndex[e.Sensor];
                bool activeLow = config.Inputs[index].ActiveLow;
                if (e.State == "press")
                {
                    hub.PostPinEdge(index, !activeLow, at);
                    RunUntil(hub, clock, at + PressMs, 50);
                    hub.PostPinEdge(index, activeLow, clock.UptimeMs);
                }
                else
                {
                    hub.PostPinEdge(index, e.Active != activeLow, at);
                }
                hub.RunOnce();
                afterEvent?.Invoke(hub, e);
            }
            stop.ThrowIfCancellationRequested();
            if (untilMs > long.MinValue) RunUntil(hub, clock, untilMs - origin, tickMs);
            RunUntil(hub, clock, clock.UptimeMs + 2000, 100); // let the last debounce settle and sends complete
        }
        finally
        {
            try { Directory.Delete(folder, true); } catch (IOException) { }
        }
    }

    private static void RunUntil(Hub hub, VirtualClock clock, long targetMs, long stepMs = TickMs)
    {
        while (clock.UptimeMs < targetMs)
        {
            clock.AdvanceTo(Math.Min(clock.UptimeMs + stepMs, targetMs));
            hub.RunOnce();
        }
    }

    private static HubConfig LoadConfig(string path)
    {
        try
        {
            return ConfigParser.Parse(File.ReadAllBytes(path));
        }
        catch (ConfigException e)
        {
            throw new FormatException($"{path}: {e.Message}");
        }
    }

    /// <summary>The demo config with one input per sensor of the recording (pins assigned in order) plus an SOS button.</summary>
    public static HubConfig ConfigFor(IReadOnlyList<ActivityEvent> events)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "demo-config.json")))!.AsObject();
        var inputs = new JsonArray();
        var seen = new HashSet<string>();
        int pin = 0;
        // The next pin in order, past the SPI flash's GPIO6-11, which the hub's validator refuses on every ESP32 board.
        int NextPin()
        {
            pin++;
            if (pin >= 6 && pin <= 11) pin = 12;
            return pin;
        }
        foreach (var e in events)
        {
            if (!seen.Add(e.Sensor)) continue;
            string kind = e.Kind switch { "motion" => "motion", "door" => "door", "bed" => "bed", "chair" => "chair", "sos" => "sos", "ok" => "ok", _ => "contact" };
            inputs.Add(new JsonObject { ["id"] = e.Sensor, ["kind"] = kind, ["pin"] = NextPin(), ["activeLow"] = false });
        }
        if (!events.Any(e => e.Kind == "sos")) inputs.Add(new JsonObject { ["id"] = "sos", ["kind"] = "sos", ["pin"] = 0 });
        if (!events.Any(e => e.Kind == "ok") && !seen.Contains("ok")) inputs.Add(new JsonObject { ["id"] = "ok", ["kind"] = "ok", ["pin"] = NextPin() });
        root["inputs"] = inputs;
        root.Remove("indicators");
        return ConfigParser.Parse(Encoding.UTF8.GetBytes(root.ToJsonString()));
    }
}
