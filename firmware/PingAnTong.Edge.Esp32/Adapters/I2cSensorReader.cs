using System;
using System.Device.I2c;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Esp32.Adapters
{
    /// <summary>
    /// Reads the I2C sensors for the hub loop without ever sleeping in it: temperature sensors are
    /// triggered after each read and fetched at the next one (the interval is seconds, the conversion
    /// tens of milliseconds), the ADS1115 converts continuously. The chip is chosen by address:
    /// 0x44/0x45 SHT3x, 0x38 AHT20, 0x48-0x4B ADS1115 with an MQ-5 on AIN0. Every transfer's status is
    /// checked and every frame's CRC (SensorDecoding); a failed read returns a failure status, never an
    /// old value.
    /// </summary>
    public sealed class I2cSensorReader : ISensorReader
    {
        // MQ-5 module wiring (hardware/README.md): module at 5 V with a 10 kΩ load resistor, its output
        // through a 10 kΩ / 20 kΩ divider (2/3) into AIN0 so the ADS1115 at 3.3 V never sees more than 3.3 V.
        private const int MqSupplyMillivolts = 5000;
        private const int MqLoadOhms = 10000;
        private const int MqDividerPermille = 667;

        private readonly IClock _clock;
        private readonly IDurableStore _store;
        private readonly string[] _ids = new string[4];
        private readonly I2cDevice[] _devices = new I2cDevice[4];
        private readonly bool[] _armed = new bool[4];
        private readonly MqGasCalibration[] _gas = new MqGasCalibration[4];
        private readonly byte[] _frame = new byte[7];
        private readonly byte[] _two = new byte[2];
        private readonly byte[] _one = new byte[1];

        public I2cSensorReader(IClock clock, IDurableStore store)
        {
            _clock = clock;
            _store = store;
        }

        /// <summary>Starts the first conversions, so the first read by the hub has data.</summary>
        public void Prime(SensorConfig[] sensors)
        {
            for (int i = 0; i < sensors.Length; i++)
            {
                int slot = Slot(sensors[i]);
                if (slot < 0) continue;
                try
                {
                    Arm(sensors[i], slot);
                }
                catch (Exception)
                {
                    _armed[slot] = false; // the first read reports the failure
                }
            }
        }

        public int Read(SensorConfig sensor, out int value)
        {
            value = 0;
            int slot = Slot(sensor);
            if (slot < 0) return SensorStatus.BusError;
            try
            {
                if (IsSht3x(sensor.Address) || sensor.Address == 0x38) return ReadTemperature(sensor, slot, out value);
                if (sensor.Address >= 0x48 && sensor.Address <= 0x4B) return ReadGas(sensor, slot, out value);
                return SensorStatus.BusError;
            }
            catch (Exception)
            {
                _armed[slot] = false;
                return SensorStatus.BusError;
            }
        }

        /// <summary>Fetches the conversion triggered at the previous read (SHT3x 6 bytes, AHT20 7), decodes it, and triggers the next.</summary>
        private int ReadTemperature(SensorConfig sensor, int slot, out int value)
        {
            value = 0;
            bool sht = IsSht3x(sensor.Address);
            int status = SensorStatus.NoAnswer;
            if (_armed[slot])
            {
                I2cTransferResult r = _devices[slot].Read(new SpanByte(_frame, 0, sht ? 6 : 7));
                if (r.Status == I2cTransferStatus.FullTransfer)
                {
                    status = sht
                        ? SensorDecoding.Sht3xTemperature(_frame, (int)r.BytesTransferred, out value)
                        : SensorDecoding.Aht20Temperature(_frame, (int)r.BytesTransferred, out value);
                }
            }
            Arm(sensor, slot);
            return status;
        }

        private int ReadGas(SensorConfig sensor, int slot, out int value)
        {
            value = 0;
            I2cDevice d = _devices[slot];
            if (!_armed[slot])
            {
                Arm(sensor, slot);
                return SensorStatus.NoAnswer;
            }
            // The config register must still hold our setting; after a brown-out the chip is back to defaults.
            // A WriteRead's BytesTransferred counts the pointer byte written too (3 here on the ESP32,
            // sys_dev_i2c_native_System_Device_I2c_I2cDevice.cpp), so the decoders get the bytes read: a full
            // transfer filled the whole read buffer.
            I2cTransferResult r = d.WriteRead(new SpanByte(SensorDecoding.Ads1115PointConfig), new SpanByte(_two));
            if (r.Status != I2cTransferStatus.FullTransfer) return SensorStatus.NoAnswer;
            if (!SensorDecoding.Ads1115Configured(_two, _two.Length))
            {
                Arm(sensor, slot);
                return SensorStatus.NoAnswer;
            }
            r = d.WriteRead(new SpanByte(SensorDecoding.Ads1115PointConversion), new SpanByte(_two));
            if (r.Status != I2cTransferStatus.FullTransfer) return SensorStatus.NoAnswer;
            int microvolts;
            int status = SensorDecoding.Ads1115Microvolts(_two, _two.Length, out microvolts);
            if (status != SensorStatus.Ok) return status;
            int ohms;
            status = MqGas.SensorOhms(microvolts, MqDividerPermille, MqSupplyMillivolts, MqLoadOhms, out ohms);
            if (status != SensorStatus.Ok) return status;
            if (_gas[slot] == null) _gas[slot] = new MqGasCalibration(_store, sensor.Id);
            value = _gas[slot].Ppm(ohms, _clock.UptimeMs, sensor.WarmupSeconds);
            return SensorStatus.Ok;
        }

        /// <summary>Starts the next conversion (temperature) or writes the continuous setting (ADS1115).</summary>
        private void Arm(SensorConfig sensor, int slot)
        {
            I2cDevice d = _devices[slot];
            I2cTransferResult r;
            if (IsSht3x(sensor.Address))
            {
                r = d.Write(new SpanByte(SensorDecoding.Sht3xMeasure));
            }
            else if (sensor.Address == 0x38)
            {
                r = d.Read(new SpanByte(_one));
                if (r.Status == I2cTransferStatus.FullTransfer && (_one[0] & SensorDecoding.Aht20CalibratedBit) == 0)
                {
                    d.Write(new SpanByte(SensorDecoding.Aht20Initialise));
                }
                r = d.Write(new SpanByte(SensorDecoding.Aht20Trigger));
            }
            else
            {
                r = d.Write(new SpanByte(SensorDecoding.Ads1115ContinuousAin0));
            }
            _armed[slot] = r.Status == I2cTransferStatus.FullTransfer;
        }

        private static bool IsSht3x(int address)
        {
            return address == 0x44 || address == 0x45;
        }

        /// <summary>The cached device of a sensor, opened on first use (bus "i2c1" is I2C bus 1).</summary>
        private int Slot(SensorConfig sensor)
        {
            for (int i = 0; i < _ids.Length; i++)
            {
                if (_ids[i] == sensor.Id) return i;
            }
            for (int i = 0; i < _ids.Length; i++)
            {
                if (_ids[i] != null) continue;
                int bus = sensor.Bus == "i2c2" ? 2 : 1;
                _devices[i] = I2cDevice.Create(new I2cConnectionSettings(bus, sensor.Address, I2cBusSpeed.StandardMode));
                _ids[i] = sensor.Id;
                return i;
            }
            return -1;
        }
    }
}
