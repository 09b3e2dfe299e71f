namespace PingAnTong.Edge.Core.Inputs
{
    /// <summary>
    /// The arithmetic of the I2C sensors the hub supports, kept here (pure, testable on .NET) so the
    /// device adapters only move bytes. Every decoder returns <see cref="SensorStatus"/>; a value is
    /// produced only for a frame that passed its checks, never a previous or partial one.
    /// Datasheets: Sensirion SHT3x-DIS (single shot 0x2400, CRC-8 0x31/0xFF), Aosong AHT20
    /// (trigger 0xAC 0x33 0x00, status bit 7 busy, bit 3 calibrated, CRC-8 0x31/0xFF), TI ADS1115
    /// (config register 0x01, conversion register 0x00, 16-bit two's complement).
    /// </summary>
    public static class SensorDecoding
    {
        /// <summary>SHT3x single-shot, high repeatability, no clock stretching; the result (6 bytes) is read at least 16 ms later.
        /// The device triggers the next measurement after each read, so the hub loop never waits on a sensor.</summary>
        public static readonly byte[] Sht3xMeasure = { 0x24, 0x00 };
        public const int Sht3xWaitMs = 16;
        /// <summary>AHT20: trigger a measurement; the result (7 bytes) is read at least 80 ms later (triggered ahead, as for the SHT3x).</summary>
        public static readonly byte[] Aht20Trigger = { 0xAC, 0x33, 0x00 };
        /// <summary>AHT20: load calibration when the status byte lacks the calibrated bit.</summary>
        public static readonly byte[] Aht20Initialise = { 0xBE, 0x08, 0x00 };
        public const int Aht20WaitMs = 80;
        public const int Aht20BusyBit = 0x80;
        public const int Aht20CalibratedBit = 0x08;
        /// <summary>ADS1115 continuous conversion on AIN0 against GND, ±4.096 V, 128 samples/s, comparator off: written to register 0x01 once; each read then takes the latest conversion without waiting.</summary>
        public static readonly byte[] Ads1115ContinuousAin0 = { 0x01, 0x42, 0x83 };
        public static readonly byte[] Ads1115PointConfig = { 0x01 };
        public static readonly byte[] Ads1115PointConversion = { 0x00 };
        /// <summary>One LSB at ±4.096 V full scale is 125 µV.</summary>
        public const int Ads1115MicrovoltsPerLsb = 125;

        /// <summary>CRC-8 as Sensirion and Aosong define it: polynomial 0x31, initial 0xFF, no reflection.</summary>
        public static byte Crc8(byte[] data, int offset, int count)
        {
            int crc = 0xFF;
            for (int i = offset; i < offset + count; i++)
            {
                crc ^= data[i];
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x31) & 0xFF : (crc << 1) & 0xFF;
                }
            }
            return (byte)crc;
        }

        /// <summary>Decodes an SHT3x frame (T msb, T lsb, crc, RH msb, RH lsb, crc) to tenths of °C.</summary>
        public static int Sht3xTemperature(byte[] frame, int length, out int tenthsC)
        {
            tenthsC = 0;
            if (frame == null || length != 6) return SensorStatus.NoAnswer;
            if (Crc8(frame, 0, 2) != frame[2] || Crc8(frame, 3, 2) != frame[5]) return SensorStatus.ChecksumError;
            int raw = (frame[0] << 8) | frame[1];
            // T = -45 + 175 * raw / 65535 °C, in tenths, rounded half away from zero.
            tenthsC = (int)(((long)raw * 1750 * 2 + 65535) / (65535L * 2)) - 450;
            return SensorStatus.Ok;
        }

        /// <summary>Decodes an AHT20 frame (status, 5 data bytes, crc) to tenths of °C.</summary>
        public static int Aht20Temperature(byte[] frame, int length, out int tenthsC)
        {
            tenthsC = 0;
            if (frame == null || length != 7) return SensorStatus.NoAnswer;
            if (Crc8(frame, 0, 6) != frame[6]) return SensorStatus.ChecksumError;
            if ((frame[0] & Aht20BusyBit) != 0) return SensorStatus.NoAnswer; // still busy: no fresh value
            int raw = ((frame[3] & 0x0F) << 16) | (frame[4] << 8) | frame[5];
            // T = raw / 2^20 * 200 - 50 °C, in tenths.
            tenthsC = (int)(((long)raw * 2000 * 2 + 1048576) / (1048576L * 2)) - 500;
            return SensorStatus.Ok;
        }

        /// <summary>True when the ADS1115 config register (2 bytes read back) still holds our continuous setting; false after the chip reset itself (brown-out), so the host writes it again.</summary>
        public static bool Ads1115Configured(byte[] config, int length)
        {
            return config != null && length == 2 && (config[0] & 0x7F) == Ads1115ContinuousAin0[1] && config[1] == Ads1115ContinuousAin0[2];
        }

        /// <summary>The conversion register (2 bytes, big-endian two's complement) in microvolts at ±4.096 V.</summary>
        public static int Ads1115Microvolts(byte[] conversion, int length, out int microvolts)
        {
            microvolts = 0;
            if (conversion == null || length != 2) return SensorStatus.NoAnswer;
            int raw = (conversion[0] << 8) | conversion[1];
            if (raw >= 0x8000) raw -= 0x10000;
            microvolts = raw * Ads1115MicrovoltsPerLsb;
            return SensorStatus.Ok;
        }
    }
}
