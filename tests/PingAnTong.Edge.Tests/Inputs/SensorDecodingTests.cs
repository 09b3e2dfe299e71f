using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Inputs;

public class SensorDecodingTests
{
    [Fact]
    public void Crc8_matches_the_sensirion_datasheet_example()
    {
        // SHT3x datasheet, table 19: CRC of 0xBEEF is 0x92.
        Assert.Equal(0x92, SensorDecoding.Crc8(new byte[] { 0xBE, 0xEF }, 0, 2));
    }

    [Theory]
    [InlineData(0x0000, -450)]
    [InlineData(0xFFFF, 1300)]
    [InlineData(0x6666, 250)] // 26214/65535*175-45 = 25.0 °C
    public void Sht3x_temperature_in_tenths(int raw, int expected)
    {
        var frame = Frame(raw, 0x8000);
        Assert.Equal(SensorStatus.Ok, SensorDecoding.Sht3xTemperature(frame, 6, out int t));
        Assert.Equal(expected, t);
    }

    [Fact]
    public void Sht3x_with_a_bad_crc_or_short_frame_yields_no_value()
    {
        var frame = Frame(0x6666, 0x8000);
        frame[2] ^= 1;
        Assert.Equal(SensorStatus.ChecksumError, SensorDecoding.Sht3xTemperature(frame, 6, out _));
        frame = Frame(0x6666, 0x8000);
        frame[5] ^= 0x40; // humidity CRC wrong: the whole frame is suspect
        Assert.Equal(SensorStatus.ChecksumError, SensorDecoding.Sht3xTemperature(frame, 6, out _));
        Assert.Equal(SensorStatus.NoAnswer, SensorDecoding.Sht3xTemperature(frame, 3, out _));
    }

    [Fact]
    public void Aht20_decodes_checks_crc_and_busy()
    {
        // raw temperature 0x66666 = 419430 → 419430/2^20*200-50 = 30.0 °C
        var frame = new byte[] { 0x1C, 0x80, 0x00, 0x06, 0x66, 0x66, 0 };
        frame[6] = SensorDecoding.Crc8(frame, 0, 6);
        Assert.Equal(SensorStatus.Ok, SensorDecoding.Aht20Temperature(frame, 7, out int t));
        Assert.Equal(300, t);

        var busy = (byte[])frame.Clone();
        busy[0] |= 0x80;
        busy[6] = SensorDecoding.Crc8(busy, 0, 6);
        Assert.Equal(SensorStatus.NoAnswer, SensorDecoding.Aht20Temperature(busy, 7, out _));

        frame[4] ^= 0x10;
        Assert.Equal(SensorStatus.ChecksumError, SensorDecoding.Aht20Temperature(frame, 7, out _));
    }

    [Fact]
    public void Ads1115_conversion_is_signed_and_scaled_to_microvolts()
    {
        Assert.Equal(SensorStatus.Ok, SensorDecoding.Ads1115Microvolts(new byte[] { 0x7F, 0xFF }, 2, out int uv));
        Assert.Equal(32767 * 125, uv);
        SensorDecoding.Ads1115Microvolts(new byte[] { 0xFF, 0xFF }, 2, out uv);
        Assert.Equal(-125, uv);
        Assert.True(SensorDecoding.Ads1115Configured(new byte[] { 0xC2, 0x83 }, 2));  // OS bit may read either way
        Assert.True(SensorDecoding.Ads1115Configured(new byte[] { 0x42, 0x83 }, 2));
        Assert.False(SensorDecoding.Ads1115Configured(new byte[] { 0x85, 0x83 }, 2)); // power-on default: chip was reset
        Assert.Equal(SensorStatus.NoAnswer, SensorDecoding.Ads1115Microvolts(new byte[] { 0x7F }, 1, out _));
    }

