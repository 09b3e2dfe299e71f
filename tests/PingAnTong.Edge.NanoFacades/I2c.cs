// Mirrors nanoFramework.System.Device.I2c 1.1.29 (assembly System.Device.I2c). Signatures:
// tests/api-listings/nanoFramework.System.Device.I2c.txt (checked by FacadeListingTests).
// Model: the bodies run the virtual ESP32's I2C controllers (Models/I2cModel.cs), which follow
// nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:targets/ESP32/_nanoCLR/System.Device.I2c/sys_dev_i2c_native_System_Device_I2c_I2cDevice.cpp
// (BytesTransferred = written + read on success, 0 and the read buffer untouched on a NACK) and the managed
// nanoframework/System.Device.I2c@v1.1.29:System.Device.I2c/I2cDevice.cs.
using System;
using PingAnTong.Edge.NanoFacades;

namespace System.Device.I2c
{
    [Mirrors("nanoFramework.System.Device.I2c", "1.1.29")]
    public enum I2cBusSpeed { StandardMode, FastMode, FastModePlus }

    [Mirrors("nanoFramework.System.Device.I2c", "1.1.29")]
    public enum I2cTransferStatus { UnknownError, FullTransfer, ClockStretchTimeout, PartialTransfer, SlaveAddressNotAcknowledged }

    [Mirrors("nanoFramework.System.Device.I2c", "1.1.29")]
    public struct I2cTransferResult
    {
        private readonly uint _bytesTransferred;
        private readonly I2cTransferStatus _status;

        internal I2cTransferResult(I2cTransferStatus status, uint bytesTransferred)
        {
            _status = status;
            _bytesTransferred = bytesTransferred;
        }

        public uint BytesTransferred { get { return _bytesTransferred; } }
        public I2cTransferStatus Status { get { return _status; } }
    }

    [Mirrors("nanoFramework.System.Device.I2c", "1.1.29")]
    public sealed class I2cConnectionSettings
    {
        internal readonly int BusIdValue;
        internal readonly int DeviceAddressValue;
        internal readonly I2cBusSpeed BusSpeedValue;

        public I2cConnectionSettings(int busId, int deviceAddress, I2cBusSpeed busSpeed)
        {
            BusIdValue = busId;
            DeviceAddressValue = deviceAddress;
            BusSpeedValue = busSpeed;
        }
    }

    [Mirrors("nanoFramework.System.Device.I2c", "1.1.29")]
    public class I2cDevice : IDisposable
    {
        private readonly object _syncLock = new object();
        private readonly I2cConnectionSettings _settings;
        private readonly int _generation;
        private bool _disposed;

        public I2cDevice(I2cConnectionSettings settings)
        {
            _settings = settings;
            _generation = VirtualEsp32.CurrentGeneration;
            VirtualEsp32.I2c.Open(settings.BusIdValue, (int)settings.BusSpeedValue);
        }

        public static I2cDevice Create(I2cConnectionSettings settings) { return new I2cDevice(settings); }

        public I2cTransferResult Read(SpanByte buffer)
        {
            lock (_syncLock) { return Transmit(null, 0, buffer, buffer.Length); }
        }

        public I2cTransferResult Write(SpanByte buffer)
        {
            lock (_syncLock)
            {
                byte[] data = buffer.ToArray();
                return Transmit(data, data.Length, SpanByte.Empty, 0);
            }
        }

        public I2cTransferResult WriteRead(SpanByte writeBuffer, SpanByte readBuffer)
        {
            lock (_syncLock)
            {
                byte[] data = writeBuffer.ToArray();
                return Transmit(data, data.Length, readBuffer, readBuffer.Length);
            }
        }

        public void Dispose()
        {
            lock (_syncLock)
            {
                if (_disposed) return;
                _disposed = true;
                if (_generation == VirtualEsp32.CurrentGeneration) VirtualEsp32.I2c.Close(_settings.BusIdValue);
            }
        }

        private I2cTransferResult Transmit(byte[] write, int writeCount, SpanByte read, int readCount)
        {
            VirtualEsp32.CheckAlive(_generation);
            byte[] into = new byte[readCount];
            uint transferred;
            int status = VirtualEsp32.I2c.Transmit(_settings.BusIdValue, _settings.DeviceAddressValue, write, writeCount, into, readCount, out transferred);
            if (status == I2cModel.StatusFullTransfer)
            {
                for (int i = 0; i < readCount; i++) read[i] = into[i];
            }
            return new I2cTransferResult((I2cTransferStatus)status, transferred);
        }
    }
}
