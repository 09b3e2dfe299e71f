// Mirrors nanoFramework.System.Device.Gpio 1.1.62 (assembly System.Device.Gpio) and the one type the
// GPIO events need from nanoFramework.Runtime.Events 1.11.37. Signatures: tests/api-listings/ of both packages
// (checked by FacadeListingTests). Only members the device project uses.
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
        public static PinValue High { get { throw Facade.NotOnDevice(); } }
        public static PinValue Low { get { throw Facade.NotOnDevice(); } }
        public static implicit operator PinValue(bool value) { throw Facade.NotOnDevice(); }
        public static implicit operator PinValue(int value) { throw Facade.NotOnDevice(); }
        public static explicit operator bool(PinValue value) { throw Facade.NotOnDevice(); }
        public static bool operator ==(PinValue a, PinValue b) { throw Facade.NotOnDevice(); }
        public static bool operator !=(PinValue a, PinValue b) { throw Facade.NotOnDevice(); }
        public override bool Equals(object obj) { throw Facade.NotOnDevice(); }
        public override int GetHashCode() { throw Facade.NotOnDevice(); }
    }

    [Mirrors("nanoFramework.System.Device.Gpio", "1.1.62")]
    public class PinValueChangedEventArgs : nanoFramework.Runtime.Events.BaseEvent
    {
        public PinValueChangedEventArgs(PinEventTypes changeType, int pinNumber) { throw Facade.NotOnDevice(); }
        public PinEventTypes ChangeType { get { throw Facade.NotOnDevice(); } }
        public int PinNumber { get { throw Facade.NotOnDevice(); } }
    }

    [Mirrors("nanoFramework.System.Device.Gpio", "1.1.62")]
    public delegate void PinValueChangedEventHandler(object sender, PinValueChangedEventArgs e);

    [Mirrors("nanoFramework.System.Device.Gpio", "1.1.62")]
    public sealed class GpioPin : IDisposable
    {
        private GpioPin() { throw Facade.NotOnDevice(); }
        public TimeSpan DebounceTimeout { get { throw Facade.NotOnDevice(); } set { throw Facade.NotOnDevice(); } }
        public int PinNumber { get { throw Facade.NotOnDevice(); } }
        public PinValue Read() { throw Facade.NotOnDevice(); }
        public void Write(PinValue value) { throw Facade.NotOnDevice(); }
        public event PinValueChangedEventHandler ValueChanged { add { throw Facade.NotOnDevice(); } remove { throw Facade.NotOnDevice(); } }
        public void Dispose() { throw Facade.NotOnDevice(); }
    }

    [Mirrors("nanoFramework.System.Device.Gpio", "1.1.62")]
    public sealed class GpioController : IDisposable
    {
        public GpioController() { throw Facade.NotOnDevice(); }
        public GpioPin OpenPin(int pinNumber, PinMode mode) { throw Facade.NotOnDevice(); }
        public bool IsPinModeSupported(int pinNumber, PinMode mode) { throw Facade.NotOnDevice(); }
        public void Dispose() { throw Facade.NotOnDevice(); }
    }
}
