// Mirrors nanoFramework.Hardware.Esp32 1.6.40 (assembly nanoFramework.Hardware.Esp32). Signatures and enum
// values: tests/api-listings/nanoFramework.Hardware.Esp32.txt (checked by FacadeListingTests; DeviceFunction
// = DeviceType * 0x10000 + index * 0x100 + function in the source). Only the members used.
// Model: Configuration follows nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:targets/ESP32/_common/DeviceMapping_common.cpp
// (Models/PinMapModel.cs; SetPinFunction throws ArgumentException when Esp32_SetMappedDevicePins refuses, per
// targets/ESP32/_nanoCLR/nanoFramework.Hardware.ESP32/nanoFramework_hardware_esp32_native_Hardware_Esp32_Configuration.cpp);
// HighResTimer.GetCurrent is esp_timer_get_time (nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:targets/ESP32/_nanoCLR/nanoFramework.Hardware.ESP32/nanoFramework_hardware_esp32_native_Hardware_Esp32_HighResTimer.cpp),
// the virtual clock's microseconds since boot. HighResTimer instances (one-shot/periodic callbacks) are not modelled.
using PingAnTong.Edge.NanoFacades;

namespace nanoFramework.Hardware.Esp32
{
    [Mirrors("nanoFramework.Hardware.Esp32", "1.6.40")]
    public enum DeviceFunction
    {
        I2C1_DATA = 0x20100,
        I2C1_CLOCK = 0x20101,
        COM2_TX = 0x30200,
        COM2_RX = 0x30201,
        PWM1 = 0x40100,
        PWM2 = 0x40200,
    }

    [Mirrors("nanoFramework.Hardware.Esp32", "1.6.40")]
    public class Configuration
    {
        public static void SetPinFunction(int pin, DeviceFunction value)
        {
            if (!VirtualEsp32.PinMap.Set(pin, (int)value)) throw new System.ArgumentException("GPIO" + pin.ToString() + " cannot take function " + ((int)value).ToString() + " (CLR_E_INVALID_PARAMETER)");
        }

        public static int GetFunctionPin(DeviceFunction function) { return VirtualEsp32.PinMap.Get((int)function); }
    }

    [Mirrors("nanoFramework.Hardware.Esp32", "1.6.40")]
    public class HighResTimer : System.IDisposable
    {
        public HighResTimer() { throw Facade.NotOnDevice(); }
        /// <summary>Microseconds since boot (esp_timer_get_time): monotonic, unaffected by SNTP.</summary>
        public static ulong GetCurrent()
        {
            VirtualEsp32.CheckCaller();
            return (ulong)VirtualEsp32.Clock.NowMicroseconds;
        }
        public void Dispose() { throw Facade.NotOnDevice(); }
    }
}
