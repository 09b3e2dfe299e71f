using System;
using System.Device.Gpio;
using System.IO;
using System.Threading;
using nanoFramework.Hardware.Esp32;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Device;
using PingAnTong.Edge.Core.Field;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Core.Json;
using PingAnTong.Edge.Esp32.Adapters;

namespace PingAnTong.Edge.Esp32
{
    /// <summary>
    /// The ESP32 host: wires the device adapters to the portable core and runs the hub loop. No hub
    /// logic lives here. Boot order: storage, boot history (crash-loop → safe mode), serial console,
    /// config import, hub, inputs, network worker, watchdog.
    /// </summary>
    public static class Program
    {
        private const string StoragePrefix = "I:\\pat-";
        /// <summary>Where the installer's nanoff file deployment puts the hub's config.</summary>
        private const string DeployedConfig = "I:\\config.json";
        private const string ConsolePort = "COM2";
        private const int ConsoleTxPin = 17;
        private const int ConsoleRxPin = 16;
        private const int I2cDataPin = 21;
        private const int I2cClockPin = 22;

        /// <summary>
        /// Used only until a config has been deployed: the reference board's inputs, so the SOS button
        /// sounds locally and alarms are stored even on an unprovisioned hub; the broker host cannot
        /// resolve, so the hub reports "not delivered" honestly.
        /// </summary>
        private const string UnprovisionedConfig = "{\"version\":1,\"hubId\":\"unprovisioned\",\"location\":\"unprovisioned\"," +
            "\"broker\":{\"host\":\"unprovisioned.invalid\",\"port\":8883,\"tls\":true,\"caFile\":\"I:\\\\ca.pem\"}," +
            "\"inputs\":[{\"id\":\"sos\",\"kind\":\"sos\",\"pin\":25},{\"id\":\"ok\",\"kind\":\"ok\",\"pin\":26}]," +
            "\"sensors\":[],\"indicators\":{\"ledPin\":2,\"buzzerPin\":4}}";

        private static DeviceHost _host;
        private static BootHistory _boot;
        /// <summary>Whether the boot line has been written (it waits for the config, whose console.language it is written in).</summary>
        private static bool _bootLogged;

        public static void Main()
        {
            FlashDurableStore store = new FlashDurableStore(StoragePrefix);
            BootHistory boot = new BootHistory(store);
            try
            {
                boot.Begin();
            }
            catch (Exception)
            {
                // Flash unreadable: run anyway; the hub reports the storage fault.
            }
            _host = new DeviceHost(boot);
            _boot = boot;
            try
            {
                Run(store, boot);
            }
            catch (Exception e)
            {
                if (!_bootLogged) Log.Error(BootLine()); // a crash before the config was read: the boot line still tells the reset reason
                Log.Error(Log.T(ConsoleText.LogFatal, e.Message));
                _host.RebootFor(BootHistory.ReasonCrash);
            }
        }

        private static void Run(FlashDurableStore store, BootHistory boot)
        {
            DeviceClock clock = new DeviceClock();
            SerialConsole console = new SerialConsole(ConsolePort, ConsoleTxPin, ConsoleRxPin);
            console.Clock = clock;
            console.Open();
            Log.Console = console;
            Log.Clock = clock;

            HubConfig fallback = ConfigParser.Parse(System.Text.Encoding.UTF8.GetBytes(UnprovisionedConfig));
            GpioController gpio = new GpioController();
            WifiLink wifi = new WifiLink();
            M2MqttTransport transport = new M2MqttTransport(clock, wifi);
            ISensorReader sensors;
            I2cSensorReader i2c = null;
            if (boot.SafeMode)
            {
                sensors = new DisabledSensorReader();
            }
            else
            {
                Configuration.SetPinFunction(I2cDataPin, DeviceFunction.I2C1_DATA);
                Configuration.SetPinFunction(I2cClockPin, DeviceFunction.I2C1_CLOCK);
                i2c = new I2cSensorReader(clock, store);
                sensors = i2c;
            }
            LateIndicator indicator = new LateIndicator();
            Hub hub = new Hub(fallback, clock, store, transport, sensors, indicator, _host);
            transport.Link = hub.LinkEvents;
            ImportDeployedConfig(hub);

            hub.Start();
            // From here the lines are in the config's console.language (the core's own problems stay in its English).
            Log.Language = ConsoleText.LanguageOf(hub.Config);
            Log.Write(BootLine());
            _bootLogged = true;
            WriteImportLog();
            if (hub.ConfigProblem != null) Log.Write("config: " + hub.ConfigProblem);
            Log.Write(Log.T(ConsoleText.LogHubConfig, hub.Config.HubId, hub.Config.Version.ToString(), hub.ConfigSource));
            if (hub.InsecureTransport) Log.Write(Log.T(ConsoleText.LogNoTls));
            if (hub.CommandKeyProblem != null) Log.Write("WARNING: " + hub.CommandKeyProblem);
            indicator.Inner = new GpioIndicator(gpio, hub.Config.LedPin, hub.Config.BuzzerPin, clock);
            indicator.Inner.Show(hub.CurrentIndication);
            if (i2c != null) i2c.Prime(hub.Config.Sensors);
            GpioInputs inputs = new GpioInputs(gpio, hub, clock);
            inputs.Open();
            hub.FieldConsole = new ConsoleInterpreter(hub, new DeviceConsoleHost(wifi, transport, boot));
            Log.Interpreter = hub.FieldConsole;
            console.Hub = hub;
            transport.Start();

            Watchdog watchdog = new Watchdog(clock, Expired);
            int loopWorker = watchdog.Register("hub loop", 30000);
            int netWorker = watchdog.Register("network worker", 180000);
            watchdog.Start();

            bool stable = false;
            while (true)
            {
                hub.RunOnce();
                watchdog.Beat(loopWorker);
                watchdog.BeatAt(netWorker, transport.LastBeatMs);
                if (clock.CheckSynced())
                {
                    hub.Queue.Post(HubInput.ClockSynced, 0, 0, 0, null, null, true);
                    Log.Write(Log.T(ConsoleText.LogClockSynced));
                }
                if (!stable && clock.UptimeMs >= BootHistory.StableAfterMs)
                {
                    boot.MarkStable();
                    stable = true;
                }
                hub.Queue.Signal.WaitOne(hub.MillisUntilNextWork(1000), false);
            }
        }

