using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Simulator;
using PingAnTong.Edge.Simulator.Adapters;

// Exit codes: 0 done; 1 a runtime failure (broker unreachable, the stand-in centre's login refused, console port
// in use, the hub refused the centre's ack, a scenario expectation failed, a malformed replay line); 2 a mistake on the command line, named by its option; 130 Ctrl+C/SIGTERM.
// Every failure is one line on stderr, never a stack trace (PAT_SIM_DEBUG=1 adds it, for developers).
SimCli.Parsed parsed;
try
{
    parsed = SimCli.Parse(args);
    if (parsed.Options.Version)
    {
        Console.WriteLine(SimCli.VersionText);
        return 0;
    }
    if (parsed.Options.Help) return parsed.Result.Invoke();
    parsed.Options.CheckFiles();
}
catch (ArgumentException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 2;
}
var options = parsed.Options;

using var stopSignal = new StopSignal();
try
{
    switch (options.Mode)
    {
        case "run": return await Modes.RunInteractiveAsync(options, stopSignal.Token);
        case "replay": return Modes.RunReplay(options, stopSignal.Token);
        case "latency": return await LatencyBenchmark.RunAsync(options, options.Presses, stopSignal.Token);
        case "scenario": return Modes.RunScenarios(options, stopSignal.Token);
        default: return await Modes.RunDemoAsync(options, stopSignal.Token);
    }
}
catch (OperationCanceledException) when (stopSignal.Token.IsCancellationRequested)
{
    Console.Error.WriteLine("[sim] interrupted");
    return 130;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 2;
}
catch (Exception e)
{
    // A runtime failure: the broker, the network, the disk. One line that says what to do.
    Console.Error.WriteLine("error: " + RuntimeErrors.Describe(e, options));
    if (Environment.GetEnvironmentVariable("PAT_SIM_DEBUG") == "1") Console.Error.WriteLine(e);
    return 1;
}

internal static class Modes
{
    public static int RunScenarios(SimOptions o, CancellationToken stop)
    {
        if (o.ScenarioFiles.Count == 0) throw new ArgumentException("scenario needs at least one FILE (e.g. tools/scenarios/*.scenario)");
        foreach (var file in o.ScenarioFiles)
        {
            if (!File.Exists(file)) throw new ArgumentException($"scenario: file not found: {file}");
        }
        var config = SimulatedHub.LoadConfig(o.ConfigFile);
        bool ok = true;
        foreach (var file in o.ScenarioFiles)
        {
            if (!File.Exists(file)) throw new ArgumentException($"scenario file not found: {file}");
            ok &= PingAnTong.Edge.Simulator.Scenarios.ScenarioRunner.Run(file, config, Console.Out, stop);
        }
        return ok ? 0 : 1;
    }

    public static int RunReplay(SimOptions o, CancellationToken stop)
    {
        if (o.EventsFile == null) throw new ArgumentException("replay needs --events FILE.csv");
        if (!File.Exists(o.EventsFile)) throw new ArgumentException($"--events: file not found: {o.EventsFile}");
        using TextWriter output = o.OutFile != null ? new StreamWriter(o.OutFile) : new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        PingAnTong.Edge.Simulator.Replay.ReplayRunner.Run(o.EventsFile, o.ConfigFile, o.Until, output, stop);
        return 0;
    }

