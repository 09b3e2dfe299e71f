extern alias device;
using device::nanoFramework.Hardware.Esp32;
using device::PingAnTong.Edge.NanoFacades;
using device::System;
using device::System.Device.I2c;
using Xunit;

namespace PingAnTong.Edge.DeviceTests.Models;

/// <summary>The I2C model against sys_dev_i2c_native_System_Device_I2c_I2cDevice.cpp, and the three chip models against their datasheets.</summary>
public class I2cModelTests : DeviceTest
{
    private static I2cDevice Open(int address)
    {
        Configuration.SetPinFunction(21, DeviceFunction.I2C1_DATA);
        Configuration.SetPinFunction(22, DeviceFunction.I2C1_CLOCK);
        return I2cDevice.Create(new I2cConnectionSettings(1, address, I2cBusSpeed.StandardMode));
    }

    [Fact]
    public void Crc8_is_the_Sensirion_one()
    {
        Assert.Equal(0x92, I2cChip.Crc8(new byte[] { 0xBE, 0xEF }, 0, 2)); // SHT3x-DIS datasheet §4.12
    }

    [Fact]
    public void WriteRead_reports_written_plus_read_bytes()
    {
        VirtualEsp32.I2c.Wires(21, 22).Attach(new Ads1115Model(0x48));
        var adc = Open(0x48);
        var config = new byte[2];
        var r = adc.WriteRead(new SpanByte(new byte[] { 0x01 }), new SpanByte(config));
        Assert.Equal(I2cTransferStatus.FullTransfer, r.Status);
        Assert.Equal(3u, r.BytesTransferred); // 1 pointer byte + 2 data bytes
        Assert.Equal(new byte[] { 0x85, 0x83 }, config); // reset value, SBAS444 §9.6.3
        Assert.Equal(2u, adc.Read(new SpanByte(config)).BytesTransferred);
        Assert.Equal(3u, adc.Write(new SpanByte(new byte[] { 0x01, 0x42, 0x83 })).BytesTransferred);
    }

    [Fact]
    public void An_absent_address_is_not_acknowledged_and_leaves_the_buffer_alone()
    {
        var missing = Open(0x49);
        var buffer = new byte[] { 0xAA, 0xBB };
        var r = missing.WriteRead(new SpanByte(new byte[] { 0x00 }), new SpanByte(buffer));
        Assert.Equal(I2cTransferStatus.SlaveAddressNotAcknowledged, r.Status);
        Assert.Equal(0u, r.BytesTransferred);
        Assert.Equal(new byte[] { 0xAA, 0xBB }, buffer);
    }

    [Fact]
    public void The_bus_uses_the_pins_mapped_when_the_device_was_created()
    {
        VirtualEsp32.I2c.Wires(21, 22).Attach(new Ads1115Model(0x48));
        var onDefaultPins = I2cDevice.Create(new I2cConnectionSettings(1, 0x48, I2cBusSpeed.StandardMode)); // GPIO18/19
        Assert.Equal(18, VirtualEsp32.I2c.ConfiguredPin(1, 0));
        Assert.Equal(I2cTransferStatus.SlaveAddressNotAcknowledged, onDefaultPins.Read(new SpanByte(new byte[2])).Status);
        var mapped = Open(0x48);
        Assert.Equal(I2cTransferStatus.FullTransfer, mapped.Read(new SpanByte(new byte[2])).Status);
        Assert.Throws<ArgumentException>(() => new I2cDevice(new I2cConnectionSettings(3, 0x48, I2cBusSpeed.StandardMode)));
    }

    [Fact]
    public void A_clock_stretch_timeout_takes_one_second_and_faults_can_be_injected()
    {
        var wires = VirtualEsp32.I2c.Wires(21, 22);
        wires.Attach(new Ads1115Model(0x48));
        var adc = Open(0x48);
        wires.FailNext(1, I2cFault.Timeout);
        wires.FailNext(1, I2cFault.Nack);
        long before = VirtualEsp32.Clock.NowMilliseconds;
        Assert.Equal(I2cTransferStatus.ClockStretchTimeout, adc.Read(new SpanByte(new byte[2])).Status);
        Assert.Equal(before + 1000, VirtualEsp32.Clock.NowMilliseconds);
        Assert.Equal(I2cTransferStatus.SlaveAddressNotAcknowledged, adc.Read(new SpanByte(new byte[2])).Status);
        Assert.Equal(I2cTransferStatus.FullTransfer, adc.Read(new SpanByte(new byte[2])).Status);
        wires.FailNext(1, I2cFault.DriverError);
        Assert.Throws<InvalidOperationException>(() => adc.Read(new SpanByte(new byte[2])));
        Assert.Equal(4, VirtualEsp32.I2c.Transactions.Length);
    }

    [Fact]
    public void A_transfer_after_the_last_device_on_the_bus_is_disposed_fails()
    {
        VirtualEsp32.I2c.Wires(21, 22).Attach(new Ads1115Model(0x48));
        var adc = Open(0x48);
        adc.Dispose();
        Assert.Throws<InvalidOperationException>(() => adc.Read(new SpanByte(new byte[2])));
    }

