using PingAnTong.Edge.Core.Device;
using PingAnTong.Edge.Core.Field;

namespace PingAnTong.Edge.Esp32.Adapters
{
    /// <summary>What only the device knows, for the console's <c>status</c> and <c>sensors</c>: Wi-Fi, MQTT and safe mode.</summary>
    public sealed class DeviceConsoleHost : IConsoleHost
    {
        private readonly WifiLink _wifi;
        private readonly M2MqttTransport _transport;
        private readonly BootHistory _boot;

        public DeviceConsoleHost(WifiLink wifi, M2MqttTransport transport, BootHistory boot)
        {
            _wifi = wifi;
            _transport = transport;
            _boot = boot;
        }

        public string NetworkStatus
        {
            get
            {
                if (_wifi.IsUp) return "wifi up; mqtt " + (_transport.IsConnected ? "connected" : "not connected");
                return "wifi down" + (_wifi.LastProblem != null ? " (" + _wifi.LastProblem + ")" : "");
            }
        }

        public bool SafeMode { get { return _boot.SafeMode; } }

        public string SafeModeReason { get { return _boot.SafeMode ? _boot.CrashStreak.ToString() + " crash boots in a row" : null; } }
    }
}
