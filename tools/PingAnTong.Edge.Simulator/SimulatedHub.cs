using System.Text;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Core.Telemetry;
using PingAnTong.Edge.Simulator.Adapters;

namespace PingAnTong.Edge.Simulator;

/// <summary>
/// The second host of the core: the same Hub as on the ESP32, wired to virtual pins, simulated
/// sensors, a storage folder and MQTTnet, with one loop thread that owns the hub.
/// The device outlives its boots: a reboot (the hub's <see cref="IHostServices.Reboot"/>, or
/// <see cref="Reboot"/>) or a power cycle (<see cref="PowerCycle"/>) builds a new <see cref="Hub"/> on the
/// same storage folder, with uptime from zero, while the inputs' levels, the sensors' values, the
/// indicator and a cut link stay as they were, as they would on the bench.
/// </summary>
public sealed class SimulatedHub : IDisposable
{
    /// <summary>How long a clean stop waits for the broker (offline acknowledged, DISCONNECT done).</summary>
    public const int CloseTimeoutMs = 5000;

    private readonly TextWriter _log;
    private readonly string _caFile;
    private readonly IReadOnlyDictionary<string, byte[]> _secretFiles;
    private readonly Dictionary<string, bool> _levels = new(); // input id -> active, as wired on the bench
    private readonly object _lifecycle = new();
    private Thread _loop;
    private volatile bool _running;
    private volatile bool _rebootAsked;
    private volatile bool _stopped;
    private volatile bool _linkCut;
    private volatile Hub _hub;
    private volatile MqttNetTransport _transport;
    private volatile SimHostServices _host;
    private int _lastLinkState;
    private int _lastGeneration;

    /// <param name="deployConfigJson">When given, stored as the hub's config before it starts, as nanoff's file deployment does on the device (the console can then edit it).</param>
    /// <param name="secretFiles">Secret files deployed with the hub and held in memory (the command key: <see cref="CentreKey.SecretFilesFor"/>).</param>
    public SimulatedHub(HubConfig config, string dataFolder, TextWriter log, string caFile = null, byte[] deployConfigJson = null, IReadOnlyDictionary<string, byte[]> secretFiles = null)
    {
        Config = config;
        _secretFiles = secretFiles ?? new Dictionary<string, byte[]>();
        _log = log;
        _caFile = caFile;
        Sensors = new SimulatedSensorReader();
        Indicator = new ConsoleIndicator(log);
        Store = new FolderDurableStore(dataFolder);
        Boot(PingAnTong.Edge.Core.Device.BootHistory.ReasonPowerOn, deployConfigJson);
        StartLoop();
    }

    public HubConfig Config { get; }
    /// <summary>The hub of the current boot (a new one after each reboot or power cycle).</summary>
    public Hub Hub => _hub;
    public SimulatedSensorReader Sensors { get; }
    public ConsoleIndicator Indicator { get; }
    public SimHostServices Host => _host;
    public FolderDurableStore Store { get; }
    /// <summary>The transport of the current boot.</summary>
    public MqttNetTransport Transport => _transport;

    /// <summary>Boots since this simulator started (1 after the first).</summary>
    public int Boots { get; private set; }

    /// <summary>Raised on the hub loop after a reboot has brought up the new hub (<see cref="Hub"/> is the new one).</summary>
    public event Action Rebooted;

    /// <summary>
    /// Raised on the hub loop whenever the link's state or attempt changes (connecting, connected, a
    /// connect failed, the link was lost), with the hub it belongs to; read its <see cref="Hub.Link"/> there.
    /// </summary>
    public event Action<Hub> LinkChanged;

