// Mirrors nanoFramework.Runtime.Native 1.7.11 (Power, GC), nanoFramework.System.IO.Ports 1.1.139 (SerialPort)
// and nanoFramework.System.Text 1.3.42 (Encoding). Signatures: tests/api-listings/ of those packages (checked
// by FacadeListingTests).
using System;
using PingAnTong.Edge.NanoFacades;

namespace nanoFramework.Runtime.Native
{
    [Mirrors("nanoFramework.Runtime.Native", "1.7.11")]
    public enum RebootOption { NormalReboot = 0, EnterNanoBooter = 1, ClrOnly = 2, EnterProprietaryBooter = 8 }

    [Mirrors("nanoFramework.Runtime.Native", "1.7.11")]
    public class Power
    {
        public static void RebootDevice(RebootOption rebootOption = RebootOption.NormalReboot) { throw Facade.NotOnDevice(); }
    }

    [Mirrors("nanoFramework.Runtime.Native", "1.7.11")]
    public static class GC
    {
        /// <summary>Runs the collector; returns free bytes.</summary>
        public static uint Run(bool compactHeap) { throw Facade.NotOnDevice(); }
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
        public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One) { throw Facade.NotOnDevice(); }
        public void Open() { throw Facade.NotOnDevice(); }
        public void Close() { throw Facade.NotOnDevice(); }
        public int ReadTimeout { get { throw Facade.NotOnDevice(); } set { throw Facade.NotOnDevice(); } }
        public int WriteTimeout { get { throw Facade.NotOnDevice(); } set { throw Facade.NotOnDevice(); } }
        public int BytesToRead { get { throw Facade.NotOnDevice(); } }
        public int Read(byte[] buffer, int offset, int count) { throw Facade.NotOnDevice(); }
        public void Write(byte[] buffer, int offset, int count) { throw Facade.NotOnDevice(); }
        public void Dispose() { throw Facade.NotOnDevice(); }
    }
}

namespace System.Text
{
    [Mirrors("nanoFramework.System.Text", "1.3.42")]
    public abstract class Encoding
    {
        protected Encoding() { throw Facade.NotOnDevice(); }
        public static Encoding UTF8 { get { throw Facade.NotOnDevice(); } }
        public virtual byte[] GetBytes(string s) { throw Facade.NotOnDevice(); }
        public virtual string GetString(byte[] bytes, int index, int count) { throw Facade.NotOnDevice(); }
    }
}
