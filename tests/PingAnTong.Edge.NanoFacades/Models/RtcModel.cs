using System;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// The clock behind DateTime.UtcNow on the device: gettimeofday, which starts at the Unix epoch (1970)
    /// after a reset and is set by SNTP (or Rtc.SetSystemTime). Model of
    /// nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:targets/ESP32/_nanoCLR/targetHAL_Time.cpp
    /// (HAL_Time_CurrentDateTime reads gettimeofday; HAL_Time_SetUtcTime calls settimeofday). Whether the ESP-IDF
    /// keeps the time across a software reset is not modelled: every boot starts at 1970 here, the worst case.
    /// .NET cannot redirect DateTime.UtcNow, so the virtual build gives the device adapters a DateTime that
    /// reads this clock (tests/PingAnTong.Edge.VirtualEsp32/Shims).
    /// </summary>
    public sealed class RtcModel
    {
        public const long UnixEpochTicks = 621355968000000000L;
        private long _ticksAtBoot = UnixEpochTicks;

        /// <summary>What DateTime.UtcNow returns on the virtual device.</summary>
        public DateTime UtcNow
        {
            get
            {
                lock (VirtualEsp32.Sync) { return new DateTime(_ticksAtBoot + VirtualEsp32.Clock.NowMicroseconds * 10); }
            }
        }

        /// <summary>UTC ticks of <see cref="UtcNow"/>.</summary>
        public long UtcTicks
        {
            get
            {
                lock (VirtualEsp32.Sync) { return _ticksAtBoot + VirtualEsp32.Clock.NowMicroseconds * 10; }
            }
        }

        /// <summary>settimeofday: from now on <see cref="UtcNow"/> counts from <paramref name="utc"/>.</summary>
        public void Set(DateTime utc)
        {
            lock (VirtualEsp32.Sync)
            {
                _ticksAtBoot = utc.Ticks - VirtualEsp32.Clock.NowMicroseconds * 10;
            }
        }

        internal void ColdStart()
        {
            lock (VirtualEsp32.Sync) { _ticksAtBoot = UnixEpochTicks; }
        }
    }
}
