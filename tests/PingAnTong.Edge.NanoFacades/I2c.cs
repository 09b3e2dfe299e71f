// Mirrors nanoFramework.System.Device.I2c 1.1.29 (assembly System.Device.I2c). Signatures:
// tests/api-listings/nanoFramework.System.Device.I2c.txt (checked by FacadeListingTests).
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
        public uint BytesTransferred { get { throw Facade.NotOnDevice(); } }
        public I2cTransferStatus Status { get { throw Facade.NotOnDevice(); } }
    }

    [Mirrors("nanoFramework.System.Device.I2c", "1.1.29")]
    public sealed class I2cConnectionSettings
    {
        public I2cConnectionSettings(int busId, int deviceAddress, I2cBusSpeed busSpeed) { throw Facade.NotOnDevice(); }
    }

    [Mirrors("nanoFramework.System.Device.I2c", "1.1.29")]
    public class I2cDevice : IDisposable
    {
        public I2cDevice(I2cConnectionSettings settings) { throw Facade.NotOnDevice(); }
        public static I2cDevice Create(I2cConnectionSettings settings) { throw Facade.NotOnDevice(); }
        public I2cTransferResult Read(SpanByte buffer) { throw Facade.NotOnDevice(); }
        public I2cTransferResult Write(SpanByte buffer) { throw Facade.NotOnDevice(); }
        public I2cTransferResult WriteRead(SpanByte writeBuffer, SpanByte readBuffer) { throw Facade.NotOnDevice(); }
        public void Dispose() { throw Facade.NotOnDevice(); }
    }
}
