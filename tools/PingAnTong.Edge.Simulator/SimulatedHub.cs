using System.Text;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Simulator.Adapters;

namespace PingAnTong.Edge.Simulator;

/// <summary>
/// The second host of the core: the same Hub as on the ESP32, wired to virtual pins, simulated
/// sensors, a storage folder and MQTTnet, with one loop thread that owns the hub.
/// </summary>
public sealed class SimulatedHub : IDisposable
{
    private readonly Thread _loop;
    private volatile bool _running = true;

    /// <param name="deployConfigJson">When given, stored as the hub's config before it starts, as nanoff's file deployment does on the device (the console can then edit it).</param>
    public SimulatedHub(HubConfig config, string dataFolder, TextWriter log, string caFile = null, byte[] deployConfigJson = null)
    {
        Config = config;
        Sensors = new SimulatedSensorReader();
        Indicator = new ConsoleIndicator(log);
        Host = new SimHostServices();
        Store = new FolderDurableStore(dataFolder);
        var transportHolder = new DeferredTransport();
        Hub = new Hub(config, new SystemClock(), Store, transportHolder, Sensors, Indicator, Host);
        Transport = new MqttNetTransport(Hub.LinkEvents, log) { CaFile = caFile };
        transportHolder.Inner = Transport;
        if (deployConfigJson != null && !Hub.ImportConfigFile(deployConfigJson, "--config"))
            throw new ArgumentException(Hub.ConfigProblem);
        Hub.FieldConsole = new PingAnTong.Edge.Core.Field.ConsoleInterpreter(Hub, new SimConsoleHost());
        Hub.Start();
        for (int i = 0; i < Hub.Inputs.Length; i++)
        {
            var input = Hub.Inputs[i].Config;
            bool active = input.Kind == InputKind.Mains; // mains present, everything else at rest
            Hub.PostPinEdge(i, active != input.ActiveLow, Hub.Clock.UptimeMs);
        }
        _loop = new Thread(Loop) { IsBackground = true, Name = "hub-loop" };
        _loop.Start();
    }

    public HubConfig Config { get; }
    public Hub Hub { get; }
    public SimulatedSensorReader Sensors { get; }
    public ConsoleIndicator Indicator { get; }
    public SimHostServices Host { get; }
    public FolderDurableStore Store { get; }
    public MqttNetTransport Transport { get; }

    private void Loop()
    {
        while (_running)
        {
            Hub.RunOnce();
            Hub.Queue.Signal.WaitOne(Hub.MillisUntilNextWork(20));
        }
    }

    /// <summary>Drives input <paramref name="id"/> to its active or resting level, as a GPIO edge.</summary>
    public void SetInput(string id, bool active)
    {
        for (int i = 0; i < Hub.Inputs.Length; i++)
        {
            var c = Hub.Inputs[i].Config;
            if (c.Id != id) continue;
            Hub.PostPinEdge(i, active != c.ActiveLow, Hub.Clock.UptimeMs);
            return;
        }
        throw new ArgumentException($"no input \"{id}\" (inputs: {string.Join(", ", Hub.Inputs.Select(x => x.Config.Id))})");
    }

    public void Press(string id, int holdMs)
    {
        SetInput(id, true);
        Thread.Sleep(holdMs); // real time: this is the interactive host, not a test
        SetInput(id, false);
    }

    /// <summary>Stops the loop; with <paramref name="abrupt"/> the broker sees a dropped connection (will published).</summary>
    public void Stop(bool abrupt)
    {
        _running = false;
        _loop.Join(2000);
        if (abrupt) Transport.Sever(); else Transport.Disconnect();
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
