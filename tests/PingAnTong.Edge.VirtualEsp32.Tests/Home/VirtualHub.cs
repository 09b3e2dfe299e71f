extern alias device;
using System.Buffers;
using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using device::PingAnTong.Edge.NanoFacades;
using MQTTnet;
using MQTTnet.Protocol;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Core.Security;
using PingAnTong.Edge.DeviceTests.Adapters;
using PingAnTong.Edge.Integration.Tests;
using PingAnTong.Edge.Pat;
using PingAnTong.Edge.Tests;
using PingAnTong.Edge.Simulator;
using CoreHub = PingAnTong.Edge.Core.Hub;
using DeviceLog = device::PingAnTong.Edge.Esp32.Log;
using DeviceProgram = device::PingAnTong.Edge.Esp32.Program;
using TlsCertificates = PingAnTong.Edge.Integration.Tests.TestCertificates;

namespace PingAnTong.Edge.DeviceTests.Home;

/// <summary>
/// One home with one virtual ESP32 running the unmodified device application (Program.Main), installed the way an
/// installer does it: <c>pat provision</c> writes the hub's files (config, the CA as pat writes it, the hub's MQTT
/// password, command key, Wi-Fi options), they are deployed to I:\ as nanoff's file and network deployments do, and the
/// hub connects over TLS to a real Mosquitto run with the shipped template (docs/broker/mosquitto.conf) and the password
/// and ACL files pat wrote. A call centre (<see cref="Centre"/>) uses the backend account and signs its commands with the
/// hub's key from pat's command-keys.csv. Sensors: the board's inputs on their pins, an ADS1115 (MQ-5) and an SHT3x
/// on I2C. The home's router answers DNS for the broker's name with 127.0.0.1.
///
/// Time: the device's clock is virtual (the models'), the network is real. <see cref="Step"/> moves virtual time in
/// lockstep with the hub's loop and lets real time pass while a publish or a connect is on the wire, so a timeout
/// the hub counts in virtual time never fires because the test ran ahead of the network.
/// </summary>
public sealed class VirtualHub : IAsyncDisposable
{
    public const string HubId = "hub-0101";
    public const string BrokerName = "mqtt.pat.test";
    public const string Profile = "home";
    public const string Prefix = "pat/v1/" + HubId + "/";
    public const int SosPin = 25, OkPin = 26, DoorPin = 27, PirPin = 34, SmokePin = 35, MainsPin = 36, BatteryPin = 39, GasAlarmPin = 13;
    public const int LedPin = 2, BuzzerPin = 4;

    private readonly string _out;
    private readonly TlsCertificates _certs;
    private object _lastConsole;

    public MosquittoTestBroker Broker { get; private set; }
    public Centre CallCentre { get; private set; }
    public string HubDir => Path.Combine(_out, HubId);
    public Ads1115Model Mq5 { get; } = new(0x48);
    public Sht3xModel Climate { get; } = new(0x44);
    public string Log => File.Exists(Path.Combine(_out, "mosquitto.log")) ? File.ReadAllText(Path.Combine(_out, "mosquitto.log")) : "";
    /// <summary>Everything the hub wrote to its serial console (COM2) so far: its log lines.</summary>
    public StringBuilder Console { get; } = new();

    private VirtualHub(string outDir, TlsCertificates certs)
    {
        _out = outDir;
        _certs = certs;
    }

