extern alias device;
using device::PingAnTong.Edge.NanoFacades;
using device::System.Device.Gpio;
using Xunit;

namespace PingAnTong.Edge.DeviceTests.Models;

/// <summary>The GPIO model against cpu_gpio.cpp and sys_dev_gpio_native_System_Device_Gpio_GpioPin.cpp (see Models/GpioModel.cs).</summary>
public class GpioModelTests : DeviceTest
{
    [Fact]
    public void A_pin_opens_once_and_an_invalid_pin_never()
    {
        using var gpio = new GpioController();
        var pin = gpio.OpenPin(25, PinMode.InputPullUp);
        Assert.Throws<InvalidOperationException>(() => gpio.OpenPin(25, PinMode.Input));
        Assert.Throws<InvalidOperationException>(() => gpio.OpenPin(20, PinMode.Input)); // no GPIO20 on the ESP32
        pin.Dispose();
        Assert.False(VirtualEsp32.Gpio.IsOpen(25));
        gpio.OpenPin(25, PinMode.Input).Dispose();
    }

    [Fact]
    public void Gpio34_to_39_are_input_only_and_a_refused_mode_leaves_the_pin_reserved()
    {
        using var gpio = new GpioController();
        Assert.False(gpio.IsPinModeSupported(34, PinMode.Output));
        Assert.True(gpio.IsPinModeSupported(34, PinMode.InputPullUp)); // accepted, though the pad has no pull resistor
        Assert.Throws<ArgumentException>(() => gpio.OpenPin(34, PinMode.Output));
        Assert.True(VirtualEsp32.Gpio.IsOpen(34)); // NativeInit reserved it before SetPinMode failed
        var sensor = gpio.OpenPin(35, PinMode.InputPullUp);
        Assert.Equal(PinValue.Low, sensor.Read()); // no internal pull-up on GPIO34-39: floating, read low here
    }

    [Fact]
    public void An_input_reads_its_pull_until_driven()
    {
        using var gpio = new GpioController();
        var up = gpio.OpenPin(25, PinMode.InputPullUp);
        var down = gpio.OpenPin(26, PinMode.InputPullDown);
        Assert.Equal(PinValue.High, up.Read());
        Assert.Equal(PinValue.Low, down.Read());
        VirtualEsp32.Gpio.Drive(25, false);
        Assert.Equal(PinValue.Low, up.Read());
        VirtualEsp32.Gpio.Release(25);
        Assert.Equal(PinValue.High, up.Read());
    }

    [Fact]
    public void ValueChanged_comes_on_the_interrupt_thread_with_the_edge_and_only_with_a_handler()
    {
        using var gpio = new GpioController();
        var pin = gpio.OpenPin(25, PinMode.InputPullUp);
        VirtualEsp32.Gpio.Drive(25, false); // no handler yet: the interrupt is not armed
        Assert.False(VirtualEsp32.Gpio.InterruptArmed(25));
        var seen = new List<(PinEventTypes Edge, int Thread)>();
        pin.ValueChanged += (s, e) => { lock (seen) seen.Add((e.ChangeType, Environment.CurrentManagedThreadId)); };
        Assert.True(VirtualEsp32.Gpio.InterruptArmed(25));
        VirtualEsp32.Gpio.Drive(25, true);
        VirtualEsp32.Gpio.Drive(25, false);
        Assert.True(VirtualEsp32.Events.WaitIdle(2000));
        Assert.Equal(new[] { PinEventTypes.Rising, PinEventTypes.Falling }, seen.Select(x => x.Edge));
        Assert.All(seen, x => Assert.NotEqual(Environment.CurrentManagedThreadId, x.Thread));
    }

    [Fact]
    public void Debounce_reports_one_edge_after_the_timer_if_the_level_held()
    {
        using var gpio = new GpioController();
        var pin = gpio.OpenPin(25, PinMode.InputPullUp);
        pin.DebounceTimeout = TimeSpan.FromMilliseconds(45); // 4 ticks of 10 ms
        var edges = new List<PinEventTypes>();
        pin.ValueChanged += (s, e) => { lock (edges) edges.Add(e.ChangeType); };
        Assert.Equal(45, VirtualEsp32.Gpio.DebounceMs(25));

        VirtualEsp32.Gpio.Drive(25, false); // press, with bounce
        VirtualEsp32.Gpio.Drive(25, true);
        VirtualEsp32.Gpio.Drive(25, false);
        VirtualEsp32.Clock.Advance(39);
        Assert.True(VirtualEsp32.Events.WaitIdle(2000));
        Assert.Empty(edges);
        VirtualEsp32.Clock.Advance(1); // 40 ms: the timer fires, the pad is still low
        Assert.True(VirtualEsp32.Events.WaitIdle(2000));
        Assert.Equal(new[] { PinEventTypes.Falling }, edges);

        VirtualEsp32.Gpio.Drive(25, true); // a glitch that is gone before the timer: nothing
        VirtualEsp32.Gpio.Drive(25, false);
        VirtualEsp32.Clock.Advance(100);
        Assert.True(VirtualEsp32.Events.WaitIdle(2000));
        Assert.Single(edges);
    }

    [Fact]
    public void Outputs_are_written_not_read_and_inputs_are_not_written()
    {
        using var gpio = new GpioController();
        var led = gpio.OpenPin(2, PinMode.Output);
        led.Write(PinValue.High);
        Assert.True(VirtualEsp32.Gpio.Level(2));
        Assert.Equal(PinValue.Low, led.Read()); // GPIO_MODE_OUTPUT: the input buffer is off
        Assert.Single(VirtualEsp32.Gpio.Writes(2));
        var input = gpio.OpenPin(25, PinMode.Input);
        Assert.Throws<ArgumentException>(() => input.Write(PinValue.High));
    }

    [Fact]
    public void A_pin_from_before_a_reboot_is_dead()
    {
        using var gpio = new GpioController();
        var pin = gpio.OpenPin(25, PinMode.InputPullUp);
        VirtualEsp32.Reboot();
        Assert.False(VirtualEsp32.Gpio.IsOpen(25));
        Assert.Throws<VirtualDeviceRebootedException>(() => pin.Read());
    }
}
