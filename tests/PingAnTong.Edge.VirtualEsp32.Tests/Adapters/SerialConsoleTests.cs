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

    [Fact]
    public void A_line_longer_than_the_buffer_is_refused_whole_not_run_cut_off()
    {
        var console = new SerialConsole("COM2", 17, 16);
        console.Open();
        var technician = VirtualEsp32.Serial.Port("COM2");
        // 256 bytes of a harmless-looking command, then more: before, the first 256 bytes went to the hub as a line.
        technician.Send("status " + new string('x', 300) + "\r\n");
        Assert.NotNull(technician.WaitFor("error: line longer than 256 bytes, ignored", 3000));
        Assert.DoesNotContain("the hub is still starting", technician.TakeReceived());
        technician.Send("status\r\n"); // the next line is read as usual
        Assert.NotNull(technician.WaitFor("error: the hub is still starting", 3000));
    }
}
