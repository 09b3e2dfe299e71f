extern alias device;
using device::nanoFramework.Hardware.Esp32;
using device::PingAnTong.Edge.NanoFacades;
using device::System.Device.Pwm;
using Xunit;

namespace PingAnTong.Edge.DeviceTests.Models;

/// <summary>The PWM model against sys_dev_pwm_native_System_Device_Pwm_PwmChannel.cpp and PwmChannel.cs (see Models/PwmModel.cs).</summary>
public class PwmModelTests : DeviceTest
{
    [Fact]
    public void CreateFromPin_needs_the_pin_mapped_to_a_PWM_channel()
    {
        Assert.Null(PwmChannel.CreateFromPin(4, 2700, 0.5));
        Configuration.SetPinFunction(4, DeviceFunction.PWM1);
        Assert.Equal(4, Configuration.GetFunctionPin(DeviceFunction.PWM1));
        var channel = PwmChannel.CreateFromPin(4, 2700, 0.5);
        Assert.NotNull(channel);
        Assert.False(VirtualEsp32.Pwm.Running(4)); // nothing until Start
    }

    [Fact]
    public void Start_outputs_the_stored_duty_at_the_resolution_the_frequency_allows()
    {
        Configuration.SetPinFunction(4, DeviceFunction.PWM1);
        var channel = PwmChannel.CreateFromPin(4, 2700, 0.5);
        channel.Start();
        Assert.True(VirtualEsp32.Pwm.Running(4));
        Assert.Equal(2700, VirtualEsp32.Pwm.OutputFrequency(4));
        Assert.Equal(0.5, VirtualEsp32.Pwm.OutputDuty(4)); // 8192 of 2^14 at 2.7 kHz
        channel.Stop();
        Assert.False(VirtualEsp32.Pwm.Active(4));
        Assert.Equal(0.5, channel.DutyCycle);
    }

    [Fact]
    public void While_no_channel_is_started_a_duty_change_is_only_stored_and_Stop_clears_that_for_every_channel()
    {
        Configuration.SetPinFunction(4, DeviceFunction.PWM1);
        Configuration.SetPinFunction(5, DeviceFunction.PWM2);
        var buzzer = PwmChannel.CreateFromPin(4, 2700, 0.0);
        var other = PwmChannel.CreateFromPin(5, 2700, 0.2);
        buzzer.Start();
        other.Start();
        Assert.False(VirtualEsp32.Pwm.Active(4)); // running at duty 0
        buzzer.DutyCycle = 0.5; // isStarted set: applied at once
        Assert.True(VirtualEsp32.Pwm.Active(4));
        other.Stop(); // clears the global flag
        buzzer.DutyCycle = 0.0; // only stored now: the buzzer keeps sounding
        Assert.Equal(0.5, VirtualEsp32.Pwm.OutputDuty(4));
        Assert.Equal(0.0, buzzer.DutyCycle);
        buzzer.Start(); // the stored duty reaches the pin
        Assert.False(VirtualEsp32.Pwm.Active(4));
    }

    [Fact]
    public void Two_channels_of_one_timer_share_its_frequency()
    {
        Configuration.SetPinFunction(4, DeviceFunction.PWM1);
        Configuration.SetPinFunction(5, DeviceFunction.PWM2); // PWM1 and PWM2 are timer 0
        var buzzer = PwmChannel.CreateFromPin(4, 2700, 0.5);
        var led = PwmChannel.CreateFromPin(5, 1000, 0.5);
        buzzer.Start();
        led.Start();
        Assert.Equal(1000, VirtualEsp32.Pwm.OutputFrequency(4));
    }

    [Fact]
    public void Dispose_frees_the_channel_but_leaves_a_running_output_running()
    {
        Configuration.SetPinFunction(4, DeviceFunction.PWM1);
        var channel = PwmChannel.CreateFromPin(4, 2700, 0.5);
        channel.Start();
        channel.Dispose();
        Assert.True(VirtualEsp32.Pwm.Active(4));
    }

    [Fact]
    public void An_input_only_pin_cannot_be_a_PWM_output()
    {
        Configuration.SetPinFunction(34, DeviceFunction.PWM1); // the map takes any pin
        Assert.Throws<ArgumentException>(() => PwmChannel.CreateFromPin(34, 1000, 0.5));
    }
}
