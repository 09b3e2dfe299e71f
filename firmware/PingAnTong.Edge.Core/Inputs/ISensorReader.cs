using PingAnTong.Edge.Core.Config;

namespace PingAnTong.Edge.Core.Inputs
{
    /// <summary>
    /// Reads analog/I2C sensors (ADS1115 + MQ gas sensor, SHT3x/AHT20 temperature on the device;
    /// simulated values with injectable faults in the simulator). Returns a <see cref="SensorStatus"/>;
    /// <paramref name="value"/> is meaningful only when the status is Ok — a failed read must
    /// never hand back the previous value.
    /// </summary>
    public interface ISensorReader
    {
        int Read(SensorConfig sensor, out int value);
    }
}
