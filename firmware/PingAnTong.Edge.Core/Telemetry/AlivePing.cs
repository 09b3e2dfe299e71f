using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Core.Json;
using PingAnTong.Edge.Core.Net;

namespace PingAnTong.Edge.Core.Telemetry
{
    /// <summary>
    /// The daily alive-ping (平安信息, guidance items 4 and 6): evidence of life since the previous
    /// ping. Sent at the configured local time plus a per-hub offset within the spread window, so
    /// 50,000 hubs do not publish in the same second. Until the wall clock is known it falls back to
    /// every 24 h of uptime. <c>alive</c> is <c>yes</c> with any activity, <c>unknown</c> when an
    /// activity sensor is faulty (silence then proves nothing), otherwise <c>no_evidence</c>.
    /// </summary>
    public sealed class AlivePing
    {
        public const long DayMs = 86400000L;

        private int _motionCount;
        private int _doorCount;
        private int _buttonCount;
        private long _lastActivityUtcMs = -1;
        private long _lastActivityUptimeMs = -1;
        private long _lastPingUtcMs = -1;
        private long _nextDueUtcMs = -1;
        private long _nextDueUptimeMs;
        private int _minuteOfDay;
        private int _utcOffsetMinutes;
        private long _offsetMs;

        public int MotionCount { get { return _motionCount; } }

        public int DoorCount { get { return _doorCount; } }

        public int ButtonCount { get { return _buttonCount; } }

        public long NextDueUtcMs { get { return _nextDueUtcMs; } }

        /// <summary>The per-hub offset added to the configured time (ms).</summary>
        public long OffsetMs { get { return _offsetMs; } }

        public void Configure(HubConfig config, long nowMs)
        {
            _minuteOfDay = config.AlivePingMinuteOfDay;
            _utcOffsetMinutes = config.UtcOffsetMinutes;
            long spreadMs = config.AlivePingSpreadMinutes * 60000L;
            _offsetMs = spreadMs == 0 ? 0 : (long)(XorShiftRandom.Hash(config.HubId) % (uint)(spreadMs / 1000)) * 1000L;
            _nextDueUtcMs = -1;
            _nextDueUptimeMs = nowMs + DayMs;
        }

        public void RecordActivity(byte inputKind, long utcMs, long uptimeMs)
        {
            if (inputKind == InputKind.Motion) _motionCount++;
            else if (inputKind == InputKind.Door || inputKind == InputKind.Contact || InputKind.IsOccupancy(inputKind)) _doorCount++;
            else _buttonCount++;
            _lastActivityUtcMs = utcMs;
            _lastActivityUptimeMs = uptimeMs;
        }

        public bool IsDue(long nowMs, long utcMs)
        {
            if (utcMs >= 0)
            {
                if (_nextDueUtcMs < 0) _nextDueUtcMs = NextOccurrenceUtc(utcMs);
                return utcMs >= _nextDueUtcMs;
            }
            return nowMs >= _nextDueUptimeMs;
        }

        /// <summary>The first moment after <paramref name="utcMs"/> at the configured local time plus this hub's offset.</summary>
        public long NextOccurrenceUtc(long utcMs)
        {
            long local = utcMs + _utcOffsetMinutes * 60000L;
            long dayStart = local - ((local % DayMs) + DayMs) % DayMs;
            long target = dayStart + _minuteOfDay * 60000L + _offsetMs;
            while (target <= local) target += DayMs;
            return target - _utcOffsetMinutes * 60000L;
        }

        public void Send(Hub hub, long nowMs)
        {
            long utc = hub.Clock.UtcMs;
            int evidence = _motionCount + _doorCount + _buttonCount;
            string alive = evidence > 0 ? "yes" : hub.ActivitySensorsFaulty() ? "unknown" : "no_evidence";
            long seq;
            JsonWriter w = hub.Events.BeginTelemetry(out seq);
            w.Property("location", hub.Config.Location);
            w.Property("alive", alive);
            w.TimestampProperty("since", _lastPingUtcMs);
            w.Name("evidence");
            w.BeginObject();
            w.Property("motion", _motionCount);
            w.Property("door", _doorCount);
            w.Property("buttons", _buttonCount);
            w.TimestampProperty("lastActivity", _lastActivityUtcMs);
            w.Property("lastActivityAgoMs", _lastActivityUptimeMs < 0 ? -1 : nowMs - _lastActivityUptimeMs);
            w.EndObject();
            w.Property("activitySensorsHealthy", !hub.ActivitySensorsFaulty());
            hub.Events.CommitTelemetry(Channel.Alive, Priority.AlivePing, seq);
            _motionCount = 0;
            _doorCount = 0;
            _buttonCount = 0;
            _lastPingUtcMs = utc;
            _nextDueUptimeMs = nowMs + DayMs;
            _nextDueUtcMs = utc >= 0 ? NextOccurrenceUtc(utc) : -1;
        }
    }
}
