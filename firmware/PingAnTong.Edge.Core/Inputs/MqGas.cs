namespace PingAnTong.Edge.Core.Inputs
{
    /// <summary>
    /// An MQ-5 combustible-gas sensor read through an ADS1115: the sensor resistance Rs from the
    /// voltage across the load resistor, and parts per million (LPG) from Rs/R0, where R0 is Rs in
    /// clean air divided by the datasheet's clean-air ratio (6.5). The ppm curve is a log-log reading
    /// of the MQ-5 datasheet's LPG sensitivity chart, interpolated between the points below; it is an
    /// approximation (±30 % is typical for MQ sensors), which is why the installer checks the alarm
    /// with test gas at installation (docs/installer-guide.md). Integer arithmetic only.
    /// </summary>
    public static class MqGas
    {
        /// <summary>Rs/R0 in clean air for the MQ-5 (datasheet), in thousandths.</summary>
        public const int CleanAirRatioPermille = 6500;

        // Rs/R0 (thousandths, descending) → ppm LPG. The first point pins clean air to 0 ppm.
        private static readonly int[] RatioPoints = { 6500, 700, 500, 400, 300, 220, 160 };
        private static readonly int[] PpmPoints = { 0, 200, 500, 1000, 2000, 5000, 10000 };

        /// <summary>
        /// Rs in ohms: the module's output (after a divider of <paramref name="dividerPermille"/>, the
        /// share of the module voltage that reaches the ADC) across load <paramref name="loadOhms"/>,
        /// heater/circuit supply <paramref name="supplyMillivolts"/>. Returns <see cref="SensorStatus.OutOfRange"/>
        /// when the reading cannot come from a working sensor (0 V: unplugged; at supply: shorted).
        /// </summary>
        public static int SensorOhms(int adcMicrovolts, int dividerPermille, int supplyMillivolts, int loadOhms, out int ohms)
        {
            ohms = 0;
            if (dividerPermille <= 0 || supplyMillivolts <= 0 || loadOhms <= 0) return SensorStatus.OutOfRange;
            long outputUv = (long)adcMicrovolts * 1000 / dividerPermille;
            long supplyUv = (long)supplyMillivolts * 1000;
            // Below 20 mV the module is not connected; within 20 mV of the supply Rs is effectively 0.
            if (outputUv < 20000 || outputUv > supplyUv - 20000) return SensorStatus.OutOfRange;
            long rs = (long)loadOhms * (supplyUv - outputUv) / outputUv;
            if (rs > int.MaxValue) return SensorStatus.OutOfRange;
            ohms = (int)rs;
            return SensorStatus.Ok;
        }

        /// <summary>R0 from a clean-air Rs.</summary>
        public static int R0FromCleanAir(int cleanAirOhms)
        {
            return (int)((long)cleanAirOhms * 1000 / CleanAirRatioPermille);
        }

        /// <summary>Parts per million LPG for Rs/R0; saturates at the chart's ends (0 and 10,000 ppm).</summary>
        public static int Ppm(int sensorOhms, int r0Ohms)
        {
            if (r0Ohms <= 0) return 0;
            long ratio = (long)sensorOhms * 1000 / r0Ohms;
            if (ratio >= RatioPoints[0]) return PpmPoints[0];
            for (int i = 1; i < RatioPoints.Length; i++)
            {
                if (ratio >= RatioPoints[i])
                {
                    long r1 = RatioPoints[i - 1], r2 = RatioPoints[i];
                    long p1 = PpmPoints[i - 1], p2 = PpmPoints[i];
                    return (int)(p1 + (p2 - p1) * (r1 - ratio) / (r1 - r2));
                }
            }
            return PpmPoints[PpmPoints.Length - 1];
        }
    }
}
