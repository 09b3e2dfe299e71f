// On the ESP32 a reset stops every thread the application had; on .NET they would run on, next to the threads of the
// next boot, writing to the same flash and pins. So in this build every thread of the device application belongs to
// the boot that started it: the adapters' `new Thread(...)` and `new Timer(...)` bind to the two classes below (a type
// in the adapters' own namespace wins over System.Threading's), the M2Mqtt model's threads come from
// DeviceThreads.Start, and the test starts Program.Main with DeviceThreads.Boot. A thread of an earlier boot is parked
// at its next call into the device (VirtualEsp32.CheckCaller); a timer of an earlier boot stops ticking. Every such
// thread is a background thread: nanoFramework has no other kind, and .NET must be able to end the test process.
using System.Runtime.CompilerServices;
using System.Threading;
using PingAnTong.Edge.NanoFacades;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>Threads of the virtual device, each tied to the boot that started it.</summary>
    public static class DeviceThreads
    {
        [System.ThreadStatic]
        private static int t_boot; // 0: not a device thread (the test's, a model's)

        [ModuleInitializer]
        internal static void Install()
        {
            VirtualEsp32.CallerFromEarlierBoot = FromEarlierBoot;
        }

        /// <summary>The boot the calling thread belongs to (its creator's, or the device's current boot).</summary>
        internal static int CallerBoot
        {
            get { return t_boot != 0 ? t_boot : VirtualEsp32.CurrentGeneration; }
        }

        private static bool FromEarlierBoot()
        {
            int boot = t_boot;
            return boot != 0 && boot != VirtualEsp32.CurrentGeneration;
        }

        /// <summary>Starts <paramref name="main"/> (Program.Main) as the main thread of the device's current boot.</summary>
        public static System.Threading.Thread Boot(ThreadStart main)
        {
            int boot = VirtualEsp32.CurrentGeneration;
            System.Threading.Thread thread = Create(main, "nanoCLR main (boot " + boot.ToString() + ")", boot);
            thread.Start();
            return thread;
        }

        /// <summary>A background thread of the caller's boot, not started.</summary>
        public static System.Threading.Thread Create(ThreadStart body, string name)
        {
            return Create(body, name, CallerBoot);
        }

        private static System.Threading.Thread Create(ThreadStart body, string name, int boot)
        {
            var thread = new System.Threading.Thread(delegate ()
            {
                t_boot = boot;
                body();
            });
            thread.IsBackground = true;
            thread.Name = name;
            return thread;
        }

        /// <summary>True while the boot that created something is the device's current one.</summary>
        internal static bool IsCurrent(int boot)
        {
            return boot == VirtualEsp32.CurrentGeneration;
        }
    }
}

namespace PingAnTong.Edge.Esp32.Adapters
{
    /// <summary>System.Threading.Thread as the adapters use it, tied to the boot that created it (see the file header).</summary>
    internal sealed class Thread
    {
        private readonly System.Threading.Thread _thread;

        public Thread(ThreadStart start)
        {
            _thread = DeviceThreads.Create(start, "device thread");
        }

        public void Start()
        {
            _thread.Start();
        }

        public static void Sleep(int millisecondsTimeout)
        {
            VirtualEsp32.CheckCaller();
            System.Threading.Thread.Sleep(millisecondsTimeout);
        }
    }

    /// <summary>System.Threading.Timer as the adapters use it: stops ticking when the boot that made it is over.</summary>
    internal sealed class Timer : System.IDisposable
    {
        private readonly int _boot;
        private readonly TimerCallback _callback;
        private readonly System.Threading.Timer _timer;

        public Timer(TimerCallback callback, object state, int dueTime, int period)
        {
            _boot = DeviceThreads.CallerBoot;
            _callback = callback;
            _timer = new System.Threading.Timer(Tick, state, dueTime, period);
        }

        private void Tick(object state)
        {
            if (!DeviceThreads.IsCurrent(_boot))
            {
                _timer.Dispose();
                return;
            }
            _callback(state);
        }

        public void Dispose()
        {
            _timer.Dispose();
        }
    }
}
