using System;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// Which GPIO each peripheral function uses (Configuration.SetPinFunction / GetFunctionPin). A function
    /// value is 0x00DDIIFF: device type DD (1 SPI, 2 I2C, 3 serial, 4 LED PWM), bus index II from 1, pin
    /// function FF. Defaults after boot: I2C1 on GPIO18/19, I2C2 on 25/26, COM1 on 1/3, COM2 and COM3 and
    /// all 16 PWM channels unassigned (-1). Model of
    /// nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:targets/ESP32/_common/ESP32_DeviceMapping.cpp
    /// (default maps), targets/ESP32/_common/DeviceMapping_common.cpp
    /// (Esp32_SetMappedDevicePins: I2C and serial TX need an output-capable GPIO, a PWM channel takes any
    /// pin; an unknown type returns false, which Configuration.SetPinFunction turns into ArgumentException,
    /// nanoFramework_hardware_esp32_native_Hardware_Esp32_Configuration.cpp), targets/ESP32/_include/Esp32_DeviceMapping.h.
    /// </summary>
    public sealed class PinMapModel
    {
        internal const int TypeGpio = 0, TypeSpi = 1, TypeI2c = 2, TypeSerial = 3, TypeLedPwm = 4;

        private readonly int[][] _i2c = { new int[2], new int[2] };
        private readonly int[][] _serial = { new int[4], new int[4], new int[4] };
        private readonly int[] _pwm = new int[16];

        /// <summary>The GPIO mapped to I2C bus <paramref name="bus"/> (1 or 2): index 0 data (SDA), 1 clock (SCL).</summary>
        public int I2cPin(int bus, int index) { lock (VirtualEsp32.Sync) { return _i2c[bus - 1][index]; } }

        /// <summary>The GPIO mapped to COM<paramref name="com"/> (1..3): index 0 TX, 1 RX, 2 RTS, 3 CTS; -1 unassigned.</summary>
        public int SerialPin(int com, int index) { lock (VirtualEsp32.Sync) { return _serial[com - 1][index]; } }

        /// <summary>The GPIO mapped to PWM<paramref name="channel"/> (1..16); -1 unassigned.</summary>
        public int PwmPin(int channel) { lock (VirtualEsp32.Sync) { return _pwm[channel - 1]; } }

        internal void Reset()
        {
            lock (VirtualEsp32.Sync)
            {
                _i2c[0][0] = 18; _i2c[0][1] = 19;
                _i2c[1][0] = 25; _i2c[1][1] = 26;
                _serial[0][0] = 1; _serial[0][1] = 3; _serial[0][2] = 22; _serial[0][3] = 19;
                for (int com = 1; com < 3; com++) for (int i = 0; i < 4; i++) _serial[com][i] = -1;
                for (int i = 0; i < _pwm.Length; i++) _pwm[i] = -1;
            }
        }

        /// <summary>Esp32_SetMappedDevicePins: false when the function or the pin is not acceptable.</summary>
        internal bool Set(int pin, int function)
        {
            int type = (function >> 16) & 0xFF;
            int bus = ((function >> 8) & 0xFF) - 1; // uint8_t in the source: bus 0 wraps to 255
            if (bus < 0) bus += 256;
            int index = function & 0xFF;
            lock (VirtualEsp32.Sync)
            {
                switch (type)
                {
                    case TypeGpio:
                        return true;
                    case TypeI2c:
                        if (bus < 2 && index <= 1 && GpioModel.IsValidOutput(pin))
                        {
                            _i2c[bus][index] = pin;
                            return true;
                        }
                        return false;
                    case TypeSerial:
                        if (bus < 3 && index < 4)
                        {
                            if ((index == 0 || index == 2) && !GpioModel.IsValidOutput(pin)) return false;
                            _serial[bus][index] = pin;
                            return true;
                        }
                        return false;
                    case TypeLedPwm:
                        if (bus <= 15)
                        {
                            _pwm[bus] = pin;
                            return true;
                        }
                        return false;
                    default:
                        return false;
                }
            }
        }

        /// <summary>Esp32_GetMappedDevicePinsWithFunction: the pin or -1.</summary>
        internal int Get(int function)
        {
            int type = (function >> 16) & 0xFF;
            int bus = ((function >> 8) & 0xFF) - 1;
            int index = function & 0xFF;
            if (bus < 0) return -1;
            lock (VirtualEsp32.Sync)
            {
                switch (type)
                {
                    case TypeI2c: return bus < 2 && index <= 1 ? _i2c[bus][index] : -1;
                    case TypeSerial: return bus < 3 && index < 4 ? _serial[bus][index] : -1;
                    case TypeLedPwm: return bus < 16 ? _pwm[bus] : -1;
                    default: return -1;
                }
            }
        }
    }
}
