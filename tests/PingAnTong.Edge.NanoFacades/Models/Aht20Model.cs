using System;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// Aosong AHT20 humidity and temperature sensor as a command state machine (datasheet V1.0, 2020, §5.3-5.4).
    /// Every read starts with the status byte (bit 7 busy, bit 3 calibration enabled); a fresh chip reports 0x18.
    /// Trigger 0xAC 0x33 0x00 starts a measurement that keeps the busy bit set for 80 ms; then a 7-byte read gives
    /// status, 20 bits of humidity, 20 bits of temperature and a CRC-8 (0x31, initial 0xFF) over the first six
    /// bytes, with S_RH = RH / 100 * 2^20 and S_T = (T + 50) / 200 * 2^20 (§6). The chip answers during the
    /// measurement too (busy set, the previous data). 0xBE 0x08 0x00 loads the calibration (sets bit 3),
    /// 0xBA is a soft reset (20 ms), 0x71 asks for the status byte. Unknown commands are recorded as unhandled.
    /// </summary>
    public sealed class Aht20Model : I2cChip
    {
        public const int DefaultAddress = 0x38;
        private const long MeasureUs = 80000;
        private double _temperatureC = 21.0;
        private double _humidity = 45.0;
        private bool _calibrated = true;
        private long _busyUntilUs = -1;
        private readonly byte[] _data = new byte[5];
        private int _corruptCrc;

        public Aht20Model() : this(DefaultAddress)
        {
        }

        public Aht20Model(int address) : base(address)
        {
        }

        public double TemperatureC { get { lock (VirtualEsp32.Sync) { return _temperatureC; } } set { lock (VirtualEsp32.Sync) { _temperatureC = value; } } }

        public double HumidityPercent { get { lock (VirtualEsp32.Sync) { return _humidity; } } set { lock (VirtualEsp32.Sync) { _humidity = value; } } }

        /// <summary>False: the status byte lacks the calibration bit until the host sends 0xBE 0x08 0x00.</summary>
        public bool Calibrated { get { lock (VirtualEsp32.Sync) { return _calibrated; } } set { lock (VirtualEsp32.Sync) { _calibrated = value; } } }

        /// <summary>The next <paramref name="frames"/> reads carry a wrong CRC.</summary>
        public void CorruptCrcNext(int frames)
        {
            lock (VirtualEsp32.Sync) { _corruptCrc += frames; }
        }

        private bool Busy { get { return _busyUntilUs >= 0 && NowUs < _busyUntilUs; } }

        protected internal override bool OnWrite(byte[] data, int count)
        {
            if (count == 0) return true;
            if (count == 3 && data[0] == 0xAC && data[1] == 0x33 && data[2] == 0x00)
            {
                if (!Busy) Measure();
                return true;
            }
            if (count == 3 && data[0] == 0xBE && data[1] == 0x08 && data[2] == 0x00)
            {
                _calibrated = true;
                return true;
            }
            if (count == 1 && data[0] == 0xBA)
            {
                _busyUntilUs = NowUs + 20000;
                return true;
            }
            if (count == 1 && data[0] == 0x71) return true;
            RecordUnhandled("command " + Hex(data, count));
            return true;
        }

        protected internal override bool OnRead(byte[] buffer, int count)
        {
            byte[] frame = new byte[7];
            frame[0] = (byte)((Busy ? 0x80 : 0x00) | (_calibrated ? 0x08 : 0x00) | 0x10);
            Array.Copy(_data, 0, frame, 1, 5);
            frame[6] = Crc8(frame, 0, 6);
            if (count >= 7 && _corruptCrc > 0)
            {
                _corruptCrc--;
                frame[6] ^= 0x5A;
            }
            for (int i = 0; i < count; i++) buffer[i] = i < 7 ? frame[i] : (byte)0xFF;
            if (count > 7) RecordUnhandled("read of " + count.ToString() + " bytes (7 available)");
            return true;
        }

        /// <summary>Latches the current environment into the data bytes and sets busy for 80 ms.</summary>
        private void Measure()
        {
            int rh = Bits20(_humidity / 100.0);
            int t = Bits20((_temperatureC + 50.0) / 200.0);
            long start = NowUs;
            _busyUntilUs = start + MeasureUs;
            // The data bytes change when the measurement completes.
            VirtualEsp32.Clock.Schedule(MeasureUs, delegate
            {
                _data[0] = (byte)(rh >> 12);
                _data[1] = (byte)(rh >> 4);
                _data[2] = (byte)(((rh & 0x0F) << 4) | ((t >> 16) & 0x0F));
                _data[3] = (byte)(t >> 8);
                _data[4] = (byte)t;
            });
        }

        private static int Bits20(double fraction)
        {
            int v = Round(fraction * 1048576.0);
            if (v < 0) v = 0;
            if (v > 0xFFFFF) v = 0xFFFFF;
            return v;
        }
    }
}
