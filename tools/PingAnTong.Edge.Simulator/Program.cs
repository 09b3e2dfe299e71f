using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Simulator;
using PingAnTong.Edge.Simulator.Adapters;

SimOptions options;
try
{
    options = SimOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 2;
}
if (options.Help)
{
    Console.WriteLine(SimOptions.Usage);
    return 0;
}

try
{
    switch (options.Mode)
    {
        case "run": return await Modes.RunInteractiveAsync(options);
        case "replay": return Modes.RunReplay(options);
        case "latency": return await LatencyBenchmark.RunAsync(options, options.Presses);
        case "scenario": return Modes.RunScenarios(options);
        default: return await Modes.RunDemoAsync(options);
    }
}
catch (ArgumentException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 2;
}
catch (FormatException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 1;
}

internal static class Modes
{
    public static int RunScenarios(SimOptions o)
    {
        if (o.ScenarioFiles.Count == 0) throw new ArgumentException("scenario needs at least one FILE (e.g. tools/scenarios/*.scenario)");
        var config = SimulatedHub.LoadConfig(o.ConfigFile);
        bool ok = true;
        foreach (var file in o.ScenarioFiles)
        {
            if (!File.Exists(file)) throw new ArgumentException($"scenario file not found: {file}");
            ok &= PingAnTong.Edge.Simulator.Scenarios.ScenarioRunner.Run(file, config, Console.Out);
        }
        return ok ? 0 : 1;
    }

    public static int RunReplay(SimOptions o)
    {
        if (o.EventsFile == null) throw new ArgumentException("replay needs --events FILE.csv");
        if (!File.Exists(o.EventsFile)) throw new ArgumentException($"--events: file not found: {o.EventsFile}");
        using TextWriter output = o.OutFile != null ? new StreamWriter(o.OutFile) : new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        PingAnTong.Edge.Simulator.Replay.ReplayRunner.Run(o.EventsFile, o.ConfigFile, o.Until, output);
        return 0;
    }

    /// <summary>Sets up the broker (embedded unless --broker), the centre and the hub.</summary>
    private static async Task<(EmbeddedBroker broker, BackendClient centre, SimulatedHub hub)> StartAsync(SimOptions o, bool autoAck)
    {
        HubConfig config = SimulatedHub.LoadConfig(o.ConfigFile);
        var document = System.Text.Json.Nodes.JsonNode.Parse(SimulatedHub.ConfigBytes(o.ConfigFile))!.AsObject();
        EmbeddedBroker broker = null;
        if (o.Broker == null)
        {
            broker = await EmbeddedBroker.StartAsync(listen: o.Listen);
            config.Broker.Host = broker.ConnectHost;
            config.Broker.Port = broker.Port;
            config.Broker.Tls = false;
            Console.WriteLine($"[sim] embedded MQTT broker listening on {broker.Describe()}");
        }
        else
        {
            var (host, port, tls) = SimOptions.ParseBroker(o.Broker);
            config.Broker.Host = host;
            config.Broker.Port = port;
            config.Broker.Tls = tls;
            if (o.CaFile != null) config.Broker.CaFile = o.CaFile;
            if (tls && config.Broker.CaFile == null) throw new ArgumentException("--ca: required with mqtts://");
            if (o.Username != null) config.Broker.Username = o.Username;
            if (o.PasswordFile != null) config.Broker.PasswordFile = o.PasswordFile;
        }
        SimOptions.CheckPasswordTransport(config.Broker.Host, config.Broker.Tls, config.Broker.PasswordFile, o.PasswordFile != null ? "--password-file" : "--config (broker.passwordFile)");
        // The config as deployed: the file with the broker this run uses.
        var broker_ = document["broker"]!.AsObject();
        broker_["host"] = config.Broker.Host;
        broker_["port"] = config.Broker.Port;
        broker_["tls"] = config.Broker.Tls;
        if (config.Broker.CaFile != null) broker_["caFile"] = config.Broker.CaFile;
        if (config.Broker.Username != null) broker_["username"] = config.Broker.Username;
        if (config.Broker.PasswordFile != null) broker_["passwordFile"] = config.Broker.PasswordFile;
        byte[] deployed = System.Text.Encoding.UTF8.GetBytes(document.ToJsonString());
        var centre = new BackendClient(Console.Out) { AutoAck = autoAck };
        await centre.ConnectAsync(config.Broker.Host, config.Broker.Port, config.TopicPrefix);
        string data = o.DataFolder ?? Path.Combine(Path.GetTempPath(), "pat-sim-" + Guid.NewGuid().ToString("N")[..8]);
        Console.WriteLine($"[sim] hub {config.HubId}, storage in {data}");
        var hub = new SimulatedHub(config, data, Console.Out, o.CaFile, deployed);
        return (broker, centre, hub);
    }

    public static async Task<int> RunDemoAsync(SimOptions o)
    {
        var (broker, centre, hub) = await StartAsync(o, autoAck: true);
        try
        {
            var helpComing = new TaskCompletionSource();
            hub.Indicator.Changed += i => { if (i == Indication.HelpComing) helpComing.TrySetResult(); };
            if (!SpinWait.SpinUntil(() => hub.Hub.Link.State == PingAnTong.Edge.Core.Net.ConnectionManager.Connected, 10_000))
            {
                Console.Error.WriteLine("[sim] the hub could not connect: " + hub.Hub.Link.LastError);
                return 1;
            }
            await Task.Delay(500);
            Console.WriteLine("[sim] pressing SOS");
            hub.Press("sos", 300);
            var done = await Task.WhenAny(helpComing.Task, Task.Delay(15_000));
            if (done != helpComing.Task)
            {
                Console.Error.WriteLine("[sim] the alarm was not acknowledged within 15 s");
                return 1;
            }
            await Task.Delay(500);
            Console.WriteLine("[sim] the centre acknowledged the SOS: the hub shows \"help is coming\". Demo done.");
            return 0;
        }
        finally
        {
            hub.Stop(abrupt: false);
            await centre.DisposeAsync();
            if (broker != null) await broker.DisposeAsync();
        }
    }

