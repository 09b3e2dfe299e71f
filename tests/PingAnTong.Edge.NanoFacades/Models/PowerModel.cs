using System;
using System.Threading;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// Power.RebootDevice as a test hook: the call is recorded, the virtual device reboots
    /// (<see cref="VirtualEsp32.Reboot"/>: flash kept, RAM lost, Wi-Fi rejoins by its stored options), the test's
    /// <see cref="OnReboot"/> runs, and the call never returns, as on the device: the thread that called it is
    /// parked for good, or, if it is the test's own thread, gets <see cref="VirtualDeviceRebootedException"/>.
    /// (nanoframework/nanoFramework.Runtime.Native@v1.7.11:nanoFramework.Runtime.Native/Power.cs: RebootDevice
    /// raises OnRebootEvent and calls the native reboot; there is no return.)
    /// </summary>
    public sealed class PowerModel
    {
        private readonly ManualResetEvent _never = new ManualResetEvent(false);

        /// <summary>Reboots requested by the application since the last reset.</summary>
        public int RebootCount { get; private set; }

        /// <summary>RebootOption of the last request, as int.</summary>
        public int LastRebootOption { get; private set; }

        /// <summary>Uptime (ms) at the last request.</summary>
        public long LastRebootAtMs { get; private set; }

        /// <summary>Power cuts (<see cref="Cut"/>) since the last reset.</summary>
        public int PowerCuts { get; private set; }

        /// <summary>Runs after each reboot the application requests, and after each power cut (e.g. to start the application again).</summary>
        public ModelAction OnReboot;

        internal void Reset(bool all)
        {
            if (!all) return;
            RebootCount = 0;
            PowerCuts = 0;
            LastRebootOption = 0;
            LastRebootAtMs = 0;
            OnReboot = null;
        }

        internal void RebootDevice(int option)
        {
            ModelAction hook;
            lock (VirtualEsp32.Sync)
            {
                RebootCount++;
                LastRebootOption = option;
                LastRebootAtMs = VirtualEsp32.Clock.NowMilliseconds;
                VirtualEsp32.Reboot();
                hook = OnReboot;
            }
            if (hook != null) hook();
            Park("Power.RebootDevice");
        }

        /// <summary>
        /// The supply fails and comes back (a brown-out, the plug pulled mid-write): the device restarts as from
        /// <see cref="VirtualEsp32.Reboot"/> without the application having asked, <see cref="OnReboot"/> runs, and the
        /// calling thread never continues. Call without holding the model lock.
        /// </summary>
        public void Cut(string why)
        {
            ModelAction hook;
            lock (VirtualEsp32.Sync)
            {
                PowerCuts++;
                VirtualEsp32.Reboot();
                hook = OnReboot;
            }
            if (hook != null) hook();
            Park(why);
        }

        /// <summary>Where device code stops running: never returns.</summary>
        internal void Park(string why)
        {
            if (VirtualEsp32.IsTestThread) throw new VirtualDeviceRebootedException("virtual ESP32: " + why + "; code after this point does not run on a device");
            _never.WaitOne();
        }
    }
}
