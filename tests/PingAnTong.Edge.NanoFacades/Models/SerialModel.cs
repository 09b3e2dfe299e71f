using System;
using System.Collections;
using System.Threading;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// The ESP32's three UARTs (COM1..COM3) with a far end a test talks through: what the device writes comes
    /// out at <see cref="SerialLine.Received"/>, what the test sends lands in the device's receive buffer.
    /// Model of nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:targets/ESP32/_nanoCLR/System.IO.Ports/sys_io_ser_native_System_IO_Ports_SerialPort.cpp
    /// and nanoframework/System.IO.Ports@v1.1.139:System.IO.Ports/SerialPort.cs:
    /// <list type="bullet">
    /// <item>Read(buffer, offset, count) returns only when <c>count</c> bytes are in the receive ring buffer, and
    /// then exactly <c>count</c> of them; fewer bytes wait for more until ReadTimeout runs out, then
    /// TimeoutException (CLR_E_TIMEOUT) and the bytes stay in the buffer. BytesToRead is the buffer's length.</item>
    /// <item>ReadTimeout and WriteTimeout default to Timeout.Infinite; Open twice is InvalidOperationException.</item>
    /// </list>
    /// Serial waits are real time (a test sends while the device waits), unlike the other models.
    /// </summary>
    public sealed class SerialModel
    {
        private readonly SerialLine[] _lines = { new SerialLine(1), new SerialLine(2), new SerialLine(3) };

        /// <summary>The far end of COM<paramref name="com"/> (1..3).</summary>
        public SerialLine Port(int com)
        {
            return _lines[com - 1];
        }

        /// <summary>The far end of a port by name ("COM2").</summary>
        public SerialLine Port(string name)
        {
            return _lines[Index(name)];
        }

        internal void Reset(bool unplug)
        {
            for (int i = 0; i < _lines.Length; i++) _lines[i].Reset();
        }

        internal static int Index(string name)
        {
            if (name == null || name.Length != 4 || name.Substring(0, 3) != "COM" || name[3] < '1' || name[3] > '3')
            {
                throw new ArgumentException("the ESP32 has COM1..COM3 (" + name + ")");
            }
            return name[3] - '1';
        }
    }

    /// <summary>One UART with its two directions.</summary>
    public sealed class SerialLine
    {
        private readonly object _lock = new object();
        private readonly AutoResetEvent _arrived = new AutoResetEvent(false);
        private readonly AutoResetEvent _sent = new AutoResetEvent(false);
        private readonly ArrayList _toDevice = new ArrayList();
        private readonly ArrayList _fromDevice = new ArrayList();

        internal SerialLine(int com)
        {
            Com = com;
        }

        public int Com { get; private set; }

        /// <summary>True while the application has the port open.</summary>
        public bool IsOpen { get; internal set; }

        /// <summary>Baud rate the application opened the port with.</summary>
        public int BaudRate { get; internal set; }

        /// <summary>TX and RX pins mapped when the port was opened (-1: the driver keeps the UART's default pins, which on COM2/COM3 of a WROOM module are the flash pins).</summary>
        public int TxPin { get; internal set; }
        public int RxPin { get; internal set; }

        /// <summary>Sends bytes to the device (they land in its receive buffer).</summary>
        public void Send(byte[] data)
        {
            lock (_lock)
            {
                for (int i = 0; i < data.Length; i++) _toDevice.Add(data[i]);
            }
            _arrived.Set();
        }

        /// <summary>Sends text as UTF-8.</summary>
        public void Send(string text)
        {
            Send(Utf8.GetBytes(text));
        }

        /// <summary>Everything the device wrote that the test has not taken yet, as UTF-8 text; clears it.</summary>
        public string TakeReceived()
        {
            lock (_lock)
            {
                byte[] b = new byte[_fromDevice.Count];
                for (int i = 0; i < b.Length; i++) b[i] = (byte)_fromDevice[i];
                _fromDevice.Clear();
                return Utf8.GetString(b, 0, b.Length);
            }
        }

        /// <summary>Waits (real time) until the device has written <paramref name="text"/>; returns everything received up to and including it (consumed), or null on timeout.</summary>
        public string WaitFor(string text, int timeoutMs)
        {
            long deadline = DateTime.UtcNow.Ticks + (long)timeoutMs * TimeSpan.TicksPerMillisecond;
            while (true)
            {
                lock (_lock)
                {
                    byte[] b = new byte[_fromDevice.Count];
                    for (int i = 0; i < b.Length; i++) b[i] = (byte)_fromDevice[i];
                    string s = Utf8.GetString(b, 0, b.Length);
                    int at = s.IndexOf(text);
                    if (at >= 0)
                    {
                        string upTo = s.Substring(0, at + text.Length);
                        int bytes = Utf8.GetBytes(upTo).Length;
                        RemoveFirst(_fromDevice, bytes);
                        return upTo;
                    }
                }
                long left = (deadline - DateTime.UtcNow.Ticks) / TimeSpan.TicksPerMillisecond;
                if (left <= 0) return null;
                _sent.WaitOne((int)(left > 100 ? 100 : left), false);
            }
        }

        /// <summary>Bytes waiting in the device's receive buffer.</summary>
        public int Pending { get { lock (_lock) { return _toDevice.Count; } } }

        internal void Reset()
        {
            lock (_lock)
            {
                _toDevice.Clear();
                _fromDevice.Clear();
                IsOpen = false;
                BaudRate = 0;
                TxPin = -1;
                RxPin = -1;
            }
        }

        // ---- native side ----

        internal int BytesToRead { get { lock (_lock) { return _toDevice.Count; } } }

        internal int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            long deadline = timeoutMs < 0 ? long.MaxValue : DateTime.UtcNow.Ticks + (long)timeoutMs * TimeSpan.TicksPerMillisecond;
            while (true)
            {
                lock (_lock)
                {
                    if (_toDevice.Count >= count)
                    {
                        for (int i = 0; i < count; i++) buffer[offset + i] = (byte)_toDevice[i];
                        RemoveFirst(_toDevice, count);
                        return count;
                    }
                }
                long left = deadline == long.MaxValue ? 100 : (deadline - DateTime.UtcNow.Ticks) / TimeSpan.TicksPerMillisecond;
                if (left <= 0) throw new TimeoutException();
                _arrived.WaitOne((int)(left > 100 ? 100 : left), false);
            }
        }

        private static void RemoveFirst(ArrayList list, int count)
        {
            ArrayList rest = new ArrayList();
            for (int i = count; i < list.Count; i++) rest.Add(list[i]);
            list.Clear();
            for (int i = 0; i < rest.Count; i++) list.Add(rest[i]);
        }

        internal void Write(byte[] buffer, int offset, int count)
        {
            lock (_lock)
            {
                for (int i = 0; i < count; i++) _fromDevice.Add(buffer[offset + i]);
            }
            _sent.Set();
        }
    }
}