    private const string InteractiveHelp = """
        commands:
          press ID [ms]          press and release a button (sos, ok); hold ms (ok >= 2000 is a long press)
          on ID | off ID         drive an input active / to rest (door, pir, smoke, mains, battery)
          set SENSOR VALUE       gas in ppm, temperature in 0.1 degC (e.g. set temp 385)
          fault SENSOR KIND      inject a sensor fault: no_answer, stuck, noise, crc, none
          ack | close            the centre acknowledges / closes the newest open alarm
          cmd JSON               send a raw command to the hub (e.g. cmd {"id":"1","cmd":"heartbeat","minutes":1})
          link down | link up    cut the MQTT connection / let it reconnect
          power                  cut the hub's power (abrupt stop; the broker publishes lost) and boot it again
          status                 show link, outbox and indication
          hub COMMAND            the hub's technician console (hub help, hub status, hub events 20, ...)
          quit
        """;

    public static async Task<int> RunInteractiveAsync(SimOptions o)
    {
        var (broker, centre, hub) = await StartAsync(o, autoAck: false);
        Console.WriteLine(InteractiveHelp);
        using var console = o.ConsolePort >= 0 ? new ConsoleServer(o.ConsolePort, () => hub.Hub) : null;
        if (console != null) Console.WriteLine($"[sim] hub console on tcp://127.0.0.1:{console.Port} (pat console --port tcp://127.0.0.1:{console.Port})");
        var stdout = new TextConsoleOutput(Console.Out);
        try
        {
            string line;
            while ((line = Console.ReadLine()) != null)
            {
                var parts = line.Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 0) continue;
                try
                {
                    switch (parts[0])
                    {
                        case "quit": case "exit": return 0;
                        case "help": Console.WriteLine(InteractiveHelp); break;
                        case "press": hub.Press(Arg(parts, 1), parts.Length > 2 ? int.Parse(parts[2]) : 300); break;
                        case "on": hub.SetInput(Arg(parts, 1), true); break;
                        case "off": hub.SetInput(Arg(parts, 1), false); break;
                        case "set": hub.Sensors.Set(Arg(parts, 1), int.Parse(Arg(parts, 2))); break;
                        case "fault": hub.Sensors.Inject(Arg(parts, 1), Arg(parts, 2)); break;
                        case "ack":
                        case "close":
                            var open = hub.Hub.Alarms.NewestOpen() ?? throw new ArgumentException("no open alarm");
                            await centre.SendAsync(hub.Hub.Topics.For(PingAnTong.Edge.Core.Events.Channel.Command), $$"""{"id":"cli-{{Environment.TickCount}}","cmd":"{{parts[0]}}","alarmId":"{{open.Id}}"}""");
                            break;
                        case "cmd":
                            await centre.SendAsync(hub.Hub.Topics.For(PingAnTong.Edge.Core.Events.Channel.Command), line.Trim()[4..]);
                            break;
                        case "link":
                            if (Arg(parts, 1) == "down") { hub.Transport.Block(); Console.WriteLine("[sim] link cut; connects fail until 'link up'"); }
                            else if (Arg(parts, 1) == "up") { hub.Transport.Unblock(); Console.WriteLine("[sim] link restored; the hub reconnects after its backoff"); }
                            else throw new ArgumentException("expected 'link down' or 'link up'");
                            break;
                        case "power":
                            string folder = hub.Store.Folder;
                            hub.Stop(abrupt: true);
                            Console.WriteLine("[sim] power cut; booting again from " + folder);
                            hub = new SimulatedHub(hub.Config, folder, Console.Out, o.CaFile);
                            break;
                        case "hub":
                            if (!hub.Hub.PostConsoleLine(line.Trim()[3..].Trim(), stdout) || !stdout.WaitDone(5000)) Console.WriteLine("error: the hub did not answer");
                            break;
                        case "status":
                            Console.WriteLine($"link {PingAnTong.Edge.Core.Net.ConnectionManager.StateName(hub.Hub.Link.State)}, outbox {hub.Hub.Outbox.Count} ({hub.Hub.Outbox.CountPending()} pending), indication {Indication.Name(hub.Indicator.Current)}, open alarms {hub.Hub.Alarms.ActiveCount}");
                            break;
                        default: Console.WriteLine($"unknown command \"{parts[0]}\" (type help)"); break;
                    }
                }
                catch (Exception e) when (e is ArgumentException or FormatException)
                {
                    Console.WriteLine("error: " + e.Message);
                }
            }
            return 0;
        }
        finally
        {
            hub.Stop(abrupt: false);
            await centre.DisposeAsync();
            if (broker != null) await broker.DisposeAsync();
        }
    }

    private static string Arg(string[] parts, int i) =>
        i < parts.Length ? parts[i] : throw new ArgumentException($"\"{parts[0]}\" needs more arguments (type help)");
}