    /// <summary>Provisions, starts the broker and the centre, installs the hub's files on a fresh virtual ESP32 and wires the home; the hub is not powered yet.</summary>
    public static async Task<VirtualHub> InstallAsync()
    {
        VirtualEsp32.Reset();
        // The test thread blocks while it steps the device, and MQTTnet (the centre) runs on the pool: keep the pool wide.
        ThreadPool.GetMinThreads(out int workers, out int io);
        if (workers < 16) ThreadPool.SetMinThreads(16, Math.Max(io, 16));
        var certs = new TlsCertificates();
        var (cert, key) = certs.Server("broker", BrokerName);
        int port = EmbeddedBroker.FreePort();
        string outDir = Directory.CreateTempSubdirectory("pat-virtual-hub-").FullName;
        var rig = new VirtualHub(outDir, certs) { _lastConsole = DeviceLog.Console }; // a console of an earlier device is not this hub's
        PatRun.Provision(Path.Combine(outDir, "input"), outDir, $"hubId,location,board,wifi,brokerProfile\n{HubId},350102-001-0101,esp32-devkitc-v4,ElderHome-0101,{Profile}\n",
            $$"""{ "{{Profile}}": { "host": "{{BrokerName}}", "port": {{port}}, "tls": true, "caFile": "{{certs.CaFile}}" } }""",
            """{ "wifi": { "ElderHome-0101": "correct horse battery" } }""");

        string secrets = Path.Combine(outDir, "secret", "broker-" + Profile);
        rig.Broker = await MosquittoTestBroker.StartWithConfigAsync(MosquittoTemplate.Render(
            Path.Combine(Paths.RepoRoot, "docs", "broker", "mosquitto.conf"), port, cert, key, Path.Combine(secrets, "mosquitto.passwd"),
            Path.Combine(outDir, "broker", Profile, "acl"), Path.Combine(outDir, "mosquitto.log")), port);
        string commandKey = File.ReadAllLines(Path.Combine(secrets, "command-keys.csv")).Skip(1).Select(l => l.Split(',')).Single(f => f[0] == HubId)[1];
        rig.CallCentre = await Centre.ConnectAsync(port, Provision.DefaultBackendUsername, File.ReadAllText(Path.Combine(secrets, "backend-password")).Trim(), certs.CaFile, commandKey);

        // The installer's nanoff --filedeployment (deploy.json) and --networkdeployment (secret/network.json).
        TlsCaTests.DeployFiles(rig.HubDir);
        var wifi = JsonNode.Parse(File.ReadAllText(Path.Combine(rig.HubDir, "secret", "network.json")))!["WirelessClient"]!;
        VirtualEsp32.Wifi.Provision((string)wifi["Ssid"]!, (string)wifi["Password"]!, (string)wifi["ConfigurationOption"]!);
        // The home: its router, the time servers, the wiring.
        VirtualEsp32.Wifi.AccessPoint((string)wifi["Ssid"]!, (string)wifi["Password"]!);
        VirtualEsp32.Network.Host(BrokerName, "127.0.0.1");
        VirtualEsp32.Sntp.NetworkTime = DateTime.UtcNow;
        VirtualEsp32.I2c.Wires(21, 22).Attach(rig.Mq5);
        VirtualEsp32.I2c.Wires(21, 22).Attach(rig.Climate);
        rig.Mq5.SetInputVolts(0, 0.6); // clean air
        VirtualEsp32.Gpio.Drive(SosPin, true);      // buttons to GND, idle high
        VirtualEsp32.Gpio.Drive(OkPin, true);
        VirtualEsp32.Gpio.Drive(DoorPin, false);    // reed closed: door shut
        VirtualEsp32.Gpio.Drive(PirPin, false);
        VirtualEsp32.Gpio.Drive(SmokePin, true);    // relay open, pulled up
        VirtualEsp32.Gpio.Drive(GasAlarmPin, true);
        VirtualEsp32.Gpio.Drive(MainsPin, true);    // mains present
        VirtualEsp32.Gpio.Drive(BatteryPin, true);
        // Every restart, asked for or not, starts the application again, as the nanoCLR does.
        VirtualEsp32.Power.OnReboot = () => DeviceThreads.Boot(DeviceProgram.Main);
        return rig;
    }

    /// <summary>Power on: the nanoCLR starts Wi-Fi by the stored options and runs Program.Main; returns when the hub's loop runs.</summary>
    public void PowerOn()
    {
        VirtualEsp32.Boot();
        DeviceThreads.Boot(DeviceProgram.Main);
        WaitForBoot();
    }

    /// <summary>Pulls the plug and puts it back: RAM lost, flash kept, the application starts again.</summary>
    public void PowerCycle()
    {
        VirtualEsp32.Reboot();
        DeviceThreads.Boot(DeviceProgram.Main);
        WaitForBoot();
    }

    /// <summary>Waits (real time) until the boot that is running has its hub loop going.</summary>
    public void WaitForBoot()
    {
        if (!Real(() => DeviceLog.Console != null && DeviceLog.Console != _lastConsole && DeviceLog.Console.Hub != null, 20000))
            throw new TimeoutException("the hub did not start; console:\n" + ReadConsole());
        _lastConsole = DeviceLog.Console;
    }

    /// <summary>The running boot's hub (the core object behind Program's loop).</summary>
    public CoreHub Hub => DeviceLog.Console?.Hub ?? throw new InvalidOperationException("the hub is not running");