        /// <summary>
        /// Offers I:\config.json to the hub once; the file is then renamed so a later remote config change is not undone at
        /// the next boot. A file larger than any valid config is refused unread (reading it whole could exhaust the heap and
        /// make every boot crash), and whatever goes wrong here moves the file aside rather than failing the boot.
        /// What happened is logged by <see cref="WriteImportLog"/> once the config, and so the lines' language, is known.
        /// </summary>
        private static void ImportDeployedConfig(Hub hub)
        {
            if (!File.Exists(DeployedConfig)) return;
            ImportOutcome r = new ImportOutcome();
            string problem;
            try
            {
                byte[] json = null;
                using (FileStream f = new FileStream(DeployedConfig, FileMode.Open, FileAccess.Read))
                {
                    long length = f.Length;
                    if (length <= JsonLimits.MaxConfigBytes)
                    {
                        json = new byte[(int)length];
                        int read = 0, n;
                        while (read < json.Length && (n = f.Read(json, read, json.Length - read)) > 0) read += n;
                    }
                    problem = null;
                    if (length > JsonLimits.MaxConfigBytes) r.TooBigBytes = length.ToString();
                }
                if (json != null)
                {
                    r.Ok = hub.ImportConfigFile(json, DeployedConfig);
                    problem = hub.ConfigProblem;
                }
            }
            catch (Exception e)
            {
                problem = DeployedConfig + ": " + e.Message;
            }
            string keep = r.Ok ? "I:\\config.applied.json" : "I:\\config.rejected.json";
            try
            {
                if (File.Exists(keep)) File.Delete(keep);
                File.Move(DeployedConfig, keep);
            }
            catch (Exception e)
            {
                keep = null;
                r.MoveError = e.Message;
                try { File.Delete(DeployedConfig); } catch (Exception) { }
            }
            r.Problem = problem;
            r.MovedTo = keep;
            _import = r;
        }

        /// <summary>What <see cref="ImportDeployedConfig"/> did, kept until it can be logged in the config's language.</summary>
        private sealed class ImportOutcome
        {
            public bool Ok;
            /// <summary>Why the file was refused (the hub's or the file system's words).</summary>
            public string Problem;
            /// <summary>The file's size when it was refused unread for being larger than any config.</summary>
            public string TooBigBytes;
            /// <summary>Where the file was moved, null when it could not be moved (and was deleted).</summary>
            public string MovedTo;
            public string MoveError;
        }

        /// <summary>Null when there was no file to import.</summary>
        private static ImportOutcome _import;

        private static void WriteImportLog()
        {
            ImportOutcome r = _import;
            _import = null;
            if (r == null) return;
            if (r.MoveError != null) Log.Error(Log.T(ConsoleText.LogConfigMoveFailed, DeployedConfig, r.MoveError));
            if (r.Ok)
            {
                Log.Write(Log.T(ConsoleText.LogConfigImported, DeployedConfig));
                return;
            }
            string problem = r.TooBigBytes != null ? Log.T(ConsoleText.LogConfigTooBig, DeployedConfig, r.TooBigBytes, JsonLimits.MaxConfigBytes.ToString()) : r.Problem;
            Log.Write(Log.T(ConsoleText.LogConfigKept, problem, r.MovedTo != null ? Log.T(ConsoleText.LogConfigMovedTo, r.MovedTo) : ""));
        }

        /// <summary>The first line of a boot: firmware version, reset reason and crash streak stay as they are (machine-read).</summary>
        private static string BootLine()
        {
            BootHistory boot = _boot;
            if (boot == null) return Log.T(ConsoleText.LogStarting, DeviceHost.Version, "?", "?");
            return Log.T(ConsoleText.LogStarting, DeviceHost.Version, boot.ResetReason, boot.CrashStreak.ToString()) + (boot.SafeMode ? Log.T(ConsoleText.LogSafeMode) : "");
        }

        private static void Expired(string worker)
        {
            Log.Error(Log.T(ConsoleText.LogWatchdog, worker));
            _host.RebootFor(BootHistory.ReasonWatchdog);
        }
    }

    /// <summary>Safe mode: the optional I2C sensors are not touched (a crashing driver or a bus hang is the usual cause of a crash loop).</summary>
    internal sealed class DisabledSensorReader : ISensorReader
    {
        public int Read(SensorConfig sensor, out int value)
        {
            value = 0;
            return SensorStatus.NoAnswer;
        }
    }

    /// <summary>The indicator is built after the hub has its config (pins); until then indications are remembered.</summary>
    internal sealed class LateIndicator : IIndicator
    {
        public GpioIndicator Inner;

        public void Show(int indication)
        {
            GpioIndicator inner = Inner;
            if (inner != null) inner.Show(indication);
        }
    }
}
