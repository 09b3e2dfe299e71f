extern alias device;
using device::PingAnTong.Edge.Esp32.Adapters;
using device::PingAnTong.Edge.NanoFacades;
using Xunit;

namespace PingAnTong.Edge.DeviceTests.Adapters;

/// <summary>SerialConsole (the device adapter, unmodified by the test) on the virtual COM2, with a technician at the far end.</summary>
public class SerialConsoleTests : DeviceTest
{
    [Fact]
    public void A_typed_line_is_answered_without_waiting_for_a_full_buffer()
    {
        var console = new SerialConsole("COM2", 17, 16);
        console.Open();
        var technician = VirtualEsp32.Serial.Port("COM2");
        Assert.Equal(115200, technician.BaudRate);
        Assert.Equal(17, technician.TxPin);
        Assert.Equal(16, technician.RxPin);

        technician.Send("status\r\n"); // 8 bytes: the ESP32's Read(buffer, 0, 64) would wait for 64
        Assert.NotNull(technician.WaitFor("error: the hub is still starting", 3000));
        Assert.Equal(0, technician.Pending);

        console.WriteLine("log line");
        Assert.NotNull(technician.WaitFor("log line\r\n", 1000));
    }
}
