// Mirrors nanoFramework.System.Device.Pwm 1.1.23 (assembly System.Device.Pwm). Signatures:
// tests/api-listings/nanoFramework.System.Device.Pwm.txt (checked by FacadeListingTests).
// Model: the managed logic of nanoframework/System.Device.Pwm@v1.1.23:System.Device.Pwm/PwmChannel.cs (CreateFromPin
// returns null when no timer accepts the pin; duty stored as value * 10000) over the native code of
// nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:targets/ESP32/_nanoCLR/System.Device.Pwm/sys_dev_pwm_native_System_Device_Pwm_PwmChannel.cpp
// (Models/PwmModel.cs: the pin must be mapped with Configuration.SetPinFunction(pin, DeviceFunction.PWMn);
// one global isStarted flag; a duty change while it is clear is only stored).
using System;
using PingAnTong.Edge.NanoFacades;

namespace System.Device.Pwm
{
    [Mirrors("nanoFramework.System.Device.Pwm", "1.1.23")]
    public sealed class PwmChannel : IDisposable
    {
        private const double DutyCycleFactor = 10000.0;
        private readonly int _pinNumber;
        private readonly int _pwmTimer;
        private readonly int _generation;
        private int _frequency;
        private uint _dutyCycle;
        private bool _disposed;

        private PwmChannel(int chip, int pin, int frequency, double dutyCyclePercentage)
        {
            _pwmTimer = chip;
            _pinNumber = pin;
            _generation = VirtualEsp32.CurrentGeneration;
            Frequency = frequency;
            if (!VirtualEsp32.Pwm.Init(pin, chip)) throw new ArgumentException("GPIO" + pin.ToString() + ": not an output pin or no free LEDC channel (CLR_E_INVALID_PARAMETER)");
            DutyCycle = dutyCyclePercentage;
        }

        public static PwmChannel CreateFromPin(int pin, int frequency = 400, double dutyCyclePercentage = 0.5)
        {
            for (int chip = 0; chip < 8; chip++)
            {
                if (VirtualEsp32.Pwm.GetChannel(pin, chip) != -1) return new PwmChannel(chip, pin, frequency, dutyCyclePercentage);
            }
            return null;
        }

        public int Frequency
        {
            get { return _frequency; }
            set
            {
                VirtualEsp32.CheckAlive(_generation);
                if (value <= 0) throw new ArgumentException("frequency must be above 0 (CLR_E_INVALID_PARAMETER)");
                VirtualEsp32.Pwm.SetFrequency(_pinNumber, _pwmTimer, value, _dutyCycle);
                _frequency = value;
            }
        }

        public double DutyCycle
        {
            get { return _dutyCycle / DutyCycleFactor; }
            set
            {
                VirtualEsp32.CheckAlive(_generation);
                if (value < 0 || value > 1.0) throw new ArgumentException("duty cycle must be between 0.0 and 1.0 (CLR_E_INVALID_PARAMETER)");
                uint field = (uint)(value * DutyCycleFactor);
                VirtualEsp32.Pwm.SetDuty(_pinNumber, _pwmTimer, _frequency, field);
                _dutyCycle = field;
            }
        }

        public void Start()
        {
            VirtualEsp32.CheckAlive(_generation);
            VirtualEsp32.Pwm.Start(_pinNumber, _pwmTimer, _frequency, _dutyCycle);
        }

        public void Stop()
        {
            VirtualEsp32.CheckAlive(_generation);
            VirtualEsp32.Pwm.Stop(_pinNumber);
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            if (_generation == VirtualEsp32.CurrentGeneration) VirtualEsp32.Pwm.Free(_pinNumber, _pwmTimer);
        }
    }
}
