// Mirrors nanoFramework.System.Device.Gpio 1.1.62 (assembly System.Device.Gpio) and the one type the
// GPIO events need from nanoFramework.Runtime.Events 1.11.37. Signatures: tests/api-listings/ of both packages
// (checked by FacadeListingTests). Only members the device project uses.
// Model: the bodies run the virtual ESP32 (Models/GpioModel.cs), which follows
// nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:targets/ESP32/_nanoCLR/System.Device.Gpio/cpu_gpio.cpp,
// nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:src/System.Device.Gpio/sys_dev_gpio_native_System_Device_Gpio_GpioPin.cpp
// and the managed nanoframework/System.Device.Gpio@v1.1.62:System.Device.Gpio/GpioPin.cs.
using System;
using PingAnTong.Edge.NanoFacades;

namespace nanoFramework.Runtime.Events
{
    [Mirrors("nanoFramework.Runtime.Events", "1.11.37")]
    public class BaseEvent
    {
    }
}

namespace System.Device.Gpio
{
    [Mirrors("nanoFramework.System.Device.Gpio", "1.1.62")]
    public enum PinMode { Input, InputPullDown, InputPullUp, Output, OutputOpenDrain, OutputOpenDrainPullUp, OutputOpenSource, OutputOpenSourcePullDown }

    [Mirrors("nanoFramework.System.Device.Gpio", "1.1.62")]
    [Flags]
    public enum PinEventTypes { None = 0, Rising = 1, Falling = 2 }

    [Mirrors("nanoFramework.System.Device.Gpio", "1.1.62")]
    public readonly struct PinValue
    {
        private readonly byte _value;

        private PinValue(byte value) { _value = value; }

        public static PinValue High { get { return new PinValue(1); } }
        public static PinValue Low { get { return new PinValue(0); } }
        public static implicit operator PinValue(bool value) { return new PinValue(value ? (byte)1 : (byte)0); }
        public static implicit operator PinValue(int value) { return new PinValue(value != 0 ? (byte)1 : (byte)0); }
        public static explicit operator bool(PinValue value) { return value._value != 0; }
        public static bool operator ==(PinValue a, PinValue b) { return a._value == b._value; }
        public static bool operator !=(PinValue a, PinValue b) { return a._value != b._value; }
        public override bool Equals(object obj) { return obj is PinValue && ((PinValue)obj)._value == _value; }
        public override int GetHashCode() { return _value; }
    }

    [Mirrors("nanoFramework.System.Device.Gpio", "1.1.62")]
    public class PinValueChangedEventArgs : nanoFramework.Runtime.Events.BaseEvent
    {
        private readonly PinEventTypes _changeType;
        private readonly int _pinNumber;

        public PinValueChangedEventArgs(PinEventTypes changeType, int pinNumber) { _changeType = changeType; _pinNumber = pinNumber; }
        public PinEventTypes ChangeType { get { return _changeType; } }
        public int PinNumber { get { return _pinNumber; } }
    }

    [Mirrors("nanoFramework.System.Device.Gpio", "1.1.62")]
    public delegate void PinValueChangedEventHandler(object sender, PinValueChangedEventArgs e);

    [Mirrors("nanoFramework.System.Device.Gpio", "1.1.62")]
    public sealed class GpioPin : IDisposable
    {
        private readonly object _syncLock = new object();
        private readonly int _pinNumber;
        private readonly int _generation;
        private int _pinMode = (int)PinMode.Input;
        private TimeSpan _debounceTimeout = TimeSpan.Zero;
        private PinValueChangedEventHandler _callbacks;
        private bool _disposed;

        internal GpioPin(int pinNumber)
        {
            _pinNumber = pinNumber;
            _generation = VirtualEsp32.CurrentGeneration;
        }

        public TimeSpan DebounceTimeout
        {
            get { return _debounceTimeout; }
            set
            {
                VirtualEsp32.CheckAlive(_generation);
                _debounceTimeout = value;
                VirtualEsp32.Gpio.SetDebounce(_pinNumber, DebounceMs);
            }
        }

