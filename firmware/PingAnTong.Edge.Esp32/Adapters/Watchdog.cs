using System;
using System.Threading;

namespace PingAnTong.Edge.Esp32.Adapters
{
    /// <summary>Called by <see cref="Watchdog"/> with the name of the worker that stopped reporting.</summary>
    public delegate void WatchdogExpired(string worker);

    /// <summary>
    /// Software watchdog (the ESP32 nanoFramework build has no managed hardware-watchdog API): each
    /// worker reports a heartbeat; a timer thread checks every 5 s and, when one has been silent
    /// longer than its limit, hands its name to <see cref="WatchdogExpired"/>, which records the reason
    /// and reboots the device.
    /// </summary>
    public sealed class Watchdog : IDisposable
    {
        private const int CheckMs = 5000;
        private readonly DeviceClock _clock;
        private readonly WatchdogExpired _expired;
        private readonly string[] _names = new string[4];
        private readonly long[] _limitMs = new long[4];
        private readonly long[] _lastMs = new long[4];
        private int _count;
        private Timer _timer;
        private bool _fired;

        public Watchdog(DeviceClock clock, WatchdogExpired expired)
        {
            _clock = clock;
            _expired = expired;
        }

        /// <summary>Adds a worker; returns its index for <see cref="Beat"/>.</summary>
        public int Register(string name, long limitMs)
        {
            int i = _count++;
            _names[i] = name;
            _limitMs[i] = limitMs;
            _lastMs[i] = _clock.UptimeMs;
            return i;
        }

        public void Beat(int worker)
        {
            _lastMs[worker] = _clock.UptimeMs;
        }

        /// <summary>Reports a heartbeat taken elsewhere (e.g. the network worker's last loop).</summary>
        public void BeatAt(int worker, long uptimeMs)
        {
            if (uptimeMs > _lastMs[worker]) _lastMs[worker] = uptimeMs;
        }

        public void Start()
        {
            _timer = new Timer(Check, null, CheckMs, CheckMs);
        }

        private void Check(object state)
        {
            if (_fired) return;
            long now = _clock.UptimeMs;
            for (int i = 0; i < _count; i++)
            {
                if (now - _lastMs[i] > _limitMs[i])
                {
                    _fired = true;
                    _expired(_names[i]);
                    return;
                }
            }
        }

        public void Dispose()
        {
            if (_timer != null) _timer.Dispose();
        }
    }
}