    [Fact]
    public void Ads1115_converts_continuously_after_one_period()
    {
        var chip = new Ads1115Model(0x48);
        VirtualEsp32.I2c.Wires(21, 22).Attach(chip);
        chip.SetInputVolts(0, 1.0);
        var adc = Open(0x48);
        adc.Write(new SpanByte(new byte[] { 0x01, 0x42, 0x83 })); // AIN0-GND, ±4.096 V, continuous, 128 SPS
        var code = new byte[2];
        adc.WriteRead(new SpanByte(new byte[] { 0x00 }), new SpanByte(code));
        Assert.Equal(new byte[] { 0, 0 }, code); // no conversion finished yet
        VirtualEsp32.Clock.Advance(8); // 1/128 s
        adc.WriteRead(new SpanByte(new byte[] { 0x00 }), new SpanByte(code));
        Assert.Equal(8000, (code[0] << 8) | code[1]); // 1 V / 125 µV
        var config = new byte[2];
        adc.WriteRead(new SpanByte(new byte[] { 0x01 }), new SpanByte(config));
        Assert.Equal(new byte[] { 0x42, 0x83 }, config); // OS reads 0 while converting
        chip.PowerCycle();
        adc.WriteRead(new SpanByte(new byte[] { 0x01 }), new SpanByte(config));
        Assert.Equal(new byte[] { 0x85, 0x83 }, config);
        chip.SetInputVolts(0, -5.0);
        Assert.Equal(-32768, chip.ExpectedCode()); // clipped at -FS of ±2.048 V
    }

    [Fact]
    public void Sht3x_nacks_until_the_measurement_is_done_then_gives_one_frame_with_crcs()
    {
        var chip = new Sht3xModel(0x44) { TemperatureC = 25.0, HumidityPercent = 50.0 };
        VirtualEsp32.I2c.Wires(21, 22).Attach(chip);
        var sht = Open(0x44);
        var frame = new byte[6];
        Assert.Equal(I2cTransferStatus.SlaveAddressNotAcknowledged, sht.Read(new SpanByte(frame)).Status); // nothing measured
        Assert.Equal(I2cTransferStatus.FullTransfer, sht.Write(new SpanByte(new byte[] { 0x24, 0x00 })).Status);
        VirtualEsp32.Clock.Advance(10);
        Assert.Equal(I2cTransferStatus.SlaveAddressNotAcknowledged, sht.Read(new SpanByte(frame)).Status); // still measuring (15 ms max)
        VirtualEsp32.Clock.Advance(6);
        Assert.Equal(I2cTransferStatus.FullTransfer, sht.Read(new SpanByte(frame)).Status);
        int t = (frame[0] << 8) | frame[1];
        Assert.Equal((int)Math.Round((25.0 + 45) / 175 * 65535), t);
        Assert.Equal(I2cChip.Crc8(frame, 0, 2), frame[2]);
        Assert.Equal(I2cChip.Crc8(frame, 3, 2), frame[5]);
        Assert.Equal(I2cTransferStatus.SlaveAddressNotAcknowledged, sht.Read(new SpanByte(frame)).Status); // read once
        sht.Write(new SpanByte(new byte[] { 0x20, 0x32 })); // periodic mode: not modelled, recorded
        Assert.Contains("command 0x2032", chip.Unhandled);
    }

    [Fact]
    public void Aht20_is_busy_for_80_ms_then_reports_the_measurement()
    {
        var chip = new Aht20Model { TemperatureC = 30.0, HumidityPercent = 60.0 };
        VirtualEsp32.I2c.Wires(21, 22).Attach(chip);
        var aht = Open(0x38);
        var status = new byte[1];
        aht.Read(new SpanByte(status));
        Assert.Equal(0x18, status[0]); // calibrated, idle
        aht.Write(new SpanByte(new byte[] { 0xAC, 0x33, 0x00 }));
        VirtualEsp32.Clock.Advance(40);
        var frame = new byte[7];
        aht.Read(new SpanByte(frame));
        Assert.True((frame[0] & 0x80) != 0); // busy
        VirtualEsp32.Clock.Advance(40);
        aht.Read(new SpanByte(frame));
        Assert.Equal(0x18, frame[0]);
        int raw = ((frame[3] & 0x0F) << 16) | (frame[4] << 8) | frame[5];
        Assert.Equal((int)Math.Round((30.0 + 50) / 200 * 1048576), raw);
        Assert.Equal(I2cChip.Crc8(frame, 0, 6), frame[6]);
        chip.Calibrated = false;
        aht.Read(new SpanByte(status));
        Assert.Equal(0x10, status[0]);
        aht.Write(new SpanByte(new byte[] { 0xBE, 0x08, 0x00 }));
        aht.Read(new SpanByte(status));
        Assert.Equal(0x18, status[0]);
    }
}
