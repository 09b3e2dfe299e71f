// Mirrors nanoFramework.Hardware.Esp32 1.6.40 (assembly nanoFramework.Hardware.Esp32). Signatures and enum
// values: tests/api-listings/nanoFramework.Hardware.Esp32.txt (checked by FacadeListingTests; DeviceFunction
// = DeviceType * 0x10000 + index * 0x100 + function in the source). Only the members used.
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
    }

    [Mirrors("nanoFramework.Hardware.Esp32", "1.6.40")]
    public class Configuration
    {
        public static void SetPinFunction(int pin, DeviceFunction value) { throw Facade.NotOnDevice(); }
        public static int GetFunctionPin(DeviceFunction function) { throw Facade.NotOnDevice(); }
    }

    [Mirrors("nanoFramework.Hardware.Esp32", "1.6.40")]
    public class HighResTimer : System.IDisposable
    {
        public HighResTimer() { throw Facade.NotOnDevice(); }
        /// <summary>Microseconds since boot (esp_timer_get_time): monotonic, unaffected by SNTP.</summary>
        public static ulong GetCurrent() { throw Facade.NotOnDevice(); }
        public void Dispose() { throw Facade.NotOnDevice(); }
    }
}
