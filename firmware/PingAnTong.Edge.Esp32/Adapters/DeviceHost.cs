using System.IO;
using nanoFramework.Runtime.Native;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Device;

namespace PingAnTong.Edge.Esp32.Adapters
{
    /// <summary>The hub's view of the device: firmware version, why it restarted, free memory, a reboot that records its reason first, and secret files on flash.</summary>
    public sealed class DeviceHost : IHostServices
    {
        public const string Version = "1.0.0";
        private readonly BootHistory _boot;

        public DeviceHost(BootHistory boot)
        {
            _boot = boot;
        }

        public string FirmwareVersion { get { return Version; } }

        /// <summary>power_on, software, watchdog, crash or unknown; "+safe_mode" when the device started in safe mode.</summary>
        public string ResetReason { get { return _boot.SafeMode ? _boot.ResetReason + "+safe_mode" : _boot.ResetReason; } }

        public long FreeMemoryBytes { get { return GC.Run(false); } }

        /// <summary>Not read on this board (0 = unknown).</summary>
        public int WifiRssi { get { return 0; } }

        /// <summary>A secret file deployed with nanoff (the command key, e.g. I:\command-key); null when missing or unreadable. Never logged.</summary>
        public byte[] ReadSecretFile(string path)
        {
            try
            {
                return File.Exists(path) ? File.ReadAllBytes(path) : null;
            }
            catch (System.Exception)
            {
                return null;
            }
        }

        public void Reboot()
        {
            RebootFor(BootHistory.ReasonSoftware);
        }

        public void RebootFor(string reason)
        {
            try
            {
                _boot.RecordReboot(reason);
            }
            finally
            {
                Power.RebootDevice();
            }
        }
    }
}
