using System;
using System.Collections;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// The ESP32 LEDC PWM as nanoFramework drives it. Model of
    /// nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:targets/ESP32/_nanoCLR/System.Device.Pwm/sys_dev_pwm_native_System_Device_Pwm_PwmChannel.cpp
    /// with the managed nanoframework/System.Device.Pwm@v1.1.23:System.Device.Pwm/PwmChannel.cs:
    /// <list type="bullet">
    /// <item>CreateFromPin(pin) tries timers 0..7; timer t accepts the pin only if PWM(2t+1) or PWM(2t+2) was
    /// mapped to it with Configuration.SetPinFunction (GetChannel); with no mapping it returns null.</item>
    /// <item>The constructor stores the frequency, takes one of 8 channels of the timer's speed group
    /// (ArgumentException on an input-only pin or when all 8 are taken) and sets the duty; nothing is output
    /// until Start.</item>
    /// <item>One flag for all channels, isStarted: Start sets it (ledc_channel_config with the stored duty,
    /// which starts the output), Stop on ANY channel clears it (ledc_stop, output idle low). While it is clear a
    /// DutyCycle change is only stored and reaches the pin at the next Start; while it is set it is applied at
    /// once (ledc_set_duty + ledc_update_duty), also to a channel that is not running.</item>
    /// <item>Duty resolution: the largest of 19..1 bits with (80 MHz &lt;&lt; 8) / f / 2^bits &gt; 256 (GetOptimumResolution);
    /// the hardware duty is 2^bits * duty * 10000 / 10000 (CalculateDuty), e.g. 8192/16384 at 2.7 kHz and 0.5.</item>
    /// <item>Channels share their timer (PWM1 and PWM2 timer 0, PWM3 and PWM4 timer 1, ...): starting one
    /// reconfigures the timer's frequency and resolution for both.</item>
    /// <item>Dispose only frees the channel slot: a running output keeps running.</item>
    /// </list>
    /// This is what the source does; I did not find a rule that ignores a duty change while the stored duty is 0.
    /// </summary>
    public sealed class PwmModel
    {
        private const long ApbClockHz = 80000000;
        private readonly int[] _highSpeed = new int[8];
        private readonly int[] _lowSpeed = new int[8];
        private readonly ArrayList _outputs = new ArrayList();
        private readonly ArrayList _history = new ArrayList();
        private readonly int[] _timerFrequency = new int[8];
        private readonly int[] _timerResolution = new int[8];
        private bool _isStarted;

        public PwmModel()
        {
            Reset();
        }

        /// <summary>The global isStarted flag of the native code.</summary>
        public bool IsStarted { get { lock (VirtualEsp32.Sync) { return _isStarted; } } }

        /// <summary>True while the pin outputs a PWM signal.</summary>
        public bool Running(int pin)
        {
            lock (VirtualEsp32.Sync)
            {
                PwmOutput o = Find(pin);
                return o != null && o.Running;
            }
        }

        /// <summary>The duty the pin outputs now (0 when stopped): hardware duty / 2^resolution.</summary>
        public double OutputDuty(int pin)
        {
            lock (VirtualEsp32.Sync)
            {
                PwmOutput o = Find(pin);
                return o == null || !o.Running ? 0.0 : Duty(o);
            }
        }

        /// <summary>The frequency the pin's timer runs at (Hz), 0 if never configured.</summary>
        public int OutputFrequency(int pin)
        {
            lock (VirtualEsp32.Sync)
            {
                PwmOutput o = Find(pin);
                return o == null || o.Timer < 0 ? 0 : _timerFrequency[o.Timer];
            }
        }

        /// <summary>True when the pin makes sound/light now: running with a duty above 0.</summary>
        public bool Active(int pin)
        {
            return OutputDuty(pin) > 0.0;
        }

        /// <summary>Every change of a pin's output (start, stop, duty), in order.</summary>
        public PwmChange[] History
        {
            get
            {
                lock (VirtualEsp32.Sync)
                {
                    PwmChange[] result = new PwmChange[_history.Count];
                    _history.CopyTo(result);
                    return result;
                }
            }
        }

        internal void Reset()
        {
            lock (VirtualEsp32.Sync)
            {
                for (int i = 0; i < 8; i++)
                {
                    _highSpeed[i] = 255;
                    _lowSpeed[i] = 255;
                    _timerFrequency[i] = 0;
                    _timerResolution[i] = 0;
                }
                _outputs.Clear();
                _history.Clear();
                _isStarted = false;
            }
        }

        // ---- native side ----

        /// <summary>GetChannel(pin, timerId): the pin when PWM(2t+1) or PWM(2t+2) is mapped to it, else -1.</summary>
        internal int GetChannel(int pin, int timer)
        {
            for (int pwm = timer * 2; pwm < timer * 2 + 2; pwm++)
            {
                if (VirtualEsp32.PinMap.PwmPin(pwm + 1) == pin) return pin;
            }
            return -1;
        }

        /// <summary>NativeInit: false for an input-only pin or when the speed group's 8 channels are taken.</summary>
        internal bool Init(int pin, int timer)
        {
            lock (VirtualEsp32.Sync)
            {
                if (!GpioModel.IsValidOutput(pin)) return false;
                return Slot(pin, timer, true) >= 0;
            }
        }

        /// <summary>NativeSetDesiredFrequency (the stored field is updated by the caller).</summary>
        internal void SetFrequency(int pin, int timer, int frequency, uint dutyField)
        {
            lock (VirtualEsp32.Sync)
            {
                if (!_isStarted || Slot(pin, timer, false) < 0) return;
                PwmOutput o = Output(pin, timer);
                _timerFrequency[timer] = frequency;
                int bits = Resolution(frequency);
                if (bits != _timerResolution[timer])
                {
                    _timerResolution[timer] = bits;
                    o.HardwareDuty = (int)((1L << bits) * dutyField / 10000);
                }
                Record(o, "frequency");
            }
        }

        /// <summary>NativeSetActiveDutyCyclePercentage: true when applied to the hardware, false when only stored (isStarted clear).</summary>
        internal bool SetDuty(int pin, int timer, int frequency, uint dutyField)
        {
            lock (VirtualEsp32.Sync)
            {
                if (!_isStarted) return false;
                PwmOutput o = Output(pin, timer);
                _timerResolution[timer] = Resolution(frequency);
                o.HardwareDuty = (int)((1L << _timerResolution[timer]) * dutyField / 10000);
                Record(o, "duty");
                return true;
            }
        }

        /// <summary>NativeStart: ConfigureAndStart.</summary>
        internal void Start(int pin, int timer, int frequency, uint dutyField)
        {
            lock (VirtualEsp32.Sync)
            {
                if (Slot(pin, timer, true) < 0) throw new ArgumentOutOfRangeException("pin", "no free LEDC channel (CLR_E_OUT_OF_RANGE)");
                PwmOutput o = Output(pin, timer);
                _timerFrequency[timer] = frequency;
                _timerResolution[timer] = Resolution(frequency);
                o.HardwareDuty = (int)((1L << _timerResolution[timer]) * dutyField / 10000);
                o.Running = true;
                _isStarted = true;
                Record(o, "start");
            }
        }

        /// <summary>NativeStop: idle level, and the global flag is cleared.</summary>
        internal void Stop(int pin)
        {
            lock (VirtualEsp32.Sync)
            {
                PwmOutput o = Output(pin, -1);
                o.Running = false;
                _isStarted = false;
                Record(o, "stop");
            }
        }

        /// <summary>DisposeNative: frees the slot only.</summary>
        internal void Free(int pin, int timer)
        {
            lock (VirtualEsp32.Sync)
            {
                int[] map = timer > 3 ? _lowSpeed : _highSpeed;
                for (int i = 0; i < 8; i++)
                {
                    if (map[i] == pin)
                    {
                        map[i] = 255;
                        break;
                    }
                }
            }
        }

        /// <summary>GetOptimumResolution for the ESP32 (SOC_LEDC_TIMER_BIT_WIDTH 20, APB 80 MHz).</summary>
        internal static int Resolution(int frequency)
        {
            if (frequency <= 0) return 1;
            for (int bits = 19; bits > 0; bits--)
            {
                long div = (ApbClockHz << 8) / frequency / (1L << bits);
                if (div > 256) return bits;
            }
            return 1;
        }

        private int Slot(int pin, int timer, bool create)
        {
            int[] map = timer > 3 ? _lowSpeed : _highSpeed;
            for (int i = 0; i < 8; i++) if (map[i] == pin) return i;
            if (!create) return -1;
            for (int i = 0; i < 8; i++)
            {
                if (map[i] == 255)
                {
                    map[i] = pin;
                    return i;
                }
            }
            return -1;
        }

        private PwmOutput Find(int pin)
        {
            for (int i = 0; i < _outputs.Count; i++)
            {
                PwmOutput o = (PwmOutput)_outputs[i];
                if (o.Pin == pin) return o;
            }
            return null;
        }

        private PwmOutput Output(int pin, int timer)
        {
            PwmOutput o = Find(pin);
            if (o == null)
            {
                o = new PwmOutput(pin);
                _outputs.Add(o);
            }
            if (timer >= 0) o.Timer = timer;
            return o;
        }

        private double Duty(PwmOutput o)
        {
            if (o.Timer < 0) return 0.0;
            double duty = (double)o.HardwareDuty / (1 << _timerResolution[o.Timer]);
            return duty > 1.0 ? 1.0 : duty;
        }

        private void Record(PwmOutput o, string what)
        {
            _history.Add(new PwmChange(VirtualEsp32.Clock.NowMilliseconds, o.Pin, what, o.Running, o.Running ? Duty(o) : 0.0, o.Timer < 0 ? 0 : _timerFrequency[o.Timer]));
        }

        private sealed class PwmOutput
        {
            public readonly int Pin;
            public bool Running;
            public int Timer = -1;
            public int HardwareDuty;

            public PwmOutput(int pin)
            {
                Pin = pin;
            }
        }
    }

    /// <summary>One change of a PWM output.</summary>
    public sealed class PwmChange
    {
        public readonly long AtMs;
        public readonly int Pin;
        public readonly string What;
        public readonly bool Running;
        public readonly double OutputDuty;
        public readonly int Frequency;

        public PwmChange(long atMs, int pin, string what, bool running, double outputDuty, int frequency)
        {
            AtMs = atMs;
            Pin = pin;
            What = what;
            Running = running;
            OutputDuty = outputDuty;
            Frequency = frequency;
        }

        public override string ToString()
        {
            return AtMs.ToString() + " ms GPIO" + Pin.ToString() + " " + What + (Running ? " running" : " stopped") + " duty " + OutputDuty.ToString() + " at " + Frequency.ToString() + " Hz";
        }
    }
}