    /// <summary>Sets up the broker (embedded unless --broker), the centre and the hub; disposing it stops them cleanly.</summary>
    private static async Task<SimSession> StartAsync(SimOptions o, bool autoAck)
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
            config.Broker.InsecureForTesting = true; // a broker inside this process, on loopback
            Console.WriteLine($"[sim] embedded MQTT broker listening on {broker.Describe()}");
        }
        else
        {
            var (host, port, tls) = SimOptions.ParseBroker(o.Broker);
            config.Broker.Host = host;
            config.Broker.Port = port;
            config.Broker.Tls = tls;
            config.Broker.InsecureForTesting = !tls; // mqtt:// is a lab broker; the hub warns at every boot
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
        if (config.Broker.InsecureForTesting) broker_["insecureForTesting"] = true; else broker_.Remove("insecureForTesting");
        if (config.Broker.CaFile != null) broker_["caFile"] = config.Broker.CaFile;
        if (config.Broker.Username != null) broker_["username"] = config.Broker.Username;
        if (config.Broker.PasswordFile != null) broker_["passwordFile"] = config.Broker.PasswordFile;
        byte[] deployed = System.Text.Encoding.UTF8.GetBytes(document.ToJsonString());
        var session = new SimSession { Broker = broker };
        try
        {
            if (o.ConsolePort >= 0)
            {
                // Opened first so that a busy port fails before anything starts; until the hub exists a line gets "the hub is busy".
                session.Console = ConsoleServers.Start(o.ConsolePort, () => session.Hub?.Hub);
                Console.WriteLine($"[sim] hub console on tcp://127.0.0.1:{session.Console.Port} (pat console --port tcp://127.0.0.1:{session.Console.Port})");
            }
            var key = CentreKey.For(config, o.CommandKeyFile);
            var centreKey = o.CentreKeysFile != null ? CentreKey.FromKeysCsv(o.CentreKeysFile, config.HubId) : key;
            if (key == null) Console.WriteLine("[sim] the config names no security.commandKeyFile: the hub refuses every command");
            else if (centreKey == key) Console.WriteLine(key.FromDisk ? $"[sim] command key from {key.File}, shared by the hub and the centre"
                : $"[sim] command key: {key.Source}, shared by the hub ({key.File}, in memory) and the centre");
            else
            {
                Console.WriteLine($"[sim] the hub's command key: {key.Source} (as {key.File}); the centre's: {centreKey.Source}");
                if (!key.SameKeyAs(centreKey)) Console.WriteLine("[sim] WARNING: the hub and the centre hold different command keys: the hub will refuse the centre's commands (status 10)");
            }
            string centrePassword = null;
            if (o.CentrePasswordFile != null)
            {
                // Checked before anything started (SimOptions.CheckFiles); read here, never printed.
                if (!File.Exists(o.CentrePasswordFile)) throw new ArgumentException($"--centre-password-file: file not found: {o.CentrePasswordFile}");
                centrePassword = File.ReadAllText(o.CentrePasswordFile).Trim();
                if (centrePassword.Length == 0) throw new ArgumentException($"--centre-password-file: {o.CentrePasswordFile} is empty");
            }
            session.Centre = new BackendClient(Console.Out, centreKey) { AutoAck = autoAck };
            Console.WriteLine(o.CentreUsername != null ? $"[sim] the stand-in centre logs in as {o.CentreUsername}" : "[sim] the stand-in centre connects without an account");
            try
            {
                await session.Centre.ConnectAsync(config.Broker.Host, config.Broker.Port, config.TopicPrefix, config.Broker.Tls, config.Broker.CaFile, o.CentreUsername, centrePassword);
            }
            catch (Exception e) when (e is not CentreConnectException)
            {
                // The broker could not be reached (a refused login or subscription is a CentreConnectException, already one line).
                string where = o.Broker != null ? $"--broker {o.Broker}" : "the embedded broker";
                string hint = config.Broker.Tls ? "start the broker, check the address and port, and that --ca is the CA that signed the broker's certificate" : "start the broker, or check the address and port";
                string cause = e is OperationCanceledException || e.InnerException is OperationCanceledException ? "no answer within 10 s" : RuntimeErrors.Innermost(e);
                throw new SimRuntimeException($"{where}: cannot connect to the MQTT broker at {config.Broker.Host}:{config.Broker.Port} ({cause}); {hint}");
            }
            session.TemporaryData = o.DataFolder == null;
            session.DataFolder = o.DataFolder ?? Path.Combine(Path.GetTempPath(), "pat-sim-" + Guid.NewGuid().ToString("N")[..8]);
            Console.WriteLine($"[sim] hub {config.HubId}, storage in {session.DataFolder}" + (session.TemporaryData ? " (temporary: removed at the end; --data DIR keeps it)" : ""));
            session.Hub = new SimulatedHub(config, session.DataFolder, Console.Out, o.CaFile, deployed, CentreKey.SecretFilesFor(key));
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    public static async Task<int> RunDemoAsync(SimOptions o, CancellationToken stop)
    {
        await using var session = await StartAsync(o, autoAck: true);
        var hub = session.Hub;
        var helpComing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Indicator.Changed += i => { if (i == Indication.HelpComing) helpComing.TrySetResult(); };
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.LinkChanged += h => { if (h.Link.State == PingAnTong.Edge.Core.Net.ConnectionManager.Connected) connected.TrySetResult(); };
        if (hub.Hub.Link.State == PingAnTong.Edge.Core.Net.ConnectionManager.Connected) connected.TrySetResult();
        try
        {
            await connected.Task.WaitAsync(TimeSpan.FromSeconds(10), stop);
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine("[sim] the hub could not connect: " + hub.Hub.Link.LastError);
            return 1;
        }
        // The hub's reply to the centre's ack, as the centre receives it through the broker: (status, reason).
        var ackReply = new TaskCompletionSource<(string Status, string Reason)>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Centre.Received += (topic, payload) =>
        {
            if (!topic.EndsWith("/reply")) return;
            using var reply = System.Text.Json.JsonDocument.Parse(payload);
            var r = reply.RootElement;
            if (r.TryGetProperty("commandId", out var id) && id.ValueKind == System.Text.Json.JsonValueKind.String && id.GetString().StartsWith("centre-")
                && r.TryGetProperty("cmd", out var cmd) && cmd.ValueKind == System.Text.Json.JsonValueKind.String && cmd.GetString() == "ack" && r.TryGetProperty("status", out var status))
                ackReply.TrySetResult((status.ToString(), r.TryGetProperty("reason", out var reason) ? reason.ToString() : ""));
        };
        await Task.Delay(500, stop);
        Console.WriteLine("[sim] pressing SOS");
        hub.Press("sos", 300);
        (string Status, string Reason) ack;
        try
        {
            ack = await ackReply.Task.WaitAsync(TimeSpan.FromSeconds(15), stop);
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine("[sim] the alarm was not acknowledged within 15 s: no reply to the centre's ack reached the centre");
            return 1;
        }
        if (ack.Status != "0")
        {
            Console.Error.WriteLine($"[sim] the hub refused the centre's ack: status {ack.Status}, {ack.Reason}");
            return 1;
        }
        try
        {
            await helpComing.Task.WaitAsync(TimeSpan.FromSeconds(5), stop); // set before the reply was published
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine("[sim] the hub accepted the ack but does not show \"help is coming\"");
            return 1;
        }
        Console.WriteLine("[sim] the centre acknowledged the SOS: the hub shows \"help is coming\" and its reply (status 0) reached the centre. Demo done.");
        return 0;
    }

    private const string InteractiveHelp = """
        commands:
          press ID [ms]          press and release a button (sos, ok); hold ms (ok >= 2000 is a long press)
          on ID | off ID         drive an input active / to rest (door, pir, smoke, mains, battery)
          set SENSOR VALUE       gas in ppm, temperature in 0.1 degC (e.g. set temp 385)
          fault SENSOR KIND      inject a sensor fault: no_answer, stuck, noise, crc, none
          ack | close            the centre acknowledges / closes the newest open alarm
          cmd JSON               send a raw command to the hub (e.g. cmd {"id":"1","cmd":"heartbeat","minutes":1})
          link down              cut the network: no DISCONNECT (the broker publishes lost), connects fail,
                                 nothing is sent (alarms wait in the outbox); stays cut across reboots
          link up                restore it: the hub reconnects at its next attempt (backoff 5 s doubling
                                 to 5 min, +-20 %) and sends what waited
          reboot                 restart the hub from its storage (clean disconnect, uptime from zero,
                                 boot count +1, open alarms restored); the backend's reboot command does
                                 the same once its reply is delivered
          power                  cut the hub's power (abrupt stop; the broker publishes lost) and boot it again
          status                 show link, outbox, indication, uptime and boot count
          hub COMMAND            the hub's technician console (hub help, hub status, hub events 20, ...)
          quit                   stop cleanly: retained status offline, DISCONNECT, temporary storage removed
                                 (also Ctrl+C, SIGTERM or end of input)
        """;

    public static async Task<int> RunInteractiveAsync(SimOptions o, CancellationToken stop)
    {
        await using var session = await StartAsync(o, autoAck: false);
        var hub = session.Hub;
        var centre = session.Centre;
        Console.WriteLine(InteractiveHelp);
        var stdout = new TextConsoleOutput(Console.Out);
        var input = StdinLines();
        while (true)
        {
            string line;
            try
            {
                line = await input.ReadAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return 0; // Ctrl+C or SIGTERM: the same clean stop as quit
            }
            catch (System.Threading.Channels.ChannelClosedException)
            {
                return 0; // end of input
            }
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
                        if (Arg(parts, 1) == "down") { hub.LinkDown(); Console.WriteLine("[sim] link cut; connects fail until 'link up'"); }
                        else if (Arg(parts, 1) == "up")
                        {
                            hub.LinkUp();
                            var link = hub.Hub.Link;
                            string when = link.State == PingAnTong.Edge.Core.Net.ConnectionManager.Disconnected
                                ? $" in {Math.Max(0, link.NextAttemptMs - hub.Hub.Clock.UptimeMs) / 1000.0:0.0} s" : "";
                            Console.WriteLine($"[sim] link restored; the hub reconnects at its next attempt{when}");
                        }
                        else throw new ArgumentException("expected 'link down' or 'link up'");
                        break;
                    case "reboot":
                        Console.WriteLine("[sim] rebooting the hub (clean disconnect; waiting messages stay stored)");
                        hub.Reboot();
                        break;
                    case "power":
                        Console.WriteLine("[sim] power cut; booting again from " + hub.Store.Folder);
                        hub.PowerCycle();
                        break;
                    case "hub":
                        if (!hub.Hub.PostConsoleLine(line.Trim()[3..].Trim(), stdout) || !stdout.WaitDone(5000)) Console.WriteLine("error: the hub did not answer");
                        break;
                    case "status":
                        var h = hub.Hub;
                        Console.WriteLine($"link {PingAnTong.Edge.Core.Net.ConnectionManager.StateName(h.Link.State)}{(hub.IsLinkCut ? " (cut: link up restores it)" : "")}, outbox {h.Outbox.Count} ({h.Outbox.CountPending()} pending), indication {Indication.Name(hub.Indicator.Current)}, open alarms {h.Alarms.ActiveCount}, uptime {h.Clock.UptimeMs / 1000} s, boot {h.Counters.BootCount}");
                        break;
                    default: Console.WriteLine($"unknown command \"{parts[0]}\" (type help)"); break;
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                Console.WriteLine("error: " + e.Message);
            }
        }
    }

    /// <summary>Standard input as lines, read on a background thread so a stop signal need not wait for the next line; completes at end of input.</summary>
    private static System.Threading.Channels.ChannelReader<string> StdinLines()
    {
        var channel = System.Threading.Channels.Channel.CreateUnbounded<string>();
        var reader = new Thread(() =>
        {
            string line;
            while ((line = Console.ReadLine()) != null) channel.Writer.TryWrite(line);
            channel.Writer.TryComplete();
        }) { IsBackground = true, Name = "stdin" };
        reader.Start();
        return channel.Reader;
    }

    private static string Arg(string[] parts, int i) =>
        i < parts.Length ? parts[i] : throw new ArgumentException($"\"{parts[0]}\" needs more arguments (type help)");
}