    /// <summary>The device's console output since the last call, also kept in <see cref="Console"/>.</summary>
    public string ReadConsole()
    {
        string s = VirtualEsp32.Serial.Port("COM2").TakeReceived();
        Console.Append(s);
        return s;
    }

    /// <summary>
    /// Moves the device's time by <paramref name="ms"/>: first lets the interrupt thread deliver the pin changes and the network finish what is on the wire (a publish
    /// waiting for its PUBACK, a connect in progress: real time, up to 5 s), then advances the virtual clock, wakes the
    /// hub's loop and waits until it has run at the new time, and until the network worker has reported within the
    /// last minute (the device's watchdog allows 3). A boot that ended under it (a reboot) is followed to the next one.
    /// </summary>
    public void Step(int ms)
    {
        int boot = VirtualEsp32.Generation;
        CoreHub hub = DeviceLog.Console?.Hub;
        if (hub != null && DeviceLog.Console == _lastConsole)
            Real(() => VirtualEsp32.Generation != boot || (hub.Publisher.InFlightCount == 0 && hub.Link.State != ConnectionManager.Connecting), 5000);
        // Pin changes reach the application on the interrupt thread, which reads the clock for the edge's time: deliver
        // what is queued before time moves on, and what the move brought (the GPIO debounce timer) before the loop runs.
        VirtualEsp32.Events.WaitIdle(5000);
        VirtualEsp32.Clock.Advance(ms);
        VirtualEsp32.Events.WaitIdle(5000);
        if (VirtualEsp32.Generation != boot || hub == null || DeviceLog.Console != _lastConsole)
        {
            WaitForBoot();
            return;
        }
        long now = VirtualEsp32.Clock.NowMilliseconds;
        var signal = (EventWaitHandle)hub.Queue.Signal;
        signal.Set();
        if (!Real(() => VirtualEsp32.Generation != boot || hub.LastTickMs >= now, 10000))
            throw new TimeoutException($"the hub's loop did not run at {now} ms (last pass {hub.LastTickMs} ms); console:\n" + ReadConsole());
        var transport = TransportOf(hub);
        if (transport != null) Real(() => VirtualEsp32.Generation != boot || VirtualEsp32.Clock.NowMilliseconds - transport.LastBeatMs < 60000, 10000);
        if (VirtualEsp32.Generation != boot) WaitForBoot();
    }

    /// <summary>
    /// Steps the device's time (up to <paramref name="maxMs"/>, <paramref name="stepMs"/> at a time) until <paramref name="condition"/>
    /// holds. With <paramref name="watchIndicator"/>, each step also waits until the LED/buzzer timer (real time, reading the
    /// virtual clock) has ticked at the new time, so a pattern's short beep is not stepped over.
    /// </summary>
    public bool RunUntil(Func<bool> condition, int maxMs, int stepMs = 250, bool watchIndicator = false)
    {
        for (int t = 0; t < maxMs; t += stepMs)
        {
            // The condition may wait on the real world too (the broker passing a message to the centre): a little real
            // time for it before the device's time moves on.
            if (Real(condition, 20)) return true;
            Step(stepMs);
            if (watchIndicator)
            {
                long now = VirtualEsp32.Clock.NowMilliseconds;
                Real(() => VirtualEsp32.Gpio.Writes(LedPin).Any(w => w.AtMs >= now), 2000);
            }
        }
        return condition();
    }

    /// <summary>Steps the device's time by <paramref name="ms"/>.</summary>
    public void Run(int ms, int stepMs = 250)
    {
        for (int t = 0; t < ms; t += stepMs) Step(Math.Min(stepMs, ms - t));
    }

    /// <summary>A press of a button wired to GND (active low), held <paramref name="holdMs"/>.</summary>
    public void Press(int pin, int holdMs = 300)
    {
        VirtualEsp32.Gpio.Drive(pin, false);
        Run(holdMs, 50);
        VirtualEsp32.Gpio.Drive(pin, true);
        Step(50);
    }