        public int PinNumber { get { return _pinNumber; } }

        public PinValue Read()
        {
            VirtualEsp32.CheckAlive(_generation);
            if (_disposed) throw new ObjectDisposedException("GpioPin");
            return VirtualEsp32.Gpio.Read(_pinNumber) ? PinValue.High : PinValue.Low;
        }

        public void Write(PinValue value)
        {
            VirtualEsp32.CheckAlive(_generation);
            lock (_syncLock)
            {
                if (_disposed) throw new ObjectDisposedException("GpioPin");
                if (!VirtualEsp32.Gpio.Write(_pinNumber, (bool)value, _callbacks != null, this)) throw new ArgumentException("GPIO" + _pinNumber.ToString() + " is not an output (CLR_E_INVALID_PARAMETER)");
            }
        }

        public event PinValueChangedEventHandler ValueChanged
        {
            add
            {
                VirtualEsp32.CheckAlive(_generation);
                lock (_syncLock)
                {
                    if (_disposed) throw new ObjectDisposedException("GpioPin");
                    _callbacks = (PinValueChangedEventHandler)Delegate.Combine(_callbacks, value);
                    SetPinMode(_pinMode);
                }
            }
            remove
            {
                VirtualEsp32.CheckAlive(_generation);
                lock (_syncLock)
                {
                    if (_disposed) throw new ObjectDisposedException("GpioPin");
                    _callbacks = (PinValueChangedEventHandler)Delegate.Remove(_callbacks, value);
                    SetPinMode(_pinMode);
                }
            }
        }

        public void Dispose()
        {
            lock (_syncLock)
            {
                if (_disposed) return;
                _disposed = true;
                if (_generation == VirtualEsp32.CurrentGeneration) VirtualEsp32.Gpio.Close(_pinNumber);
            }
        }

        private int DebounceMs { get { return (int)(_debounceTimeout.Ticks / TimeSpan.TicksPerMillisecond); } }

        /// <summary>NativeSetPinMode: ArgumentException when the pad cannot take the mode.</summary>
        internal void SetPinMode(int mode)
        {
            if (!VirtualEsp32.Gpio.SetMode(_pinNumber, mode, DebounceMs, _callbacks != null, this))
            {
                throw new ArgumentException("GPIO" + _pinNumber.ToString() + " does not support pin mode " + mode.ToString() + " (CLR_E_INVALID_PARAMETER)");
            }
            _pinMode = mode;
        }

        /// <summary>Called on the interrupt thread (GpioPinEventListener.OnEvent).</summary>
        internal void OnPinChangedInternal(PinEventTypes edge)
        {
            PinValueChangedEventHandler callbacks = null;
            lock (_syncLock)
            {
                if (!_disposed) callbacks = _callbacks;
            }
            if (callbacks != null) callbacks(this, new PinValueChangedEventArgs(edge, _pinNumber));
        }
    }

    [Mirrors("nanoFramework.System.Device.Gpio", "1.1.62")]
    public sealed class GpioController : IDisposable
    {
        private readonly System.Collections.ArrayList _pins = new System.Collections.ArrayList();

        public GpioController()
        {
        }

        public GpioPin OpenPin(int pinNumber, PinMode mode)
        {
            GpioPin pin = new GpioPin(pinNumber);
            if (!VirtualEsp32.Gpio.Reserve(pinNumber)) throw new InvalidOperationException("GPIO" + pinNumber.ToString() + " is not a valid pin or is already open");
            pin.SetPinMode((int)mode);
            _pins.Add(pin);
            return pin;
        }

        public bool IsPinModeSupported(int pinNumber, PinMode mode) { return GpioModel.ModeSupported(pinNumber, (int)mode); }

        public void Dispose()
        {
            for (int i = 0; i < _pins.Count; i++) ((GpioPin)_pins[i]).Dispose();
            _pins.Clear();
        }
    }
}
