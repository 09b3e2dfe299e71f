using System;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// Sensirion SHT3x-DIS humidity and temperature sensor as a command state machine (datasheet version 6,
    /// Dec 2019). Single-shot commands (Table 9): clock stretching disabled 0x2400/0x240B/0x2416 (high, medium,
    /// low repeatability), enabled 0x2C06/0x2C0D/0x2C10; measurement takes at most 15/6/4 ms (Table 4). Without
    /// clock stretching a read before the result is ready, or with no result pending, is not acknowledged
    /// (§4.4); with stretching the read waits. While measuring the sensor does not answer at all. Result
    /// (§4.4, Figure 12): T MSB, T LSB, CRC, RH MSB, RH LSB, CRC, with S_T = (T + 45) / 175 * 65535 and
    /// S_RH = RH / 100 * 65535 (§4.13) and CRC-8 0x31/0xFF (§4.12, CRC(0xBEEF) = 0x92); a result is read once.
    /// Also: soft reset 0x30A2, status read 0xF32D (2 bytes + CRC, §4.11), clear status 0x3041, heater
    /// 0x306D/0x3066. Periodic modes and other commands are recorded as unhandled and flag "last command not
    /// processed" in the status register.
    /// </summary>
    public sealed class Sht3xModel : I2cChip
    {
        private double _temperatureC = 21.0;
        private double _humidity = 45.0;
        private long _readyUs = -1;
        private bool _stretch;
        private byte[] _pending;
        private int _status = 0x8010; // alert pending + system reset detected after power-up
        private int _corruptCrc;

        public Sht3xModel(int address) : base(address)
        {
        }

        public double TemperatureC { get { lock (VirtualEsp32.Sync) { return _temperatureC; } } set { lock (VirtualEsp32.Sync) { _temperatureC = value; } } }

        public double HumidityPercent { get { lock (VirtualEsp32.Sync) { return _humidity; } } set { lock (VirtualEsp32.Sync) { _humidity = value; } } }

        /// <summary>The next <paramref name="frames"/> results carry a wrong temperature CRC.</summary>
        public void CorruptCrcNext(int frames)
        {
            lock (VirtualEsp32.Sync) { _corruptCrc += frames; }
        }

        /// <summary>The raw temperature word the sensor reports for <see cref="TemperatureC"/>.</summary>
        public int TemperatureWord { get { lock (VirtualEsp32.Sync) { return Word((_temperatureC + 45.0) / 175.0); } } }

        private bool Measuring { get { return _readyUs >= 0 && NowUs < _readyUs; } }

        protected internal override bool OnWrite(byte[] data, int count)
        {
            if (Measuring) return false;
            if (count < 2)
            {
                if (count == 1) RecordUnhandled("one command byte 0x" + HexByte(data[0]));
                return true;
            }
            int command = (data[0] << 8) | data[1];
            if (count > 2) RecordUnhandled("command 0x" + HexByte(data[0]) + HexByte(data[1]) + " followed by " + (count - 2).ToString() + " bytes");
            _status &= ~0x0002;
            switch (command)
            {
                case 0x2400: Start(15000, false); break;
                case 0x240B: Start(6000, false); break;
                case 0x2416: Start(4000, false); break;
                case 0x2C06: Start(15000, true); break;
                case 0x2C0D: Start(6000, true); break;
                case 0x2C10: Start(4000, true); break;
                case 0x30A2:
                    _pending = null;
                    _readyUs = -1;
                    _status = 0x0010;
                    break;
                case 0xF32D:
                    _pending = new byte[3];
                    _pending[0] = (byte)(_status >> 8);
                    _pending[1] = (byte)_status;
                    _pending[2] = Crc8(_pending, 0, 2);
                    _readyUs = -1;
                    break;
                case 0x3041: _status &= ~0x8C13; break;
                case 0x306D: _status |= 0x2000; break;
                case 0x3066: _status &= ~0x2000; break;
                default:
                    RecordUnhandled("command 0x" + HexByte(data[0]) + HexByte(data[1]));
                    _status |= 0x0002;
                    break;
            }
            return true;
        }

        protected internal override bool OnRead(byte[] buffer, int count)
        {
            if (Measuring)
            {
                if (!_stretch) return false;
                // Clock stretching: the master waits (far less than the ESP32's 1 s timeout).
                long ready = _readyUs;
                VirtualEsp32.Clock.WaitUntil(delegate { return NowUs >= ready; }, ready);
            }
            if (_readyUs >= 0 && NowUs >= _readyUs && _pending == null) _pending = Frame();
            if (_pending == null) return false;
            for (int i = 0; i < count; i++) buffer[i] = i < _pending.Length ? _pending[i] : (byte)0xFF;
            if (count > _pending.Length) RecordUnhandled("read of " + count.ToString() + " bytes (" + _pending.Length.ToString() + " available)");
            _pending = null;
            _readyUs = -1;
            return true;
        }

        private void Start(long durationUs, bool stretch)
        {
            _pending = null;
            _readyUs = NowUs + durationUs;
            _stretch = stretch;
        }

        private byte[] Frame()
        {
            byte[] f = new byte[6];
            int t = Word((_temperatureC + 45.0) / 175.0);
            int rh = Word(_humidity / 100.0);
            f[0] = (byte)(t >> 8);
            f[1] = (byte)t;
            f[2] = Crc8(f, 0, 2);
            f[3] = (byte)(rh >> 8);
            f[4] = (byte)rh;
            f[5] = Crc8(f, 3, 2);
            if (_corruptCrc > 0)
            {
                _corruptCrc--;
                f[2] ^= 0x5A;
            }
            return f;
        }

        private static int Word(double fraction)
        {
            int w = Round(fraction * 65535.0);
            if (w < 0) w = 0;
            if (w > 65535) w = 65535;
            return w;
        }
    }
}