    private static device::PingAnTong.Edge.Esp32.Adapters.M2MqttTransport TransportOf(CoreHub hub) =>
        typeof(CoreHub).GetField("_transport", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(hub) as device::PingAnTong.Edge.Esp32.Adapters.M2MqttTransport;

    /// <summary>Waits in real time for something another thread or the broker does (bounded).</summary>
    private static bool Real(Func<bool> condition, int timeoutMs)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(1);
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        VirtualEsp32.Power.OnReboot = null;
        VirtualEsp32.Reset(); // the device's threads park at their next call; its connections close
        if (CallCentre != null) await CallCentre.DisposeAsync();
        if (Broker != null) await Broker.DisposeAsync();
    }

    /// <summary>
    /// The call centre: the backend account of pat's broker files, over TLS trusting the test CA, reading every topic
    /// under pat/v1 and sending commands signed with the hub's key (docs/mqtt-contract.md, "Signed commands").
    /// </summary>
    public sealed class Centre : IAsyncDisposable
    {
        private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
        private readonly ConcurrentQueue<(string Topic, string Payload, bool Retained)> _received = new();
        private readonly HmacSha256 _key;
        private int _commands;

        private Centre(string keyHex) { _key = new HmacSha256(Convert.FromHexString(keyHex)); }

        public static async Task<Centre> ConnectAsync(int port, string user, string password, string caFile, string keyHex)
        {
            var c = new Centre(keyHex);
            c._client.ApplicationMessageReceivedAsync += e =>
            {
                c._received.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray()), e.ApplicationMessage.Retain));
                return Task.CompletedTask;
            };
            var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(user).WithCredentials(user, password)
                .WithCleanSession(true).WithTimeout(TimeSpan.FromSeconds(10))
                .WithTlsOptions(o => o.UseTls(true).WithTargetHost(BrokerName).WithCertificateValidationHandler(ctx => PingAnTong.Edge.Simulator.Adapters.MqttNetTransport.Validate(ctx.Certificate, ctx.SslPolicyErrors, caFile)))
                .Build();
            var result = await c._client.ConnectAsync(options);
            if (result.ResultCode != MqttClientConnectResultCode.Success) throw new InvalidOperationException("the centre could not connect: " + result.ResultCode);
            await c._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(f => f.WithTopic("pat/v1/#").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)).Build());
            return c;
        }

        /// <summary>Events the hub sent, parsed.</summary>
        public List<JsonElement> Events() => _received.Where(m => m.Topic == Prefix + "event").Select(m => JsonDocument.Parse(m.Payload).RootElement).ToList();

        /// <summary>Alarm events of <paramref name="kind"/> in state raised.</summary>
        public List<JsonElement> Raised(string kind) => Events().Where(e => Str(e, "kind") == kind && Str(e, "class") == "alarm" && Str(e, "state") == "raised").ToList();

        public List<JsonElement> Replies() => _received.Where(m => m.Topic == Prefix + "reply").Select(m => JsonDocument.Parse(m.Payload).RootElement).ToList();

        /// <summary>The state (online, lost, offline) of the last status the hub (or its will) published, or null.</summary>
        public string Status() => _received.Where(m => m.Topic == Prefix + "status").Select(m => Str(JsonDocument.Parse(m.Payload).RootElement, "state")).LastOrDefault();

        /// <summary>The last status payload the hub (or its will) published, parsed.</summary>
        public JsonElement? LastStatus() => _received.Where(m => m.Topic == Prefix + "status").Select(m => (JsonElement?)JsonDocument.Parse(m.Payload).RootElement).LastOrDefault();

        public IEnumerable<string> Topics => _received.Select(m => m.Topic);

        public static string Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        /// <summary>Publishes a command to the hub, with issuedAt (now) and the signature.</summary>
        public async Task<string> CommandAsync(string cmd, string fields = "")
        {
            string id = "cc-" + Interlocked.Increment(ref _commands);
            string body = $$"""{"id":"{{id}}","cmd":"{{cmd}}"{{fields}},"issuedAt":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}""";
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            string signed = Encoding.UTF8.GetString(CommandSignature.Sign(_key, HubId, bytes, bytes.Length));
            await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Prefix + "cmd").WithPayload(signed)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            return id;
        }

        /// <summary>The centre's acknowledgement of an alarm ("help is coming").</summary>
        public Task<string> AckAsync(string alarmId) => CommandAsync("ack", $$""","alarmId":"{{alarmId}}" """.TrimEnd());

        public async ValueTask DisposeAsync()
        {
            if (_client.IsConnected) await _client.DisconnectAsync();
            _client.Dispose();
        }
    }
}
