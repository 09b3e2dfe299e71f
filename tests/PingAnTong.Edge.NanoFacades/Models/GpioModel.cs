using System;
using System.Collections;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// The ESP32's 40 GPIO pads as nanoFramework drives them. Model of
    /// nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:targets/ESP32/_nanoCLR/System.Device.Gpio/cpu_gpio.cpp
    /// and src/System.Device.Gpio/sys_dev_gpio_native_System_Device_Gpio_GpioPin.cpp, with the managed side of
    /// nanoframework/System.Device.Gpio@v1.1.62:System.Device.Gpio/{GpioController,GpioPin,GpioPinEventListener}.cs:
    /// <list type="bullet">
    /// <item>Valid GPIOs are 0-19, 21-23, 25-27, 32-39; 34-39 are input only (no output modes; ESP-IDF
    /// SOC_GPIO_VALID_(OUTPUT_)GPIO_MASK). OpenPin reserves the pin (a second OpenPin, or an invalid pin,
    /// throws InvalidOperationException); an unsupported mode throws ArgumentException and the pin stays
    /// reserved (NativeInit succeeded before SetPinMode failed).</item>
    /// <item>Input modes listen on both edges only once a ValueChanged handler is subscribed; the interrupt
    /// compares the pad with the last reported level and posts an event (Rising when high) to the interrupt
    /// thread. With DebounceTimeout &gt; 0 the first edge starts a FreeRTOS one-shot timer (ms rounded down to
    /// 10 ms ticks, at least one tick), edges meanwhile are ignored, and the event is raised only if the pad
    /// still holds the expected level when the timer fires.</item>
    /// <item>Write is allowed on output modes only (ArgumentException otherwise) and, with a handler
    /// subscribed, raises ValueChanged too. Subscribing a handler re-applies the pin mode, which on an output
    /// pin resets it low (CPU_GPIO_EnableOutputPin). Read on an output-only pad returns Low (GPIO_MODE_OUTPUT
    /// leaves the input buffer off, so gpio_get_level reads 0).</item>
    /// <item>An input nobody drives reads its pull resistor's level; with no pull it reads Low here (floating on the board).
    /// GPIO34-39 accept InputPullUp (CPU_GPIO_DriveModeSupported) but have no pull resistors (ESP32 datasheet), so they float.</item>
    /// </list>
    /// </summary>
    public sealed class GpioModel
    {
        internal const int Input = 0, InputPullDown = 1, InputPullUp = 2, Output = 3, OutputOpenDrain = 4, OutputOpenDrainPullUp = 5, OutputOpenSource = 6, OutputOpenSourcePullDown = 7;
        private const int TickMs = 10; // FreeRTOS tick on the ESP32 build (CONFIG_FREERTOS_HZ=100)

        private readonly PadState[] _pads = new PadState[40];
        private readonly ArrayList _writes = new ArrayList();

        public GpioModel()
        {
            for (int i = 0; i < _pads.Length; i++) _pads[i] = new PadState(i);
        }

        /// <summary>GPIO_IS_VALID_GPIO on the ESP32.</summary>
        public static bool IsValid(int pin)
        {
            return pin >= 0 && pin <= 39 && pin != 20 && pin != 24 && (pin < 28 || pin > 31);
        }

        /// <summary>GPIO_IS_VALID_OUTPUT_GPIO on the ESP32.</summary>
        public static bool IsValidOutput(int pin)
        {
            return IsValid(pin) && pin < 34;
        }

        // ---- environment: what the test wires to the pads ----

        /// <summary>Drives the pad from outside (a button to GND, a contact, a PIR output). Interrupts fire as on the device.</summary>
        public void Drive(int pin, bool high)
        {
            lock (VirtualEsp32.Sync)
            {
                PadState p = Pad(pin);
                bool before = LevelOf(p);
                p.Driven = high ? 1 : 0;
                Changed(p, before);
            }
        }

        /// <summary>Stops driving the pad: it reads its pull resistor again.</summary>
        public void Release(int pin)
        {
            lock (VirtualEsp32.Sync)
            {
                PadState p = Pad(pin);
                bool before = LevelOf(p);
                p.Driven = -1;
                Changed(p, before);
            }
        }

        /// <summary>The level on the pad (what a meter would show): the output latch for an output, else the driven level or the pull.</summary>
        public bool Level(int pin)
        {
            lock (VirtualEsp32.Sync) { return LevelOf(Pad(pin)); }
        }

        /// <summary>True while the application holds the pin open.</summary>
        public bool IsOpen(int pin)
        {
            lock (VirtualEsp32.Sync) { return Pad(pin).Reserved; }
        }

        /// <summary>The pin mode (System.Device.Gpio.PinMode as int), -1 before any.</summary>
        public int Mode(int pin)
        {
            lock (VirtualEsp32.Sync) { return Pad(pin).Mode; }
        }

        /// <summary>The debounce the native layer applies to the pin, in ms.</summary>
        public int DebounceMs(int pin)
        {
            lock (VirtualEsp32.Sync) { return Pad(pin).DebounceMs; }
        }

        /// <summary>True when a ValueChanged handler has the pin's interrupt armed.</summary>
        public bool InterruptArmed(int pin)
        {
            lock (VirtualEsp32.Sync) { return Pad(pin).IsrInstalled; }
        }

        /// <summary>Levels the application wrote to output pins, in order: <see cref="PinWrite"/> items.</summary>
        public PinWrite[] Writes(int pin)
        {
            lock (VirtualEsp32.Sync)
            {
                int n = 0;
                for (int i = 0; i < _writes.Count; i++) if (((PinWrite)_writes[i]).Pin == pin) n++;
                PinWrite[] result = new PinWrite[n];
                n = 0;
                for (int i = 0; i < _writes.Count; i++) if (((PinWrite)_writes[i]).Pin == pin) result[n++] = (PinWrite)_writes[i];
                return result;
            }
        }

        internal void Reset(bool unwire)
        {
            lock (VirtualEsp32.Sync)
            {
                for (int i = 0; i < _pads.Length; i++)
                {
                    PadState p = _pads[i];
                    VirtualEsp32.Clock.Cancel(p.DebounceTimer);
                    int driven = p.Driven;
                    _pads[i] = new PadState(i);
                    if (!unwire) _pads[i].Driven = driven;
                }
                _writes.Clear();
            }
        }

        // ---- native side, called by the System.Device.Gpio facades ----

        /// <summary>CPU_GPIO_ReservePin(pin, true).</summary>
        internal bool Reserve(int pin)
        {
            lock (VirtualEsp32.Sync)
            {
                if (!IsValid(pin)) return false;
                PadState p = _pads[pin];
                if (p.Reserved) return false;
                p.Reserved = true;
                return true;
            }
        }

        /// <summary>CPU_GPIO_DriveModeSupported.</summary>
        internal static bool ModeSupported(int pin, int mode)
        {
            if (!IsValid(pin) || mode < 0) return false;
            if (IsValidOutput(pin)) return mode <= OutputOpenSourcePullDown;
            return mode <= InputPullUp;
        }

        /// <summary>SetPinMode: false (ArgumentException) when the pad cannot take the mode. <paramref name="owner"/> receives interrupts when <paramref name="listening"/>.</summary>
        internal bool SetMode(int pin, int mode, int debounceMs, bool listening, System.Device.Gpio.GpioPin owner)
        {
            lock (VirtualEsp32.Sync)
            {
                if (!IsValid(pin) || mode < 0 || mode > OutputOpenSourcePullDown) return false;
                if (mode >= Output && !IsValidOutput(pin)) return false;
                PadState p = _pads[pin];
                bool before = LevelOf(p);
                if (mode >= Output)
                {
                    // CPU_GPIO_EnableOutputPin: input state deleted, pad reset, latch low.
                    DropInputState(p);
                    p.Mode = mode;
                    p.Latch = false;
                    Changed(p, before);
                    return true;
                }
                // CPU_GPIO_EnableInputPin
                p.Mode = mode;
                p.HasInputState = true;
                if (listening && !p.IsrInstalled)
                {
                    p.IsrInstalled = true;
                    p.Owner = owner;
                    p.DebounceMs = debounceMs;
                    p.Current = LevelOf(p);
                    p.Expected = !p.Current;
                }
                else if (!listening && p.IsrInstalled)
                {
                    VirtualEsp32.Clock.Cancel(p.DebounceTimer);
                    p.IsrInstalled = false;
                    p.Owner = null;
                    p.DebounceMs = 0;
                    p.WaitingDebounce = false;
                }
                if (p.IsrInstalled) p.Owner = owner;
                return true;
            }
        }

        /// <summary>CPU_GPIO_SetPinDebounce: applies only once the pin has input state.</summary>
        internal void SetDebounce(int pin, int debounceMs)
        {
            lock (VirtualEsp32.Sync)
            {
                if (!IsValid(pin)) return;
                PadState p = _pads[pin];
                if (p.HasInputState) p.DebounceMs = debounceMs;
            }
        }

        /// <summary>GpioPin.Read: the pad for inputs, 0 for output-only pads.</summary>
        internal bool Read(int pin)
        {
            lock (VirtualEsp32.Sync)
            {
                PadState p = Pad(pin);
                if (p.Mode >= Output) return false;
                return LevelOf(p);
            }
        }

        /// <summary>GpioPin.Write: false (ArgumentException) on an input. Posts ValueChanged when a handler is subscribed.</summary>
        internal bool Write(int pin, bool high, bool hasHandlers, System.Device.Gpio.GpioPin owner)
        {
            lock (VirtualEsp32.Sync)
            {
                PadState p = Pad(pin);
                if (p.Mode < Output) return false;
                p.Latch = high;
                _writes.Add(new PinWrite(pin, high, VirtualEsp32.Clock.NowMilliseconds));
                if (hasHandlers) Post(owner, pin, high);
                return true;
            }
        }

        /// <summary>Dispose: CPU_GPIO_DisablePin(pin, Input) and release.</summary>
        internal void Close(int pin)
        {
            lock (VirtualEsp32.Sync)
            {
                PadState p = Pad(pin);
                DropInputState(p);
                p.Mode = Input;
                p.Reserved = false;
            }
        }

        // ---- internals ----

        private PadState Pad(int pin)
        {
            if (pin < 0 || pin >= _pads.Length) throw new ArgumentOutOfRangeException("pin", "the ESP32 has GPIO0..GPIO39");
            return _pads[pin];
        }

        private static bool LevelOf(PadState p)
        {
            if (p.Mode == Output) return p.Latch;
            if (p.Mode >= OutputOpenDrain) return p.Latch && (p.Driven == 1 || (p.Driven == -1 && p.Mode == OutputOpenDrainPullUp));
            if (p.Driven >= 0) return p.Driven == 1;
            return p.Mode == InputPullUp && p.Number < 34; // GPIO34-39 have no pull resistors (ESP32 datasheet, IO_MUX)
        }

        private static void DropInputState(PadState p)
        {
            VirtualEsp32.Clock.Cancel(p.DebounceTimer);
            p.DebounceTimer = null;
            p.HasInputState = false;
            p.IsrInstalled = false;
            p.Owner = null;
            p.DebounceMs = 0;
            p.WaitingDebounce = false;
        }

        /// <summary>The pad may have changed level: the interrupt service routine (gpio_isr) of cpu_gpio.cpp.</summary>
        private void Changed(PadState p, bool before)
        {
            if (!p.IsrInstalled) return;
            bool now = LevelOf(p);
            if (now == before) return;
            if (p.WaitingDebounce) return;
            if (p.DebounceMs > 0)
            {
                p.WaitingDebounce = true;
                p.Expected = !p.Current;
                int ticks = p.DebounceMs / TickMs;
                if (ticks == 0) ticks = 1;
                p.DebounceTimer = VirtualEsp32.Clock.Schedule((long)ticks * TickMs * 1000, delegate { DebounceExpired(p); });
                return;
            }
            if (now != p.Current)
            {
                p.Current = now;
                Post(p.Owner, p.Number, now);
            }
        }

        /// <summary>Esp_Gpio_DebounceHandler.</summary>
        private void DebounceExpired(PadState p)
        {
            p.DebounceTimer = null;
            if (!p.IsrInstalled) return;
            bool actual = LevelOf(p);
            if (actual == p.Expected)
            {
                p.Current = actual;
                Post(p.Owner, p.Number, actual);
                p.Expected = !p.Expected; // GPIO_INT_EDGE_BOTH
            }
            p.WaitingDebounce = false;
        }

        private static void Post(System.Device.Gpio.GpioPin owner, int pin, bool high)
        {
            if (owner == null) return;
            System.Device.Gpio.PinEventTypes edge = high ? System.Device.Gpio.PinEventTypes.Rising : System.Device.Gpio.PinEventTypes.Falling;
            VirtualEsp32.Events.Post(delegate { owner.OnPinChangedInternal(edge); });
        }

        private sealed class PadState
        {
            public readonly int Number;
            public bool Reserved;
            public int Mode = -1;
            public bool Latch;
            public int Driven = -1;
            public bool HasInputState;
            public bool IsrInstalled;
            public int DebounceMs;
            public bool Current;
            public bool Expected;
            public bool WaitingDebounce;
            public ModelTimer DebounceTimer;
            public System.Device.Gpio.GpioPin Owner;

            public PadState(int number)
            {
                Number = number;
            }
        }
    }

    /// <summary>One level the application wrote to an output pin.</summary>
    public sealed class PinWrite
    {
        public readonly int Pin;
        public readonly bool High;
        public readonly long AtMs;

        public PinWrite(int pin, bool high, long atMs)
        {
            Pin = pin;
            High = high;
            AtMs = atMs;
        }
    }
}
