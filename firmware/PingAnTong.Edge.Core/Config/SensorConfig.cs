namespace PingAnTong.Edge.Core.Config
{
    /// <summary>
    /// One analog/I2C sensor. Values are integers in the sensor's unit: gas in parts per million
    /// (from the MQ sensor's calibrated ADC reading), temperature in tenths of a degree Celsius.
    /// </summary>
    public sealed class SensorConfig
    {
        public string Id;

        /// <summary>"gas" or "temperature".</summary>
        public string Kind;
        public string Bus;
        public int Address;
        public int IntervalSeconds;

        /// <summary>Alarm when the value reaches this (gas), or heat warning (temperature).</summary>
        public int HighThreshold;

        /// <summary>Cold warning below this (temperature only; ignored for gas).</summary>
        public int LowThreshold;
        public int Hysteresis;

        /// <summary>MQ-series heaters need minutes before readings mean anything (MQ-5 datasheet: preheat over 24 h for calibration, minutes for use).</summary>
        public int WarmupSeconds;

        /// <summary>Consecutive failed reads before a sensor fault is raised.</summary>
        public int FailuresBeforeFault;
    }
}
