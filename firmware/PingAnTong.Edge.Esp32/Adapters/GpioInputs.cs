using System;
using System.Device.Gpio;
using PingAnTong.Edge.Core;

namespace PingAnTong.Edge.Esp32.Adapters
{
    /// <summary>
    /// Opens the configured inputs and forwards every raw level change to the hub's queue. No logic
    /// runs in the callback: the core debounces, counts chatter and decides. Buttons and contacts
    /// switch to GND, so GPIO below 34 get the internal pull-up; GPIO34-39 have no internal resistors
    /// and rely on the external ones the board's pin map (hardware/boards) declares.
    /// </summary>
    public sealed class GpioInputs : IDisposable
    {
        private readonly GpioController _gpio;
        private readonly Hub _hub;
        private readonly DeviceClock _clock;
        private GpioPin[] _pins;

        public GpioInputs(GpioController gpio, Hub hub, DeviceClock clock)
        {
            _gpio = gpio;
            _hub = hub;
            _clock = clock;
        }

        public void Open()
        {
            _pins = new GpioPin[_hub.Inputs.Length];
            for (int i = 0; i < _hub.Inputs.Length; i++)
            {
                int pinNumber = _hub.Inputs[i].Config.Pin;
                GpioPin pin = _gpio.OpenPin(pinNumber, pinNumber >= 34 ? PinMode.Input : PinMode.InputPullUp);
                pin.DebounceTimeout = TimeSpan.Zero; // every edge reaches the core, which debounces in software
                Subscribe(pin, i);
                _pins[i] = pin;
                // Report the level at start, so the core knows where each input rests.
                _hub.PostPinEdge(i, pin.Read() == PinValue.High, _clock.UptimeMs);
            }
        }

        private void Subscribe(GpioPin pin, int index)
        {
            pin.ValueChanged += (sender, e) => _hub.PostPinEdge(index, e.ChangeType == PinEventTypes.Rising, _clock.UptimeMs);
        }

        public void Dispose()
        {
            if (_pins == null) return;
            for (int i = 0; i < _pins.Length; i++) if (_pins[i] != null) _pins[i].Dispose();
        }
    }
}
