using System.Text;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Fakes;

/// <summary>
/// A hub wired to fakes, driven step by step: no threads, no sleeps. <see cref="Step"/> advances
/// the fake clock and runs the loop once. <see cref="Restart"/> boots a new hub on the same storage,
/// as a power cycle does.
/// </summary>
public sealed class TestBench
{
    public const string DemoConfigJson = """
    {
      "version": 1,
      "hubId": "hub-0001",
      "location": "350102-001-0001",
      "utcOffsetMinutes": 480,
      "broker": { "host": "127.0.0.1", "port": 1883, "tls": false, "insecureForTesting": true, "keepAliveSeconds": 30 },
      "inputs": [
        { "id": "sos", "kind": "sos", "pin": 25 },
        { "id": "ok", "kind": "ok", "pin": 26 },
        { "id": "door", "kind": "door", "pin": 27, "activeLow": false },
        { "id": "pir", "kind": "motion", "pin": 34, "activeLow": false },
        { "id": "smoke", "kind": "smoke", "pin": 35 },
        { "id": "mains", "kind": "mains", "pin": 36, "activeLow": false },
        { "id": "battery", "kind": "battery_low", "pin": 39 }
      ],
      "sensors": [
        { "id": "gas", "kind": "gas", "bus": "i2c1", "address": 72, "high": 1000, "hysteresis": 100, "warmupSeconds": 60 },
        { "id": "temp", "kind": "temperature", "bus": "i2c1", "address": 68, "high": 400, "low": 50 }
      ],
      "indicators": { "ledPin": 2, "buzzerPin": 4 },
      "alivePing": { "time": "09:00", "spreadMinutes": 60 },
      "heartbeatMinutes": 5
    }
    """;

    /// <param name="storeConfig">Store the config as if an installer had deployed it (the console can then edit it); otherwise it is the fallback.</param>
    public TestBench(string configJson = null, IDurableStore store = null, bool storeConfig = false)
    {
        Store = store ?? new MemoryStore();
        ConfigJson = configJson ?? DemoConfigJson;
        Config = ConfigParser.Parse(Encoding.UTF8.GetBytes(ConfigJson));
        _storeConfig = storeConfig;
        Boot();
    }

    private readonly bool _storeConfig;

    public string ConfigJson { get; }

    public IDurableStore Store { get; }
    public HubConfig Config { get; }
    public FakeClock Clock { get; private set; } = new();
    public FakeTransport Transport { get; private set; }
    public FakeSensorReader Sensors { get; private set; }
    public RecordingIndicator Indicator { get; private set; }
    public FakeHost Host { get; private set; }
    public Hub Hub { get; private set; }

    private void Boot()
    {
        Transport = new FakeTransport();
        Sensors ??= new FakeSensorReader();
        Indicator = new RecordingIndicator();
        Host = new FakeHost();
        Hub = new Hub(Config, Clock, Store, Transport, Sensors, Indicator, Host);
        Transport.Link = Hub.LinkEvents;
        if (_storeConfig && Hub.StoredConfigJson() == null) Hub.ImportConfigFile(Encoding.UTF8.GetBytes(ConfigJson), "test-config.json");
        Hub.FieldConsole = new PingAnTong.Edge.Core.Field.ConsoleInterpreter(Hub, ConsoleHost);
        Hub.Start();
        // Inputs rest at their inactive level; mains present.
        int mains = Hub.FindInput(PingAnTong.Edge.Core.Inputs.InputKind.Mains);
        if (mains >= 0) SetInput(mains, true);
    }

    /// <summary>Power cycle: a new hub on the same storage, uptime from zero, wall clock lost.</summary>
    public void Restart()
    {
        Clock = new FakeClock();
        Boot();
    }

    public void Step(long ms = 0)
    {
        Clock.Advance(ms);
        Hub.RunOnce();
    }

    /// <summary>Advances in steps of <paramref name="stepMs"/>, running the loop each time.</summary>
    public void Run(long totalMs, long stepMs = 100)
    {
        for (long t = 0; t < totalMs; t += stepMs) Step(stepMs);
    }

    /// <summary>Drives an input to its active (true) or inactive level, as a GPIO edge would.</summary>
    public void SetInput(int index, bool active)
    {
        bool level = active != Hub.Inputs[index].Config.ActiveLow;
        Hub.PostPinEdge(index, level, Clock.UptimeMs);
    }

    public void SetInput(string id, bool active) => SetInput(IndexOf(id), active);

    /// <summary>Press and release after <paramref name="holdMs"/>, running the loop.</summary>
    public void Press(string id, long holdMs = 200)
    {
        SetInput(id, true);
        Step(0);
        Run(holdMs, 50);
        SetInput(id, false);
        Step(0);
        Run(200, 50);
    }

    public int IndexOf(string id)
    {
        for (int i = 0; i < Hub.Inputs.Length; i++) if (Hub.Inputs[i].Config.Id == id) return i;
        throw new ArgumentException("no input " + id);
    }

    /// <summary>Lets the hub connect (accepting at once, or accepting the attempt already under way) and runs until idle.</summary>
    public void Connect()
    {
        Transport.AutoAck = true;
        if (Transport.Connecting && Hub.Link.State == PingAnTong.Edge.Core.Net.ConnectionManager.Connecting) Transport.AcceptConnect();
        Run(6000, 100);
    }

    public FakeConsoleHost ConsoleHost { get; } = new();

    /// <summary>Types a console line and runs the loop once; returns the reply lines.</summary>
    public List<string> Console(string line)
    {
        var output = new ConsoleRecorder();
        Hub.PostConsoleLine(line, output);
        Step(0);
        return output.Lines;
    }

    public void SendCommand(string json)
    {
        Transport.SendCommand(Hub.Topics.For(PingAnTong.Edge.Core.Events.Channel.Command), json);
        Step(0);
        Step(0);
    }
}
