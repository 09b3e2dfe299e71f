using System;
using System.IO.Ports;
using System.Text;
using System.Threading;
using nanoFramework.Hardware.Esp32;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Field;

namespace PingAnTong.Edge.Esp32.Adapters
{

    /// <summary>
    /// The technician's serial console on COM2 (UART1) at 115200 8N1, on the pins of the board's pin
    /// map (GPIO17 TX, GPIO16 RX on the reference board), not on COM1, which the nanoFramework
    /// debugger and nanoff use. Log lines are written as they happen; typed lines are posted to the
    /// hub's queue and run by the core's ConsoleInterpreter on the hub loop, which replies here.
    /// </summary>
    public sealed class SerialConsole : IConsoleOutput
    {
        private const int MaxLine = 256;
        private readonly SerialPort _port;
        private readonly object _writeLock = new object();
        private readonly byte[] _buffer = new byte[64];
        private readonly byte[] _line = new byte[MaxLine];
        private int _lineLength;
        private bool _lastWasCr;
        private Thread _reader;

        public SerialConsole(string portName, int txPin, int rxPin)
        {
            Configuration.SetPinFunction(txPin, DeviceFunction.COM2_TX);
            Configuration.SetPinFunction(rxPin, DeviceFunction.COM2_RX);
            _port = new SerialPort(portName, 115200, Parity.None, 8, StopBits.One);
            _port.ReadTimeout = 500;
            _port.WriteTimeout = 500;
        }

        /// <summary>Set once the hub exists; lines typed before that get "starting".</summary>
        public Hub Hub { get; set; }

        /// <summary>Uptime of the reader's last loop, for the watchdog.</summary>
        public long LastBeatMs { get; private set; }

        public DeviceClock Clock { get; set; }

        public void Open()
        {
            _port.Open();
            _reader = new Thread(ReadLoop);
            _reader.Start();
        }

        public void WriteLine(string text)
        {
            Write(text + "\r\n");
        }

        public void Done()
        {
            Write(ConsoleInterpreter.Prompt);
        }

        private void Write(string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            lock (_writeLock)
            {
                try
                {
                    _port.Write(bytes, 0, bytes.Length);
                }
                catch (Exception)
                {
                    // Nobody listening or the UART is busy: the console must never stop the hub.
                }
            }
        }

        private void ReadLoop()
        {
            while (true)
            {
                if (Clock != null) LastBeatMs = Clock.UptimeMs;
                int n;
                try
                {
                    // Only what has arrived: on the ESP32, Read returns when `count` bytes are buffered and
                    // otherwise times out (nf-interpreter sys_io_ser_native_System_IO_Ports_SerialPort.cpp),
                    // so asking for a whole buffer left a typed line unread until 64 bytes came.
                    int available = _port.BytesToRead;
                    n = available > 0 ? _port.Read(_buffer, 0, available < _buffer.Length ? available : _buffer.Length) : 0;
                }
                catch (Exception)
                {
                    n = 0;
                }
                if (n == 0)
                {
                    Thread.Sleep(50);
                    continue;
                }
                for (int i = 0; i < n; i++) Accept(_buffer[i]);
            }
        }

        private bool _overlong;

        private void Accept(byte b)
        {
            bool crlf = b == (byte)'\n' && _lastWasCr;
            _lastWasCr = b == (byte)'\r';
            if (crlf) return; // the LF of a CR LF pair
            if (b == (byte)'\r' || b == (byte)'\n')
            {
                // An empty line is passed on too: the console answers it with the prompt (pat console uses that to wake it).
                string line = Encoding.UTF8.GetString(_line, 0, _lineLength);
                _lineLength = 0;
                if (_overlong)
                {
                    // Never run the first MaxLine bytes of a longer line: a cut-off command is another command.
                    _overlong = false;
                    Hub current = Hub;
                    WriteLine(ConsoleText.Get(ConsoleText.LanguageOf(current != null ? current.Config : null), ConsoleText.DeviceLineTooLong, MaxLine.ToString()));
                    Done();
                    return;
                }
                Hub hub = Hub;
                if (hub == null) WriteLine("error: the hub is still starting; try again in a moment");
                else if (!hub.PostConsoleLine(line, this)) WriteLine(ConsoleText.Get(ConsoleText.LanguageOf(hub.Config), ConsoleText.HubBusy));
                return;
            }
            if (b == 8 || b == 127)
            {
                if (_lineLength > 0) _lineLength--;
                return;
            }
            if (_lineLength < MaxLine) _line[_lineLength++] = b;
            else _overlong = true;
        }
    }
}
