using System;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// TI ADS1115 16-bit ADC at register level (datasheet SBAS444D, Dec 2018). The first byte of a write sets
    /// the address pointer (§9.6.1: bits 1:0 select conversion 0x00, config 0x01, Lo_thresh 0x02, Hi_thresh 0x03);
    /// two more bytes write that register MSB first (§9.5.3, Figure 36); a read returns the pointed register MSB
    /// first (Figure 37). Reset values (§9.6): conversion 0x0000, config 0x8583 (single-shot, AIN0-AIN1, ±2.048 V,
    /// 128 SPS), Lo 0x8000, Hi 0x7FFF. Config fields (Table 8): OS bit 15, MUX 14:12, PGA 11:9, MODE 8, DR 7:5,
    /// comparator 4:0. Conversion (§9.3.3, Table 3): code = V / FSR * 2^15, clipped to 0x8000..0x7FFF; a result
    /// is there one conversion period (1/DR) after the mode was set. In continuous mode the device is always
    /// converting, so OS reads 0; in single-shot mode writing OS=1 starts one conversion and OS reads 1 when done.
    /// Inputs are volts a test sets on AIN0..AIN3 against GND; <see cref="PowerCycle"/> is a brown-out.
    /// </summary>
    public sealed class Ads1115Model : I2cChip
    {
        public const int ConfigResetValue = 0x8583;
        private static readonly double[] FullScaleVolts = { 6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256 };
        private static readonly int[] SamplesPerSecond = { 8, 16, 32, 64, 128, 250, 475, 860 };

        private readonly double[] _ain = new double[4];
        private int _pointer;
        private int _config = ConfigResetValue;
        private int _lo = 0x8000;
        private int _hi = 0x7FFF;
        private int _conversion;
        private long _modeSetUs;
        private long _singleShotDoneUs = -1;

        public Ads1115Model(int address) : base(address)
        {
        }

        /// <summary>Sets the voltage on AIN<paramref name="channel"/> (0..3) against GND.</summary>
        public void SetInputVolts(int channel, double volts)
        {
            lock (VirtualEsp32.Sync) { _ain[channel] = volts; }
        }

        /// <summary>The config register as the chip holds it (for assertions).</summary>
        public int Config { get { lock (VirtualEsp32.Sync) { return _config; } } }

        /// <summary>Supply dip: every register back to its reset value.</summary>
        public void PowerCycle()
        {
            lock (VirtualEsp32.Sync)
            {
                _pointer = 0;
                _config = ConfigResetValue;
                _lo = 0x8000;
                _hi = 0x7FFF;
                _conversion = 0;
                _singleShotDoneUs = -1;
            }
        }

        /// <summary>The conversion code the chip would give for the current inputs and config.</summary>
        public int ExpectedCode()
        {
            lock (VirtualEsp32.Sync) { return Convert(); }
        }

        protected internal override bool OnWrite(byte[] data, int count)
        {
            if (count == 0) return true;
            if ((data[0] & 0xFC) != 0) RecordUnhandled("pointer byte 0x" + HexByte(data[0]) + " has reserved bits set");
            _pointer = data[0] & 0x03;
            if (count == 1) return true;
            if (count == 2)
            {
                RecordUnhandled("write of one data byte to register " + _pointer.ToString() + " (a register takes two)");
                return true;
            }
            if (count > 3) RecordUnhandled("write of " + (count - 1).ToString() + " data bytes to register " + _pointer.ToString() + " (only the first two are used)");
            int value = (data[1] << 8) | data[2];
            switch (_pointer)
            {
                case 0:
                    RecordUnhandled("write to the read-only conversion register");
                    break;
                case 1:
                    WriteConfig(value);
                    break;
                case 2:
                    _lo = value;
                    break;
                default:
                    _hi = value;
                    break;
            }
            return true;
        }

        protected internal override bool OnRead(byte[] buffer, int count)
        {
            int value;
            switch (_pointer)
            {
                case 0: value = ConversionRegister(); break;
                case 1: value = ConfigRegister(); break;
                case 2: value = _lo; break;
                default: value = _hi; break;
            }
            if (count > 2) RecordUnhandled("read of " + count.ToString() + " bytes (a register has two)");
            for (int i = 0; i < count; i++) buffer[i] = (byte)(i % 2 == 0 ? (value >> 8) & 0xFF : value & 0xFF);
            return true;
        }

        private bool Continuous { get { return (_config & 0x0100) == 0; } }

        private long PeriodUs { get { return 1000000L / SamplesPerSecond[(_config >> 5) & 0x07]; } }

        private void WriteConfig(int value)
        {
            bool startSingle = (value & 0x8000) != 0 && (value & 0x0100) != 0;
            _config = value & 0x7FFF;
            _modeSetUs = NowUs;
            if ((value & 0x0100) == 0)
            {
                _singleShotDoneUs = -1;
            }
            else if (startSingle)
            {
                _singleShotDoneUs = NowUs + PeriodUs;
            }
        }

        private int ConfigRegister()
        {
            if (Continuous) return _config & 0x7FFF;
            bool done = _singleShotDoneUs < 0 || NowUs >= _singleShotDoneUs;
            return (_config & 0x7FFF) | (done ? 0x8000 : 0);
        }

        private int ConversionRegister()
        {
            if (Continuous)
            {
                if (NowUs - _modeSetUs >= PeriodUs) _conversion = Convert() & 0xFFFF;
            }
            else if (_singleShotDoneUs >= 0 && NowUs >= _singleShotDoneUs)
            {
                _conversion = Convert() & 0xFFFF;
                _singleShotDoneUs = -1;
            }
            return _conversion;
        }

        private int Convert()
        {
            double volts;
            switch ((_config >> 12) & 0x07)
            {
                case 0: volts = _ain[0] - _ain[1]; break;
                case 1: volts = _ain[0] - _ain[3]; break;
                case 2: volts = _ain[1] - _ain[3]; break;
                case 3: volts = _ain[2] - _ain[3]; break;
                default: volts = _ain[((_config >> 12) & 0x07) - 4]; break;
            }
            int code = Round(volts / FullScaleVolts[(_config >> 9) & 0x07] * 32768.0);
            if (code > 32767) code = 32767;
            if (code < -32768) code = -32768;
            return code;
        }
    }
}
