extern alias device;
using device::PingAnTong.Edge.NanoFacades;
using Xunit;
using NanoPower = device::nanoFramework.Runtime.Native.Power;
using NanoRebootOption = device::nanoFramework.Runtime.Native.RebootOption;
using NanoSerialPort = device::System.IO.Ports.SerialPort;

namespace PingAnTong.Edge.DeviceTests.Models;

/// <summary>The serial and power models (see Models/SerialModel.cs, Models/PowerModel.cs).</summary>
public class RuntimeModelTests : DeviceTest
{
    [Fact]
    public void Serial_read_waits_for_exactly_count_bytes_and_otherwise_times_out_leaving_them()
    {
        using var port = new NanoSerialPort("COM2", 115200);
        port.ReadTimeout = 100;
        port.Open();
        var far = VirtualEsp32.Serial.Port("COM2");
        Assert.True(far.IsOpen);
        far.Send("abc");
        Assert.Equal(3, port.BytesToRead);
        var buffer = new byte[64];
        Assert.Throws<TimeoutException>(() => port.Read(buffer, 0, buffer.Length));
        Assert.Equal(3, port.BytesToRead);
        Assert.Equal(3, port.Read(buffer, 0, 3));
        Assert.Equal((byte)'c', buffer[2]);
        port.Write(new byte[] { (byte)'o', (byte)'k' }, 0, 2);
        Assert.Equal("ok", far.TakeReceived());
        Assert.Throws<InvalidOperationException>(() => port.Open());
    }

    [Fact]
    public void RebootDevice_reboots_the_device_keeps_flash_and_never_returns()
    {
        VirtualEsp32.Flash.Deploy("I:\\kept", new byte[] { 1 });
        VirtualEsp32.Clock.Advance(5000);
        bool hookRan = false;
        VirtualEsp32.Power.OnReboot = () => hookRan = true;
        Assert.Throws<VirtualDeviceRebootedException>(() => NanoPower.RebootDevice(NanoRebootOption.NormalReboot));
        Assert.True(hookRan);
        Assert.Equal(1, VirtualEsp32.Power.RebootCount);
        Assert.Equal(5000, VirtualEsp32.Power.LastRebootAtMs);
        Assert.Equal(0, VirtualEsp32.Clock.NowMilliseconds);
        Assert.NotNull(VirtualEsp32.Flash.ReadFile("I:\\kept"));
    }

    [Fact]
    public void RebootDevice_parks_a_device_thread_for_good()
    {
        var returned = false;
        var thread = new Thread(() => { NanoPower.RebootDevice(); returned = true; }) { IsBackground = true };
        thread.Start();
        Assert.True(Eventually(() => VirtualEsp32.Power.RebootCount == 1));
        Assert.False(thread.Join(200));
        Assert.False(returned);
    }
}