/// <summary>What a demo or run session started; disposing stops the hub cleanly (retained offline,
/// DISCONNECT), then the centre and the embedded broker, and removes the temporary storage folder.</summary>
internal sealed class SimSession : IAsyncDisposable
{
    public EmbeddedBroker Broker;
    public BackendClient Centre;
    public SimulatedHub Hub;
    public string DataFolder;
    public bool TemporaryData;

    public ConsoleServer Console;

    public async ValueTask DisposeAsync()
    {
        Console?.Dispose();
        Hub?.Stop(abrupt: false);
        if (Centre != null) await Centre.DisposeAsync();
        if (Broker != null) await Broker.DisposeAsync();
        if (TemporaryData && Directory.Exists(DataFolder))
        {
            try
            {
                Directory.Delete(DataFolder, true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                System.Console.Error.WriteLine($"[sim] could not remove {DataFolder}: {e.Message}");
            }
        }
    }
}

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM: the first asks the running mode to stop as quit does (the run and demo
/// modes stop the hub cleanly and remove their temporary folder); a second one ends the process at once.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<System.Runtime.InteropServices.PosixSignalRegistration> _registrations = new();
    private int _signals;

    public StopSignal()
    {
        foreach (var signal in new[] { System.Runtime.InteropServices.PosixSignal.SIGINT, System.Runtime.InteropServices.PosixSignal.SIGTERM })
        {
            try
            {
                _registrations.Add(System.Runtime.InteropServices.PosixSignalRegistration.Create(signal, OnSignal));
            }
            catch (PlatformNotSupportedException)
            {
                // not on this platform: the default handling stays
            }
        }
    }

    public CancellationToken Token => _stop.Token;

    private void OnSignal(System.Runtime.InteropServices.PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _signals) > 1) return; // the second one: default handling ends the process
        context.Cancel = true;
        Console.Error.WriteLine($"[sim] {context.Signal}: stopping (again to end at once)");
        _stop.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
    }
}