    [Fact]
    public void Mq_sensor_resistance_and_ppm()
    {
        // 5 V circuit, 10 kΩ load, divider 2/3: module at 1.0 V → Rs = 10k*(5-1)/1 = 40 kΩ.
        Assert.Equal(SensorStatus.Ok, MqGas.SensorOhms(666_667, 667, 5000, 10_000, out int rs));
        Assert.InRange(rs, 39_900, 40_100);
        Assert.Equal(SensorStatus.OutOfRange, MqGas.SensorOhms(0, 667, 5000, 10_000, out _));        // unplugged
        Assert.Equal(SensorStatus.OutOfRange, MqGas.SensorOhms(3_333_000, 667, 5000, 10_000, out _)); // at the supply

        int r0 = MqGas.R0FromCleanAir(65_000);
        Assert.Equal(10_000, r0);
        Assert.Equal(0, MqGas.Ppm(65_000, r0));     // clean air
        Assert.Equal(200, MqGas.Ppm(7_000, r0));    // chart point
        Assert.Equal(1000, MqGas.Ppm(4_000, r0));
        Assert.Equal(10_000, MqGas.Ppm(1_000, r0)); // saturates
        int prev = -1;
        for (int ohms = 65_000; ohms >= 1_000; ohms -= 500)
        {
            int ppm = MqGas.Ppm(ohms, r0);
            Assert.True(ppm >= prev, $"ppm must not fall as Rs falls (Rs {ohms})");
            prev = ppm;
        }
    }

    [Fact]
    public void Gas_calibration_learns_r0_once_in_the_second_half_of_warm_up_and_keeps_it_across_reboots()
    {
        var store = new MemoryStore();
        var cal = new MqGasCalibration(store, "gas");
        Assert.Equal(0, cal.Ppm(30_000, 10_000, 180));  // first half: cold heater, ignored
        Assert.Equal(0, cal.Ppm(60_000, 100_000, 180)); // second half: clean-air candidates
        Assert.Equal(0, cal.Ppm(65_000, 170_000, 180));
        Assert.Equal(0, cal.R0);
        Assert.Equal(0, cal.Ppm(65_000, 181_000, 180)); // clean air after warm-up: 0 ppm
        Assert.Equal(10_000, cal.R0);
        Assert.Equal(1000, cal.Ppm(4_000, 190_000, 180));

        var after = new MqGasCalibration(store, "gas"); // reboot: no new calibration
        Assert.Equal(10_000, after.R0);
        Assert.Equal(1000, after.Ppm(4_000, 200_000, 0));
        after.Forget();
        Assert.Equal(0, new MqGasCalibration(store, "gas").R0);
    }

    private static byte[] Frame(int t, int rh)
    {
        var f = new byte[] { (byte)(t >> 8), (byte)t, 0, (byte)(rh >> 8), (byte)rh, 0 };
        f[2] = SensorDecoding.Crc8(f, 0, 2);
        f[5] = SensorDecoding.Crc8(f, 3, 2);
        return f;
    }
}

public class IndicationPatternTests
{
    [Fact]
    public void Patterns_play_on_and_off_phases()
    {
        int raised = PingAnTong.Edge.Core.Alarms.Indication.Raised;
        Assert.True(PingAnTong.Edge.Core.Alarms.IndicationPattern.LedOn(raised, 0));
        Assert.False(PingAnTong.Edge.Core.Alarms.IndicationPattern.LedOn(raised, 200));
        Assert.True(PingAnTong.Edge.Core.Alarms.IndicationPattern.BuzzerOn(raised, 1000));
        Assert.False(PingAnTong.Edge.Core.Alarms.IndicationPattern.BuzzerOn(raised, 500));
        int help = PingAnTong.Edge.Core.Alarms.Indication.HelpComing;
        Assert.True(PingAnTong.Edge.Core.Alarms.IndicationPattern.LedOn(help, 123456)); // steady
        Assert.False(PingAnTong.Edge.Core.Alarms.IndicationPattern.BuzzerOn(help, 123456)); // silent
    }
}
