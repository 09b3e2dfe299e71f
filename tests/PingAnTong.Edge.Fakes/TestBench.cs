using System.Text;
using System.Text.Json;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Security;
using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Fakes;

/// <summary>
/// A hub wired to fakes, driven step by step: no threads, no sleeps. <see cref="Step"/> advances
/// the fake clock and runs the loop once. <see cref="Restart"/> boots a new hub on the same storage,
/// as a power cycle does. <see cref="SendCommand"/> signs as the call centre does, with the command key
/// the bench deploys as <see cref="CommandKeyFile"/>.
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
      "security": { "commandKeyFile": "command.key" },
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
    public TestBench(string configJson = null, IDurableStore store = null, bool storeConfig = false, PingAnTong.Edge.Core.Device.BoardProfile board = null)
    {
        Board = board ?? PingAnTong.Edge.Core.Device.BoardProfile.Reference;
        Store = store ?? new MemoryStore();
        ConfigJson = configJson ?? DemoConfigJson;
        Config = ConfigParser.Parse(Encoding.UTF8.GetBytes(ConfigJson));
        _storeConfig = storeConfig;
        Boot();
    }

    private readonly bool _storeConfig;

    /// <summary>The command key file the demo config names, and the key in it (32 bytes as hex, what pat provision writes).</summary>
    public const string CommandKeyFile = "command.key";
    public const string CommandKeyHex = "8fa0076cc0ee511d4c2c7ec4507d2264d6c6bb2c4c8b7a5a3e768b3dbb8b72b3";

    /// <summary>The key deployed in the command key file at the next boot (<see cref="Restart"/>); the centre signs with <see cref="CommandKeyHex"/>.</summary>
    public string DeployedKeyHex { get; set; } = CommandKeyHex;

    /// <summary>The centre's wall clock when the hub's is not synced: 2026-06-01T00:00Z at the first boot, running on across restarts.</summary>
    private long _centreUtcAtBoot = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public string ConfigJson { get; }

    /// <summary>The board the hub is built for (the reference board unless given).</summary>
    public PingAnTong.Edge.Core.Device.BoardProfile Board { get; }

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
        Host.SecretFiles[CommandKeyFile] = Encoding.ASCII.GetBytes(DeployedKeyHex + "\n");
        Hub = new Hub(Config, Clock, Store, Transport, Sensors, Indicator, Host, Board);
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
        _centreUtcAtBoot = CentreUtcMs;
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

    /// <summary>The call centre's clock: the hub's once synced, else one that runs on from 2026-06-01 across restarts.</summary>
    public long CentreUtcMs => Clock.UtcMs >= 0 ? Clock.UtcMs : _centreUtcAtBoot + Clock.UptimeMs;

    /// <summary>
    /// Sends a command as the call centre does: a JSON object without issuedAt gets the centre's time, and it is
    /// signed with the bench's command key (anything that is not a JSON object is sent as it is). The hub's wall
    /// clock is synced first if it was not, as on the device, which connects over TLS only after SNTP.
    /// </summary>
    public void SendCommand(string json)
    {
        if (Clock.UtcMs < 0) Clock.SyncWallClock(CentreUtcMs);
        SendRaw(Sign(json));
    }

    /// <summary>Publishes a payload on the hub's command topic exactly as given (unsigned, forged, replayed) and runs the loop.</summary>
    public void SendRaw(string payload, bool retained = false)
    {
        Transport.SendCommand(Hub.Topics.For(PingAnTong.Edge.Core.Events.Channel.Command), payload, retained);
        Step(0);
        Step(0);
    }

    /// <summary>
    /// The payload the centre would publish: issuedAt added when missing (<paramref name="issuedAtMs"/> or the centre's
    /// clock), then signed with <paramref name="keyHex"/> (the bench's key by default) for this hub. Non-objects pass unchanged.
    /// </summary>
    public string Sign(string json, long? issuedAtMs = null, string keyHex = CommandKeyHex, string hubId = null)
    {
        JsonElement root;
        try { root = JsonDocument.Parse(json).RootElement; }
        catch (JsonException) { return json; }
        if (root.ValueKind != JsonValueKind.Object) return json;
        string body = json.TrimEnd();
        if (!root.TryGetProperty("issuedAt", out _))
        {
            string at = "\"issuedAt\":" + (issuedAtMs ?? CentreUtcMs);
            body = root.EnumerateObject().Any() ? body[..^1] + "," + at + "}" : "{" + at + "}";
        }
        return SignBody(body, keyHex, hubId ?? Hub.Config.HubId);
    }

    /// <summary>Signs a command body (with its issuedAt, without sig) exactly as given.</summary>
    public static string SignBody(string body, string keyHex, string hubId)
    {
        byte[] key = Convert.FromHexString(keyHex);
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        return Encoding.UTF8.GetString(CommandSignature.Sign(new HmacSha256(key), hubId, bytes, bytes.Length));
    }
}
