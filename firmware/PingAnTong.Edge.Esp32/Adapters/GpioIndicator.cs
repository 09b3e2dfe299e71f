using System;
using System.Device.Gpio;
using System.Device.Pwm;
using System.Threading;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Alarms;

namespace PingAnTong.Edge.Esp32.Adapters
{
    /// <summary>
    /// Plays the core's indication patterns (IndicationPattern) on the LED (GPIO) and the passive
    /// buzzer (PWM at 2.7 kHz, the loudest frequency of common 12 mm buzzers). A 50 ms timer drives
    /// both, so the hub loop never waits for a pattern; <see cref="Show"/> only swaps the pattern.
    /// </summary>
    public sealed class GpioIndicator : IIndicator, IDisposable
    {
        private const int TickMs = 50;
        private const int BuzzerHz = 2700;
        private readonly GpioPin _led;
        private readonly PwmChannel _buzzer;
        private readonly IClock _clock;
        private readonly Timer _timer;
        private int _indication = Indication.Idle;
        private long _startedMs;
        private bool _buzzing;

        public GpioIndicator(GpioController gpio, int ledPin, int buzzerPin, IClock clock)
        {
            _clock = clock;
            if (ledPin >= 0) _led = gpio.OpenPin(ledPin, PinMode.Output);
            if (buzzerPin >= 0) _buzzer = PwmChannel.CreateFromPin(buzzerPin, BuzzerHz, 0.0);
            if (_buzzer != null) _buzzer.Start();
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
            int indication = _indication;
            long elapsed = _clock.UptimeMs - _startedMs;
            if (_led != null) _led.Write(IndicationPattern.LedOn(indication, elapsed) ? PinValue.High : PinValue.Low);
            bool buzz = IndicationPattern.BuzzerOn(indication, elapsed);
            if (_buzzer != null && buzz != _buzzing)
            {
                _buzzer.DutyCycle = buzz ? 0.5 : 0.0;
                _buzzing = buzz;
            }
        }

        public void Dispose()
        {
            _timer.Dispose();
            if (_buzzer != null) _buzzer.Dispose();
            if (_led != null) _led.Dispose();
        }
    }
}
