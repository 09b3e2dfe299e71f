// The device reads the RTC with DateTime.UtcNow (DeviceClock). .NET cannot redirect System.DateTime, so in
// this build the namespace of the device adapters gets a DateTime of its own that reads the virtual RTC
// (VirtualEsp32.Rtc: 1970 after a reset, set by SNTP). It has only what the adapters use; an adapter that
// needs more fails to compile here, which is the cue to add it.
using PingAnTong.Edge.NanoFacades;

namespace PingAnTong.Edge.Esp32.Adapters
{
    internal readonly struct DateTime
    {
        private readonly long _ticks;

        private DateTime(long ticks) { _ticks = ticks; }

        public static DateTime UtcNow { get { return new DateTime(VirtualEsp32.Rtc.UtcTicks); } }

        public long Ticks { get { return _ticks; } }

        public int Year { get { return new System.DateTime(_ticks).Year; } }
    }
}
