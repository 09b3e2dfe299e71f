using PingAnTong.Edge.Core.Config;

namespace PingAnTong.Edge.Core.Inputs
{
    /// <summary>
    /// A sampled sensor with a high threshold (gas alarm / heat), an optional low threshold (cold),
    /// hysteresis so a value hovering at the threshold does not flap, a warm-up period for MQ
    /// heaters, and failure counting: after <c>FailuresBeforeFault</c> failed reads in a row the
    /// sensor is faulty and has no value.
    /// </summary>
    public sealed class AnalogSensor
    {
        public const int ChangedFault = 1;
        public const int ChangedHigh = 2;
        public const int ChangedLow = 4;

        private readonly long _warmupEndsMs;
        private long _nextReadMs;
        private int _failuresInRow;

        public AnalogSensor(SensorConfig config, long nowMs)
        {
            Config = config;
            _warmupEndsMs = nowMs + config.WarmupSeconds * 1000L;
            _nextReadMs = nowMs;
            LastStatus = SensorStatus.Ok;
        }

        public SensorConfig Config { get; private set; }

        public bool IsGas { get { return Config.Kind == "gas"; } }

        public bool HasValue { get; private set; }

        /// <summary>The last good value; meaningful only while <see cref="HasValue"/>.</summary>
        public int Value { get; private set; }

        public int LastStatus { get; private set; }

        public bool IsFaulty { get; private set; }

        public bool IsWarmingUp { get; private set; }

        public bool IsHigh { get; private set; }

        public bool IsLow { get; private set; }

        public long NextReadMs { get { return _nextReadMs; } }

        /// <summary>Reads when due; returns a bit set of Changed* flags for the states that changed.</summary>
        public int Tick(long nowMs, ISensorReader reader)
        {
            if (nowMs < _nextReadMs) return 0;
            _nextReadMs = nowMs + Config.IntervalSeconds * 1000L;
            int value;
            int status = reader.Read(Config, out value);
            LastStatus = status;
            int changed = 0;
            if (status != SensorStatus.Ok)
            {
                HasValue = false;
                _failuresInRow++;
                if (!IsFaulty && _failuresInRow >= Config.FailuresBeforeFault)
                {
                    IsFaulty = true;
                    changed |= ChangedFault;
                }
                return changed;
            }
            _failuresInRow = 0;
            HasValue = true;
            Value = value;
            if (IsFaulty)
            {
                IsFaulty = false;
                changed |= ChangedFault;
            }
            IsWarmingUp = nowMs < _warmupEndsMs;
            if (IsWarmingUp) return changed;
            bool high = IsHigh ? value > Config.HighThreshold - Config.Hysteresis : value >= Config.HighThreshold;
            if (high != IsHigh) { IsHigh = high; changed |= ChangedHigh; }
            if (!IsGas)
            {
                bool low = IsLow ? value < Config.LowThreshold + Config.Hysteresis : value <= Config.LowThreshold;
                if (low != IsLow) { IsLow = low; changed |= ChangedLow; }
            }
            return changed;
        }
    }
}
