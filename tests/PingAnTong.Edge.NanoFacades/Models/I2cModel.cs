using System;
using System.Collections;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>Faults a test can put on the I2C wires; each maps to what the ESP32 driver returns.</summary>
    public static class I2cFault
    {
        /// <summary>i2c_master_cmd_begin returns ESP_FAIL (any NACK): status SlaveAddressNotAcknowledged, 0 bytes, read buffer untouched.</summary>
        public const int Nack = 1;
        /// <summary>ESP_ERR_TIMEOUT after the 1000 ms command timeout (a slave stretching SCL, SDA held low): ClockStretchTimeout, 0 bytes; the call takes 1 s of virtual time.</summary>
        public const int Timeout = 2;
        /// <summary>Any other driver error (e.g. ESP_ERR_INVALID_STATE): the native call fails with CLR_E_INVALID_OPERATION, i.e. InvalidOperationException.</summary>
        public const int DriverError = 3;
    }

    /// <summary>
    /// The ESP32's two I2C controllers and the wires a test attaches chips to. Model of
    /// nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:targets/ESP32/_nanoCLR/System.Device.I2c/sys_dev_i2c_native_System_Device_I2c_I2cDevice.cpp
    /// with the managed nanoframework/System.Device.I2c@v1.1.29:System.Device.I2c/I2cDevice.cs:
    /// <list type="bullet">
    /// <item>new I2cDevice: bus id 1 or 2 (else ArgumentException); the bus takes the pins mapped at that moment
    /// (I2C1 defaults to GPIO18/19 until Configuration.SetPinFunction moves it); a pin already open as GPIO
    /// fails the constructor (SetConfig false, CLR_E_FAIL: System.Exception). Dispose releases the driver when
    /// the last device on the bus goes; a transfer after that fails with InvalidOperationException.</item>
    /// <item>Read, Write and WriteRead are one command (start, address+W, bytes, repeated start, address+R,
    /// bytes, stop). Success: FullTransfer and BytesTransferred = bytes written + bytes read (line 311), so a
    /// WriteRead of 1 pointer byte and 2 data bytes reports 3. Any NACK (an absent address, a chip that does not
    /// answer): SlaveAddressNotAcknowledged, 0 bytes, and the read buffer is left as it was (the copy at line 305
    /// runs only on success). A timeout: ClockStretchTimeout after 1000 ms. PartialTransfer and UnknownError are
    /// never returned on the ESP32.</item>
    /// </list>
    /// Every transfer is recorded (<see cref="Transactions"/>).
    /// </summary>
    public sealed class I2cModel
    {
        private const long TimeoutUs = 1000 * 1000;
        private readonly Controller[] _controllers = { new Controller(), new Controller() };
        private readonly ArrayList _wires = new ArrayList();
        private readonly ArrayList _log = new ArrayList();

        /// <summary>The wires on a pair of GPIOs (created on first use): attach chips to them, inject faults.</summary>
        public I2cWires Wires(int dataPin, int clockPin)
        {
            lock (VirtualEsp32.Sync)
            {
                for (int i = 0; i < _wires.Count; i++)
                {
                    I2cWires w = (I2cWires)_wires[i];
                    if (w.DataPin == dataPin && w.ClockPin == clockPin) return w;
                }
                I2cWires created = new I2cWires(dataPin, clockPin);
                _wires.Add(created);
                return created;
            }
        }

        /// <summary>Every transfer since the last reset, in order.</summary>
        public I2cTransaction[] Transactions
        {
            get
            {
                lock (VirtualEsp32.Sync)
                {
                    I2cTransaction[] result = new I2cTransaction[_log.Count];
                    _log.CopyTo(result);
                    return result;
                }
            }
        }

        /// <summary>Devices open on bus <paramref name="busId"/> (the driver is installed while this is above 0).</summary>
        public int OpenDevices(int busId)
        {
            lock (VirtualEsp32.Sync) { return _controllers[busId - 1].Devices; }
        }

        /// <summary>The (data, clock) pins bus <paramref name="busId"/> was configured with by the last I2cDevice created on it; -1 before.</summary>
        public int ConfiguredPin(int busId, int index)
        {
            lock (VirtualEsp32.Sync) { return index == 0 ? _controllers[busId - 1].DataPin : _controllers[busId - 1].ClockPin; }
        }

        internal void Reset(bool unwire)
        {
            lock (VirtualEsp32.Sync)
            {
                for (int i = 0; i < _controllers.Length; i++) _controllers[i] = new Controller();
                if (unwire) _wires.Clear();
                else for (int i = 0; i < _wires.Count; i++) ((I2cWires)_wires[i]).ClearFaults();
                _log.Clear();
            }
        }

        // ---- native side, called by the System.Device.I2c facades ----

        /// <summary>NativeInit: validates the bus and its pins and installs the driver.</summary>
        internal void Open(int busId, int speed)
        {
            lock (VirtualEsp32.Sync)
            {
                if (busId < 1 || busId > 2) throw new ArgumentException("I2C bus id must be 1 or 2 on the ESP32 (CLR_E_INVALID_PARAMETER)");
                int data = VirtualEsp32.PinMap.I2cPin(busId, 0);
                int clock = VirtualEsp32.PinMap.I2cPin(busId, 1);
                if (Busy(data) || Busy(clock)) throw new Exception("I2C" + busId.ToString() + " pins GPIO" + data.ToString() + "/GPIO" + clock.ToString() + " are in use as GPIO (CLR_E_FAIL)");
                Controller c = _controllers[busId - 1];
                c.DataPin = data;
                c.ClockPin = clock;
                c.Speed = speed;
                c.Devices++;
            }
        }

        /// <summary>NativeDispose.</summary>
        internal void Close(int busId)
        {
            lock (VirtualEsp32.Sync)
            {
                if (busId < 1 || busId > 2) return;
                Controller c = _controllers[busId - 1];
                c.Devices--;
                if (c.Devices < 0) c.Devices = 0;
            }
        }

        /// <summary>NativeTransmit. <paramref name="read"/> receives the data only on success. Returns the status (I2cTransferStatus as int) and sets <paramref name="transferred"/>.</summary>
        internal int Transmit(int busId, int address, byte[] write, int writeCount, byte[] read, int readCount, out uint transferred)
        {
            transferred = 0;
            lock (VirtualEsp32.Sync)
            {
                Controller c = _controllers[busId - 1];
                if (c.Devices <= 0) throw new InvalidOperationException("I2C" + busId.ToString() + ": driver not installed (device disposed); i2c_master_cmd_begin fails (CLR_E_INVALID_OPERATION)");
                I2cWires wires = FindWires(c.DataPin, c.ClockPin);
                int status;
                int fault = wires != null ? wires.TakeFault() : 0;
                if (fault == I2cFault.DriverError)
                {
                    Record(busId, address, write, writeCount, readCount, -1, 0);
                    throw new InvalidOperationException("I2C" + busId.ToString() + ": driver error (injected; CLR_E_INVALID_OPERATION)");
                }
                if (fault == I2cFault.Timeout)
                {
                    status = StatusClockStretchTimeout;
                }
                else if (fault == I2cFault.Nack)
                {
                    status = StatusNack;
                }
                else
                {
                    I2cChip chip = wires != null ? wires.Find(address) : null;
                    byte[] scratch = readCount > 0 ? new byte[readCount] : null;
                    bool ack = chip != null;
                    if (ack && writeCount > 0)
                    {
                        byte[] copy = new byte[writeCount];
                        Array.Copy(write, copy, writeCount);
                        ack = chip.OnWrite(copy, writeCount);
                    }
                    if (ack && readCount > 0) ack = chip.OnRead(scratch, readCount);
                    if (ack && chip.StretchTimeout) status = StatusClockStretchTimeout;
                    else status = ack ? StatusFullTransfer : StatusNack;
                    if (status == StatusFullTransfer)
                    {
                        if (readCount > 0) Array.Copy(scratch, read, readCount);
                        transferred = (uint)(writeCount + readCount);
                    }
                }
                if (status == StatusClockStretchTimeout)
                {
                    long deadline = VirtualEsp32.Clock.NowMicroseconds + TimeoutUs;
                    VirtualEsp32.Clock.WaitUntil(delegate { return false; }, deadline);
                }
                Record(busId, address, write, writeCount, readCount, status, transferred);
                return status;
            }
        }

        internal const int StatusFullTransfer = 1, StatusClockStretchTimeout = 2, StatusNack = 4;

        private static bool Busy(int pin)
        {
            // CPU_GPIO_PinIsBusy: an invalid pin counts as busy.
            return !GpioModel.IsValid(pin) || VirtualEsp32.Gpio.IsOpen(pin);
        }

        private I2cWires FindWires(int data, int clock)
        {
            for (int i = 0; i < _wires.Count; i++)
            {
                I2cWires w = (I2cWires)_wires[i];
                if (w.DataPin == data && w.ClockPin == clock) return w;
            }
            return null;
        }

        private void Record(int busId, int address, byte[] write, int writeCount, int readCount, int status, uint transferred)
        {
            byte[] written = new byte[writeCount];
            if (writeCount > 0) Array.Copy(write, written, writeCount);
            _log.Add(new I2cTransaction(VirtualEsp32.Clock.NowMilliseconds, busId, address, written, readCount, status, transferred));
        }

        private sealed class Controller
        {
            public int Devices;
            public int DataPin = -1;
            public int ClockPin = -1;
            public int Speed;
        }
    }

    /// <summary>An SDA/SCL pair with the chips wired to it.</summary>
    public sealed class I2cWires
    {
        private readonly ArrayList _chips = new ArrayList();
        private readonly ArrayList _faults = new ArrayList();
        private int _stuckFault;

        public readonly int DataPin;
        public readonly int ClockPin;

        internal I2cWires(int dataPin, int clockPin)
        {
            DataPin = dataPin;
            ClockPin = clockPin;
        }

        /// <summary>Wires a chip to the bus; returns it.</summary>
        public I2cChip Attach(I2cChip chip)
        {
            lock (VirtualEsp32.Sync) { _chips.Add(chip); }
            return chip;
        }

        /// <summary>Unwires a chip (the next transfer to its address is not acknowledged).</summary>
        public void Detach(I2cChip chip)
        {
            lock (VirtualEsp32.Sync) { _chips.Remove(chip); }
        }

        /// <summary>The next <paramref name="count"/> transfers fail with <paramref name="fault"/> (an <see cref="I2cFault"/> value).</summary>
        public void FailNext(int count, int fault)
        {
            lock (VirtualEsp32.Sync) { for (int i = 0; i < count; i++) _faults.Add(fault); }
        }

        /// <summary>Every transfer fails with <paramref name="fault"/> until <see cref="ClearFaults"/> (SDA held low, a hung slave).</summary>
        public void Stuck(int fault)
        {
            lock (VirtualEsp32.Sync) { _stuckFault = fault; }
        }

        public void ClearFaults()
        {
            lock (VirtualEsp32.Sync)
            {
                _faults.Clear();
                _stuckFault = 0;
            }
        }

        internal int TakeFault()
        {
            if (_faults.Count > 0)
            {
                int f = (int)_faults[0];
                _faults.RemoveAt(0);
                return f;
            }
            return _stuckFault;
        }

        internal I2cChip Find(int address)
        {
            for (int i = 0; i < _chips.Count; i++)
            {
                I2cChip c = (I2cChip)_chips[i];
                if (c.Address == address && c.Present) return c;
            }
            return null;
        }
    }

    /// <summary>
    /// A chip on the virtual I2C wires. <see cref="OnWrite"/> and <see cref="OnRead"/> see one phase of a
    /// transfer each and return false to NACK it (the whole command then fails, as on the ESP32). Time comes
    /// from <see cref="VirtualEsp32.Clock"/>. What a model does not implement is recorded in <see cref="Unhandled"/>,
    /// never answered silently.
    /// </summary>
    public abstract class I2cChip
    {
        private readonly ArrayList _unhandled = new ArrayList();

        protected I2cChip(int address)
        {
            Address = address;
            Present = true;
        }

        public int Address { get; private set; }

        /// <summary>False: unplugged or unpowered, so its address is not acknowledged.</summary>
        public bool Present { get; set; }

        /// <summary>True: the chip holds SCL low, so every transfer to it ends in the 1 s ESP32 timeout.</summary>
        public bool StretchTimeout { get; set; }

        /// <summary>Commands or registers the model does not implement, as text, in order.</summary>
        public string[] Unhandled
        {
            get
            {
                lock (VirtualEsp32.Sync)
                {
                    string[] result = new string[_unhandled.Count];
                    _unhandled.CopyTo(result);
                    return result;
                }
            }
        }

        /// <summary>The write phase: <paramref name="count"/> bytes after the address. False NACKs.</summary>
        protected internal abstract bool OnWrite(byte[] data, int count);

        /// <summary>The read phase: fill <paramref name="buffer"/> with <paramref name="count"/> bytes. False NACKs the address.</summary>
        protected internal abstract bool OnRead(byte[] buffer, int count);

        protected void RecordUnhandled(string what)
        {
            _unhandled.Add(what);
        }

        protected static long NowUs { get { return VirtualEsp32.Clock.NowMicroseconds; } }

        /// <summary>CRC-8 of Sensirion and Aosong: polynomial 0x31, initial value 0xFF, no reflection (CRC(0xBEEF) = 0x92).</summary>
        public static byte Crc8(byte[] data, int offset, int count)
        {
            int crc = 0xFF;
            for (int i = offset; i < offset + count; i++)
            {
                crc ^= data[i];
                for (int bit = 0; bit < 8; bit++) crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x31) & 0xFF : (crc << 1) & 0xFF;
            }
            return (byte)crc;
        }

        protected static string Hex(byte[] data, int count)
        {
            string s = "";
            for (int i = 0; i < count; i++) s += (i > 0 ? " " : "") + HexByte(data[i]);
            return s;
        }

        internal static string HexByte(int b)
        {
            const string digits = "0123456789ABCDEF";
            return digits[(b >> 4) & 0xF].ToString() + digits[b & 0xF].ToString();
        }

        protected static int Round(double value)
        {
            return value >= 0 ? (int)(value + 0.5) : -(int)(-value + 0.5);
        }
    }

    /// <summary>One I2C transfer as the application made it.</summary>
    public sealed class I2cTransaction
    {
        public readonly long AtMs;
        public readonly int Bus;
        public readonly int Address;
        public readonly byte[] Written;
        public readonly int ReadCount;
        /// <summary>I2cTransferStatus as int (1 FullTransfer, 2 ClockStretchTimeout, 4 SlaveAddressNotAcknowledged); -1 when the call threw.</summary>
        public readonly int Status;
        public readonly uint BytesTransferred;

        public I2cTransaction(long atMs, int bus, int address, byte[] written, int readCount, int status, uint bytesTransferred)
        {
            AtMs = atMs;
            Bus = bus;
            Address = address;
            Written = written;
            ReadCount = readCount;
            Status = status;
            BytesTransferred = bytesTransferred;
        }

        public override string ToString()
        {
            string w = "";
            for (int i = 0; i < Written.Length; i++) w += (i > 0 ? " " : "") + I2cChip.HexByte(Written[i]);
            return AtMs.ToString() + " ms I2C" + Bus.ToString() + " 0x" + I2cChip.HexByte(Address) + " write [" + w + "] read " + ReadCount.ToString() + " -> status " + Status.ToString() + ", " + BytesTransferred.ToString() + " bytes";
        }
    }
}
