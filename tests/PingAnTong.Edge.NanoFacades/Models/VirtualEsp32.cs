using System;
using System.Threading;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// The virtual ESP32 (WROOM-32E, 4 MB flash, no PSRAM) behind the nanoFramework facades: the native
    /// behaviour the application relies on, modelled from nf-interpreter's ESP32 code and the library
    /// sources (each model cites its file), so that the unmodified device adapters can run on .NET against
    /// it. Test code only: never referenced by anything that ships.
    ///
    /// One static device per process: a test calls <see cref="Reset"/> first (a new module with erased
    /// flash) and must not run in parallel with another test that uses it. Time moves only when the test
    /// (or a blocking native call) moves <see cref="Clock"/>; native events reach managed handlers on one
    /// interrupt thread (<see cref="Events"/>).
    /// </summary>
    public static class VirtualEsp32
    {
        /// <summary>Guards all model state; models never call application code while holding it.</summary>
        internal static readonly object Sync = new object();

        public static readonly VirtualClock Clock = new VirtualClock();
        public static readonly DeviceEvents Events = new DeviceEvents();
        public static readonly PinMapModel PinMap = new PinMapModel();
        public static readonly GpioModel Gpio = new GpioModel();
        public static readonly I2cModel I2c = new I2cModel();
        public static readonly PwmModel Pwm = new PwmModel();
        public static readonly FlashModel Flash = new FlashModel();
        public static readonly RtcModel Rtc = new RtcModel();
        public static readonly WifiModel Wifi = new WifiModel();
        public static readonly SntpModel Sntp = new SntpModel();
        public static readonly SerialModel Serial = new SerialModel();
        public static readonly PowerModel Power = new PowerModel();
        public static readonly NetworkModel Network = new NetworkModel();

        /// <summary>
        /// Set by the .NET host of the virtual device (tests/PingAnTong.Edge.VirtualEsp32/Shims/DeviceThreads.cs): true when
        /// the calling thread was started by an earlier boot of the device. On the ESP32 a reset stops every thread; on
        /// .NET such a thread is parked at its next call into the device (<see cref="CheckCaller"/>).
        /// </summary>
        public static ModelCondition CallerFromEarlierBoot;

        private static int s_generation = 1;
        private static Thread s_testThread;

        /// <summary>Free managed heap that nanoFramework.Runtime.Native.GC.Run reports (about 100 KB on a WROOM-32E without PSRAM).</summary>
        public static uint FreeHeapBytes = 100000;

        /// <summary>Counts boots of this virtual device since <see cref="Reset"/> (1 = the first boot).</summary>
        public static int Generation { get { lock (Sync) { return s_generation; } } }

        /// <summary>
        /// A new module straight from nanoff --masserase: erased flash (an empty I:\ and the default Wi-Fi
        /// configuration), no sensors on the bus, nothing driven on the pins, time 0, the RTC at 1970.
        /// The calling thread becomes "the test thread" (see <see cref="PowerModel"/>).
        /// </summary>
        public static void Reset()
        {
            Network.CutAll();
            lock (Sync)
            {
                s_generation++;
                s_testThread = Thread.CurrentThread;
                FreeHeapBytes = 100000;
                Clock.Restart();
                Events.Clear();
                PinMap.Reset();
                Gpio.Reset(true);
                I2c.Reset(true);
                Pwm.Reset();
                Flash.Erase();
                Rtc.ColdStart();
                Wifi.Reset(true);
                Sntp.Reset(true);
                Serial.Reset(true);
                Power.Reset(true);
                Network.Reset(true);
            }
        }

        /// <summary>
        /// What a reset of the chip keeps and loses: RAM state (open pins, PWM channels, I2C drivers, serial
        /// buffers, queued events, the helper's status) is gone, uptime starts again at 0; flash (I:\ and the
        /// stored Wi-Fi configuration), what is wired to the pins and the sensors on the bus stay. Then the
        /// nanoCLR boots: Wi-Fi joins by itself only if the stored configuration says AutoConnect. Objects the
        /// application created before the reboot are dead: a thread that touches one is parked for good (the
        /// test thread gets <see cref="VirtualDeviceRebootedException"/>).
        /// </summary>
        public static void Reboot()
        {
            Network.CutAll();
            lock (Sync)
            {
                s_generation++;
                DateTime networkTime = Sntp.NetworkTime;
                Clock.Restart();
                Sntp.NetworkTime = networkTime;
                Events.Clear();
                PinMap.Reset();
                Gpio.Reset(false);
                I2c.Reset(false);
                Pwm.Reset();
                Flash.CloseAll();
                Rtc.ColdStart();
                Sntp.Reset(false);
                Serial.Reset(false);
                Power.Reset(false);
                Wifi.Reset(false);
                Wifi.Boot();
            }
        }

        /// <summary>Boots the freshly reset device (Wi-Fi joins if the stored configuration has AutoConnect); <see cref="Reset"/> does not boot by itself, so a test can provision first.</summary>
        public static void Boot()
        {
            lock (Sync)
            {
                Wifi.Boot();
            }
        }

        internal static int CurrentGeneration { get { return s_generation; } }

        internal static bool IsTestThread { get { return Thread.CurrentThread == s_testThread; } }

        /// <summary>Parks the calling thread if an earlier boot started it (see <see cref="CallerFromEarlierBoot"/>).</summary>
        internal static void CheckCaller()
        {
            ModelCondition fromEarlierBoot = CallerFromEarlierBoot;
            if (fromEarlierBoot != null && fromEarlierBoot()) Power.Park("a thread of an earlier boot ran device code");
        }

        /// <summary>Called by every facade object on use: an object from before a reboot no longer exists on the device.</summary>
        internal static void CheckAlive(int generation)
        {
            CheckCaller();
            if (generation == s_generation) return;
            Power.Park("an object created before the virtual device rebooted was used");
        }
    }

    /// <summary>Thrown on the test thread where the device would have stopped running code (Power.RebootDevice, or code from before a reboot).</summary>
    public sealed class VirtualDeviceRebootedException : Exception
    {
        public VirtualDeviceRebootedException(string message) : base(message) { }
    }
}
