extern alias device;
using device::PingAnTong.Edge.Esp32.Adapters;
using device::PingAnTong.Edge.NanoFacades;
using device::System.Device.Gpio;
using PingAnTong.Edge.Core.Alarms;
using Xunit;

namespace PingAnTong.Edge.DeviceTests.Adapters;

/// <summary>GpioIndicator (the device adapter, unmodified by the test) on the virtual GPIO and PWM. Its own 50 ms timer runs in real time and reads the virtual clock.</summary>
public class GpioIndicatorTests : DeviceTest
{
    private const int LedPin = 2, BuzzerPin = 4;

    [Fact]
    public void An_alarm_sounds_the_buzzer_in_its_pattern()
    {
        var indicator = new GpioIndicator(new GpioController(), LedPin, BuzzerPin, new DeviceClock());
        try
        {
            indicator.Show(Indication.Raised); // beep 150 ms of every second
            Assert.True(Eventually(() => VirtualEsp32.Pwm.Active(BuzzerPin)), "the buzzer never sounded");
            Assert.Equal(2700, VirtualEsp32.Pwm.OutputFrequency(BuzzerPin));
            Assert.Equal(0.5, VirtualEsp32.Pwm.OutputDuty(BuzzerPin));
            Assert.True(Eventually(() => VirtualEsp32.Gpio.Level(LedPin)));

            VirtualEsp32.Clock.Advance(200);
            Assert.True(Eventually(() => !VirtualEsp32.Pwm.Active(BuzzerPin)), "the buzzer did not stop between beeps");
            VirtualEsp32.Clock.Advance(850);
            Assert.True(Eventually(() => VirtualEsp32.Pwm.Active(BuzzerPin)), "the second beep did not come");

            indicator.Show(Indication.Idle);
            Assert.True(Eventually(() => !VirtualEsp32.Pwm.Active(BuzzerPin)));
            Assert.True(Stays(() => !VirtualEsp32.Pwm.Active(BuzzerPin)));
        }
        finally
        {
            indicator.Dispose();
        }
    }

    [Fact]
    public void Disposing_the_indicator_silences_the_buzzer()
    {
        var indicator = new GpioIndicator(new GpioController(), LedPin, BuzzerPin, new DeviceClock());
        indicator.Show(Indication.NotDelivered); // long beeps
        Assert.True(Eventually(() => VirtualEsp32.Pwm.Active(BuzzerPin)));
        indicator.Dispose();
        Assert.False(VirtualEsp32.Pwm.Active(BuzzerPin)); // Dispose alone would leave the LEDC output running
    }
}
