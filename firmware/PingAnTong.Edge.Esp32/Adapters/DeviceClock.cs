using System;
using nanoFramework.Hardware.Esp32;
using PingAnTong.Edge.Core;

namespace PingAnTong.Edge.Esp32.Adapters
{
    /// <summary>
    /// Uptime from the ESP32's microsecond timer (monotonic, unaffected by SNTP); wall time from the
    /// RTC, reported as unknown (-1) until SNTP has set it. Before that the RTC counts from 1970/2000
    /// after a cold boot, and the hub must not stamp alarms with such a date.
    /// </summary>
    public sealed class DeviceClock : IClock
    {
        private const long UnixEpochTicks = 621355968000000000L;
        private const int FirstPlausibleYear = 2025;
        private bool _synced;

        public long UptimeMs
        {
            get { return (long)(HighResTimer.GetCurrent() / 1000UL); }
        }

        public long UtcMs
        {
            get { return _synced ? (DateTime.UtcNow.Ticks - UnixEpochTicks) / TimeSpan.TicksPerMillisecond : -1; }
        }

        public bool IsSynced { get { return _synced; } }

        /// <summary>True once, when the RTC first holds a plausible date (SNTP answered).</summary>
        public bool CheckSynced()
        {
            if (_synced) return false;
            if (DateTime.UtcNow.Year < FirstPlausibleYear) return false;
            _synced = true;
            return true;
        }
    }
}