    /// <summary>Builds and starts a hub on the storage folder; the loop is not running.</summary>
    private void Boot(string resetReason, byte[] deployConfigJson = null)
    {
        var host = new SimHostServices { ResetReason = resetReason, SecretFiles = _secretFiles };
        var transportHolder = new DeferredTransport();
        var hub = new Hub(Config, new SystemClock(), Store, transportHolder, Sensors, Indicator, host);
        var transport = new MqttNetTransport(hub.LinkEvents, _log) { CaFile = _caFile };
        if (_linkCut) transport.Block();
        transportHolder.Inner = transport;
        if (deployConfigJson != null && !hub.ImportConfigFile(deployConfigJson, "--config"))
            throw new ArgumentException(hub.ConfigProblem);
        hub.FieldConsole = new PingAnTong.Edge.Core.Field.ConsoleInterpreter(hub, new SimConsoleHost());
        hub.Start();
        lock (_levels)
        {
            for (int i = 0; i < hub.Inputs.Length; i++)
            {
                var input = hub.Inputs[i].Config;
                // Until driven: mains present, everything else at rest.
                if (!_levels.TryGetValue(input.Id, out bool active)) active = input.Kind == InputKind.Mains;
                hub.PostPinEdge(i, active != input.ActiveLow, hub.Clock.UptimeMs);
            }
        }
        _host = host;
        _transport = transport;
        _lastLinkState = hub.Link.State;
        _lastGeneration = hub.Link.Generation;
        _hub = hub;
        Boots++;
    }

    private void StartLoop()
    {
        _running = true;
        _loop = new Thread(Loop) { IsBackground = true, Name = "hub-loop" };
        _loop.Start();
    }

    private void StopLoop()
    {
        _running = false;
        if (_loop != Thread.CurrentThread) _loop.Join();
    }

    private void Loop()
    {
        while (_running)
        {
            Hub hub = _hub;
            hub.RunOnce();
            ReportLink(hub);
            if (_host.RebootRequested || _rebootAsked)
            {
                RebootNow();
                continue;
            }
            hub.Queue.Signal.WaitOne(hub.MillisUntilNextWork(20));
        }
    }

    private void ReportLink(Hub hub)
    {
        var link = hub.Link;
        if (link.State == _lastLinkState && link.Generation == _lastGeneration) return;
        int was = _lastLinkState;
        _lastLinkState = link.State;
        _lastGeneration = link.Generation;
        long now = hub.Clock.UptimeMs;
        if (link.State == ConnectionManager.Connected)
        {
            _log.WriteLine($"[link] connected (session {hub.Counters.SessionCount})");
        }
        else if (link.State == ConnectionManager.Disconnected && was != ConnectionManager.Disconnected)
        {
            string what = was == ConnectionManager.Connected ? "lost" : "connect failed";
            _log.WriteLine($"[link] {what}: {link.LastError}; next attempt in {Math.Max(0, link.NextAttemptMs - now) / 1000.0:0.0} s");
        }
        LinkChanged?.Invoke(hub);
    }

    /// <summary>
    /// On the hub loop: the hub asked for a reboot (backend or console command, config that rewires pins)
    /// and has delivered its reply, or <see cref="Reboot"/> was called. Disconnects cleanly (no will) and
    /// boots a new hub from the same storage.
    /// </summary>
    /// <remarks>No lock: while the loop runs, boots are its business; the host's <see cref="Stop"/> and
    /// <see cref="PowerCycle"/> first stop the loop (and wait for a reboot under way to finish).</remarks>
    private void RebootNow()
    {
        _rebootAsked = false;
        if (!_running) return; // stopping: the host's stop takes over
        _transport.Close(null, null, CloseTimeoutMs);
        _log.WriteLine("[sim] hub rebooting from " + Store.Folder);
        try
        {
            Boot(PingAnTong.Edge.Core.Device.BootHistory.ReasonSoftware);
        }
        catch (Exception e)
        {
            _log.WriteLine("[sim] the hub did not boot again: " + e.Message);
            _running = false;
            return;
        }
        Rebooted?.Invoke();
    }

