using System;
using System.Device.Gpio;
using System.Device.Pwm;
using System.Threading;
using nanoFramework.Hardware.Esp32;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Field;

namespace PingAnTong.Edge.Esp32.Adapters
{
    /// <summary>
    /// Plays the core's indication patterns (IndicationPattern) on the LED (GPIO) and the passive
    /// buzzer (PWM at 2.7 kHz, the loudest frequency of common 12 mm buzzers). A 50 ms timer drives
    /// both, so the hub loop never waits for a pattern; <see cref="Show"/> only swaps the pattern.
    /// On the ESP32 a PWM channel exists only for a pin mapped to a PWM function, and a duty change is
    /// only stored while no channel is started (nf-interpreter sys_dev_pwm_native_System_Device_Pwm_PwmChannel.cpp:
    /// GetChannel, the global isStarted), so the buzzer pin is mapped to PWM1, the channel is created at the
    /// duty it sounds with, and beeps are Start/Stop.
    /// </summary>
    public sealed class GpioIndicator : IIndicator, IDisposable
    {
        private const int TickMs = 50;
        private const int BuzzerHz = 2700;
        private readonly GpioPin _led;
        private readonly PwmChannel _buzzer;
        private readonly IClock _clock;
        private readonly Timer _timer;
        private readonly object _lock = new object();
        private bool _disposed;
        private int _indication = Indication.Idle;
        private long _startedMs;
        private bool _buzzing;

        public GpioIndicator(GpioController gpio, int ledPin, int buzzerPin, IClock clock)
        {
            _clock = clock;
            if (ledPin >= 0) _led = gpio.OpenPin(ledPin, PinMode.Output);
            if (buzzerPin >= 0)
            {
                Configuration.SetPinFunction(buzzerPin, DeviceFunction.PWM1);
                _buzzer = PwmChannel.CreateFromPin(buzzerPin, BuzzerHz, 0.5);
                if (_buzzer == null) Log.Error(Log.T(ConsoleText.LogBuzzer, buzzerPin.ToString()));
            }
            _timer = new Timer(Tick, null, TickMs, TickMs);
        }

        public void Show(int indication)
        {
            if (indication < 0 || indication >= IndicationPattern.Count) indication = Indication.Fault;
            _startedMs = _clock.UptimeMs;
            _indication = indication;
        }

        private void Tick(object state)
        {
            lock (_lock)
            {
                if (_disposed) return;
                int indication = _indication;
                long elapsed = _clock.UptimeMs - _startedMs;
                if (_led != null) _led.Write(IndicationPattern.LedOn(indication, elapsed) ? PinValue.High : PinValue.Low);
                bool buzz = IndicationPattern.BuzzerOn(indication, elapsed);
                if (_buzzer != null && buzz != _buzzing)
                {
                    if (buzz) _buzzer.Start();
                    else _buzzer.Stop();
                    _buzzing = buzz;
                }
            }
        }

        public void Dispose()
        {
            _timer.Dispose();
            lock (_lock)
            {
                // A tick may still be running: the lock waits for it, the flag stops later ones.
                _disposed = true;
                if (_buzzer != null)
                {
                    _buzzer.Stop(); // disposing a channel leaves its output running
                    _buzzer.Dispose();
                }
                if (_led != null) _led.Dispose();
            }
        }
    }
}