/// <summary>A runtime failure whose message already says what to do (exit code 1).</summary>
internal sealed class SimRuntimeException : Exception
{
    public SimRuntimeException(string message) : base(message) { }
}

internal static class RuntimeErrors
{
    /// <summary>One line for a runtime failure: the prepared message, or the innermost cause.</summary>
    public static string Describe(Exception e, SimOptions o) => e is SimRuntimeException or CentreConnectException ? e.Message : Innermost(e);

    public static string Innermost(Exception e)
    {
        while (e.InnerException != null) e = e.InnerException;
        return e is System.Net.Sockets.SocketException s ? $"{s.SocketErrorCode}: {s.Message}" : e.Message;
    }
}

internal static class ConsoleServers
{
    /// <summary>The technician console on 127.0.0.1:PORT; a port in use is one line that says what to do.</summary>
    public static ConsoleServer Start(int port, Func<PingAnTong.Edge.Core.Hub> hub)
    {
        try
        {
            return new ConsoleServer(port, hub);
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode is System.Net.Sockets.SocketError.AddressAlreadyInUse or System.Net.Sockets.SocketError.AccessDenied)
        {
            string why = e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse ? "is already in use on 127.0.0.1 (another simulator?)" : "may not be opened by this user (ports below 1024 need root)";
            throw new SimRuntimeException($"--console tcp:{port}: port {port} {why}; choose another port, or tcp:0 for any free one");
        }
    }
}
