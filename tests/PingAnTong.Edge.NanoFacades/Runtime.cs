// Mirrors nanoFramework.Runtime.Native 1.7.11 (Power, GC), nanoFramework.System.IO.Ports 1.1.139 (SerialPort)
// and nanoFramework.System.Text 1.3.42 (Encoding). Signatures: tests/api-listings/ of those packages (checked
// by FacadeListingTests).
// Model: Power.RebootDevice reboots the virtual device and never returns (Models/PowerModel.cs, after
// nanoframework/nanoFramework.Runtime.Native@v1.7.11:nanoFramework.Runtime.Native/Power.cs); GC.Run reports
// VirtualEsp32.FreeHeapBytes; SerialPort follows nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:targets/ESP32/_nanoCLR/System.IO.Ports/sys_io_ser_native_System_IO_Ports_SerialPort.cpp
// (Models/SerialModel.cs: Read waits for exactly count bytes or throws TimeoutException); Encoding.UTF8 is UTF-8
// (Models/Utf8.cs).
using System;
using PingAnTong.Edge.NanoFacades;

namespace nanoFramework.Runtime.Native
{
    [Mirrors("nanoFramework.Runtime.Native", "1.7.11")]
    public enum RebootOption { NormalReboot = 0, EnterNanoBooter = 1, ClrOnly = 2, EnterProprietaryBooter = 8 }

    [Mirrors("nanoFramework.Runtime.Native", "1.7.11")]
    public class Power
    {
        public static void RebootDevice(RebootOption rebootOption = RebootOption.NormalReboot) { VirtualEsp32.Power.RebootDevice((int)rebootOption); }
    }

    [Mirrors("nanoFramework.Runtime.Native", "1.7.11")]
    public static class GC
    {
        /// <summary>Runs the collector; returns free bytes.</summary>
        public static uint Run(bool compactHeap) { return VirtualEsp32.FreeHeapBytes; }
    }
}

namespace System.IO.Ports
{
    [Mirrors("nanoFramework.System.IO.Ports", "1.1.139")]
    public enum Parity { None = 0, Odd = 1, Even = 2 }

    [Mirrors("nanoFramework.System.IO.Ports", "1.1.139")]
    public enum StopBits { One = 1, Two = 2, OnePointFive = 3 }

    [Mirrors("nanoFramework.System.IO.Ports", "1.1.139")]
    public sealed class SerialPort : IDisposable
    {
        private readonly int _index;
        private readonly int _baudRate;
        private readonly int _generation;
        private int _readTimeout = System.Threading.Timeout.Infinite;
        private int _writeTimeout = System.Threading.Timeout.Infinite;
        private bool _opened;

        public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One)
        {
            _index = SerialModel.Index(portName);
            _baudRate = baudRate;
            _generation = VirtualEsp32.CurrentGeneration;
        }

        public void Open()
        {
            VirtualEsp32.CheckAlive(_generation);
            if (_opened) throw new InvalidOperationException();
            SerialLine line = VirtualEsp32.Serial.Port(_index + 1);
            line.IsOpen = true;
            line.BaudRate = _baudRate;
            line.TxPin = VirtualEsp32.PinMap.SerialPin(_index + 1, 0);
            line.RxPin = VirtualEsp32.PinMap.SerialPin(_index + 1, 1);
            _opened = true;
        }

        public void Close()
        {
            if (!_opened) return;
            _opened = false;
            if (_generation == VirtualEsp32.CurrentGeneration) VirtualEsp32.Serial.Port(_index + 1).IsOpen = false;
        }

        public int ReadTimeout
        {
            get { return _readTimeout; }
            set
            {
                if (value < 0 && value != System.Threading.Timeout.Infinite) throw new ArgumentOutOfRangeException();
                _readTimeout = value;
            }
        }

        public int WriteTimeout
        {
            get { return _writeTimeout; }
            set
            {
                if (value < 0 && value != System.Threading.Timeout.Infinite) throw new ArgumentOutOfRangeException();
                _writeTimeout = value;
            }
        }

        public int BytesToRead
        {
            get
            {
                Check();
                return VirtualEsp32.Serial.Port(_index + 1).BytesToRead;
            }
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            Check();
            if (buffer == null) throw new ArgumentNullException("buffer");
            if (offset > buffer.Length || count > buffer.Length) throw new InvalidOperationException();
            if (offset + count > buffer.Length) throw new ArgumentException();
            return VirtualEsp32.Serial.Port(_index + 1).Read(buffer, offset, count, _readTimeout);
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            Check();
            VirtualEsp32.Serial.Port(_index + 1).Write(buffer, offset, count);
        }

        public void Dispose() { Close(); }

        private void Check()
        {
            VirtualEsp32.CheckAlive(_generation);
            if (!_opened) throw new ArgumentException("the port is not open (CLR_E_INVALID_PARAMETER)");
        }
    }
}

namespace System.Text
{
    [Mirrors("nanoFramework.System.Text", "1.3.42")]
    public abstract class Encoding
    {
        protected Encoding() { }
        public static Encoding UTF8 { get { return new Utf8Encoding(); } }
        public virtual byte[] GetBytes(string s) { return Utf8.GetBytes(s); }
        public virtual string GetString(byte[] bytes, int index, int count) { return Utf8.GetString(bytes, index, count); }
    }
}
