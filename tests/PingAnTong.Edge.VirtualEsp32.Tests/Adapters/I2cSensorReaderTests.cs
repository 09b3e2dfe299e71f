extern alias device;
using device::nanoFramework.Hardware.Esp32;
using device::PingAnTong.Edge.Esp32.Adapters;
using device::PingAnTong.Edge.NanoFacades;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Inputs;
using Xunit;

namespace PingAnTong.Edge.DeviceTests.Adapters;

/// <summary>I2cSensorReader (the device adapter, unmodified) against the virtual I2C bus and chip models.</summary>
public class I2cSensorReaderTests : DeviceTest
{
    // The MQ-5 wiring of I2cSensorReader (hardware/README.md): 5 V module, 10 kΩ load, 2/3 divider into AIN0.
    private const int DividerPermille = 667, SupplyMillivolts = 5000, LoadOhms = 10000;

    private static readonly SensorConfig Gas = new() { Id = "gas", Kind = "gas", Bus = "i2c1", Address = 0x48, IntervalSeconds = 10, WarmupSeconds = 60, FailuresBeforeFault = 3 };
    private static readonly SensorConfig Temperature = new() { Id = "temp", Kind = "temperature", Bus = "i2c1", Address = 0x44, IntervalSeconds = 60, FailuresBeforeFault = 3 };

    /// <summary>The board: sensors on GPIO21/22, mapped as Program.Run maps them.</summary>
    private static I2cSensorReader Board(params I2cChip[] chips)
    {
        foreach (var chip in chips) VirtualEsp32.I2c.Wires(21, 22).Attach(chip);
        Configuration.SetPinFunction(21, DeviceFunction.I2C1_DATA);
        Configuration.SetPinFunction(22, DeviceFunction.I2C1_CLOCK);
        return new I2cSensorReader(new DeviceClock(), new FlashDurableStore("I:\\pat-"));
    }

    private static int Ohms(double ain0Volts)
    {
        int code = (int)Math.Round(ain0Volts / 4.096 * 32768);
        Assert.Equal(SensorStatus.Ok, MqGas.SensorOhms(code * SensorDecoding.Ads1115MicrovoltsPerLsb, DividerPermille, SupplyMillivolts, LoadOhms, out int ohms));
        return ohms;
    }

    [Fact]
    public void Gas_is_read_from_the_ADS1115_whose_WriteRead_reports_three_bytes()
    {
        var adc = new Ads1115Model(0x48);
        adc.SetInputVolts(0, 0.6); // clean air
        var reader = Board(adc);
        reader.Prime(new[] { Gas });
        Assert.Equal(0x4283, adc.Config); // continuous AIN0, ±4.096 V, 128 SPS

        VirtualEsp32.Clock.Advance(40000); // second half of the 60 s warm-up: the clean-air reference is learned
        Assert.Equal(SensorStatus.Ok, reader.Read(Gas, out int warming));
        Assert.Equal(0, warming);

        VirtualEsp32.Clock.Advance(30000);
        adc.SetInputVolts(0, 2.0); // gas: the sensor's resistance falls
        VirtualEsp32.Clock.Advance(8);
        Assert.Equal(SensorStatus.Ok, reader.Read(Gas, out int ppm));
        Assert.Equal(MqGas.Ppm(Ohms(2.0), MqGas.R0FromCleanAir(Ohms(0.6))), ppm);
        Assert.True(ppm > 0);
        var configRead = VirtualEsp32.I2c.Transactions.Last(t => t.Written.SequenceEqual(new byte[] { 0x01 }));
        Assert.Equal(3u, configRead.BytesTransferred);
    }

    [Fact]
    public void A_missing_or_browned_out_ADS1115_gives_no_value()
    {
        var adc = new Ads1115Model(0x48);
        adc.SetInputVolts(0, 2.0);
        var reader = Board(adc);
        reader.Prime(new[] { Gas });
        VirtualEsp32.Clock.Advance(61000);
        Assert.Equal(SensorStatus.Ok, reader.Read(Gas, out _));
        adc.PowerCycle(); // back to single-shot defaults: re-armed, no value this time
        Assert.Equal(SensorStatus.NoAnswer, reader.Read(Gas, out _));
        Assert.Equal(0x4283, adc.Config);
        VirtualEsp32.Clock.Advance(8);
        Assert.Equal(SensorStatus.Ok, reader.Read(Gas, out _));
        adc.Present = false;
        Assert.Equal(SensorStatus.NoAnswer, reader.Read(Gas, out int value));
        Assert.Equal(0, value);
    }

    [Fact]
    public void Sht3x_temperature_is_fetched_a_read_after_its_trigger_and_a_bad_crc_is_refused()
    {
        var sht = new Sht3xModel(0x44) { TemperatureC = 23.4 };
        var reader = Board(sht);
        reader.Prime(new[] { Temperature });
        VirtualEsp32.Clock.Advance(60000);
        Assert.Equal(SensorStatus.Ok, reader.Read(Temperature, out int tenths));
        Assert.Equal(234, tenths);
        sht.CorruptCrcNext(1);
        VirtualEsp32.Clock.Advance(60000);
        Assert.Equal(SensorStatus.ChecksumError, reader.Read(Temperature, out _));
    }

    [Fact]
    public void Aht20_temperature_is_read_and_its_calibration_loaded_when_missing()
    {
        var aht = new Aht20Model { TemperatureC = -5.5, Calibrated = false };
        var reader = Board(aht);
        var sensor = new SensorConfig { Id = "temp", Kind = "temperature", Bus = "i2c1", Address = 0x38, IntervalSeconds = 60, FailuresBeforeFault = 3 };
        reader.Prime(new[] { sensor });
        Assert.True(aht.Calibrated);
        VirtualEsp32.Clock.Advance(100);
        Assert.Equal(SensorStatus.Ok, reader.Read(sensor, out int tenths));
        Assert.Equal(-55, tenths);
    }
}