    /// <summary>
    /// Thread-safe: a software reset, as the hub's own reboot does without waiting for its messages
    /// (they stay stored): a clean disconnect, then a new hub from the storage folder. Done by the hub
    /// loop at its next pass (within 20 ms); <see cref="Rebooted"/> tells when.
    /// </summary>
    public void Reboot() => _rebootAsked = true;

    /// <summary>
    /// Cuts the power and switches it on again: the broker sees a dropped connection (it publishes the
    /// will) and a new hub boots from the storage folder. Call from the host, not the hub loop.
    /// </summary>
    public void PowerCycle()
    {
        lock (_lifecycle)
        {
            if (_stopped) throw new InvalidOperationException("the simulated hub was stopped");
            StopLoop();
            _transport.Sever();
            Boot(PingAnTong.Edge.Core.Device.BootHistory.ReasonPowerOn);
            StartLoop();
        }
    }

    /// <summary>"link down": the network goes away (no DISCONNECT: the broker publishes the will); connects fail until <see cref="LinkUp"/>, across reboots.</summary>
    public void LinkDown()
    {
        _linkCut = true;
        _transport.Block();
    }

    /// <summary>"link up": the network is back; the hub reconnects at its next attempt (after its backoff).</summary>
    public void LinkUp()
    {
        _linkCut = false;
        _transport.Unblock();
    }

    /// <summary>True between <see cref="LinkDown"/> and <see cref="LinkUp"/>.</summary>
    public bool IsLinkCut => _linkCut;

    /// <summary>Drives input <paramref name="id"/> to its active or resting level, as a GPIO edge; the level stays across reboots.</summary>
    public void SetInput(string id, bool active)
    {
        Hub hub = _hub;
        for (int i = 0; i < hub.Inputs.Length; i++)
        {
            var c = hub.Inputs[i].Config;
            if (c.Id != id) continue;
            lock (_levels) _levels[id] = active;
            hub.PostPinEdge(i, active != c.ActiveLow, hub.Clock.UptimeMs);
            return;
        }
        throw new ArgumentException($"no input \"{id}\" (inputs: {string.Join(", ", hub.Inputs.Select(x => x.Config.Id))})");
    }

    public void Press(string id, int holdMs)
    {
        SetInput(id, true);
        Thread.Sleep(holdMs); // real time: this is the interactive host, not a test
        SetInput(id, false);
    }

    /// <summary>
    /// Stops the hub. With <paramref name="abrupt"/> a power cut: the broker sees a dropped connection
    /// (will <c>lost</c> published). Otherwise a clean stop: the retained status <c>offline</c> is
    /// published and acknowledged, then DISCONNECT (the broker discards the will). Returns true when the
    /// clean stop reached the broker (false when abrupt, not connected, or the broker did not answer).
    /// Only the first call acts.
    /// </summary>
    public bool Stop(bool abrupt)
    {
        lock (_lifecycle)
        {
            if (_stopped) return false;
            _stopped = true;
            StopLoop();
            Hub hub = _hub;
            if (abrupt)
            {
                _transport.Sever();
                return false;
            }
            if (!_transport.IsConnected)
            {
                _transport.Disconnect();
                _log.WriteLine("[sim] not connected: status offline not published");
                return false;
            }
            bool done = _transport.Close(hub.Topics.For(Channel.Status), StatusPayload.Offline(hub), CloseTimeoutMs);
            _log.WriteLine(done ? "[sim] status offline published; disconnected" : "[sim] status offline not acknowledged; disconnected");
            return done;
        }
    }

    public void Dispose() => Stop(abrupt: false);

    public static byte[] ConfigBytes(string path) => path == null
        ? File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "demo-config.json"))
        : File.ReadAllBytes(path);

    public static HubConfig LoadConfig(string path)
    {
        byte[] bytes = ConfigBytes(path);
        try
        {
            return ConfigParser.Parse(bytes);
        }
        catch (ConfigException e)
        {
            throw new ArgumentException($"{path ?? "demo-config.json"}: {e.Message}");
        }
    }
}
