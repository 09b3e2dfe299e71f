using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Inputs;

public class AnalogSensorTests
{
    private static SensorConfig Temp() => new()
    {
        Id = "t", Kind = "temperature", Address = 68, IntervalSeconds = 1, HighThreshold = 400, LowThreshold = 50, Hysteresis = 10, FailuresBeforeFault = 3
    };

    [Fact]
    public void A_failed_read_is_a_failure_never_the_old_value()
    {
        var reader = new FakeSensorReader();
        var s = new AnalogSensor(Temp(), 0);
        reader.Set("t", 231);
        s.Tick(0, reader);
        Assert.True(s.HasValue);
        Assert.Equal(231, s.Value);
        reader.Fail("t", SensorStatus.ChecksumError);
        s.Tick(1000, reader);
        Assert.False(s.HasValue);
        Assert.Equal(SensorStatus.ChecksumError, s.LastStatus);
        Assert.False(s.IsFaulty);
        s.Tick(2000, reader);
        int changed = s.Tick(3000, reader);
        Assert.True(s.IsFaulty);
        Assert.Equal(AnalogSensor.ChangedFault, changed);
        reader.Heal("t");
        Assert.Equal(AnalogSensor.ChangedFault, s.Tick(4000, reader));
        Assert.False(s.IsFaulty);
    }

    [Fact]
    public void Reads_only_when_the_interval_has_passed()
    {
        var reader = new FakeSensorReader();
        var s = new AnalogSensor(Temp(), 0);
        s.Tick(0, reader);
        s.Tick(500, reader);
        s.Tick(999, reader);
        Assert.Equal(1, reader.Reads);
        s.Tick(1000, reader);
        Assert.Equal(2, reader.Reads);
    }

    [Fact]
    public void Cold_and_heat_use_hysteresis()
    {
        var reader = new FakeSensorReader();
        var s = new AnalogSensor(Temp(), 0);
        long t = 0;
        int Read(int v) { reader.Set("t", v); return s.Tick(t += 1000, reader); }
        Assert.Equal(AnalogSensor.ChangedLow, Read(50));
        Assert.Equal(0, Read(55));
        Assert.Equal(AnalogSensor.ChangedLow, Read(60));
        Assert.Equal(AnalogSensor.ChangedHigh, Read(400));
        Assert.Equal(0, Read(395));
        Assert.Equal(AnalogSensor.ChangedHigh, Read(390));
    }
}
