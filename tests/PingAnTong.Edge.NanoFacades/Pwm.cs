// Mirrors nanoFramework.System.Device.Pwm 1.1.23 (assembly System.Device.Pwm). Signatures:
// tests/api-listings/nanoFramework.System.Device.Pwm.txt (checked by FacadeListingTests).
using System;
using PingAnTong.Edge.NanoFacades;

namespace System.Device.Pwm
{
    [Mirrors("nanoFramework.System.Device.Pwm", "1.1.23")]
    public sealed class PwmChannel : IDisposable
    {
        private PwmChannel() { throw Facade.NotOnDevice(); }
        public static PwmChannel CreateFromPin(int pin, int frequency = 400, double dutyCyclePercentage = 0.5) { throw Facade.NotOnDevice(); }
        public int Frequency { get { throw Facade.NotOnDevice(); } set { throw Facade.NotOnDevice(); } }
        public double DutyCycle { get { throw Facade.NotOnDevice(); } set { throw Facade.NotOnDevice(); } }
        public void Start() { throw Facade.NotOnDevice(); }
        public void Stop() { throw Facade.NotOnDevice(); }
        public void Dispose() { throw Facade.NotOnDevice(); }
    }
}
