// The nanoFramework APIs under the device's DeviceClock and WifiLink, stubbed for .NET: the ESP32 timer (a Stopwatch), the
// Wi-Fi helper (the network is up, unless a test says it is not) and SNTP (nothing to do: the host's clock is set).
// Signatures as in tests/PingAnTong.Edge.NanoFacades (Esp32.cs, Networking.cs); only what the two classes call.
using System.Diagnostics;

namespace nanoFramework.Hardware.Esp32
{
    public class HighResTimer
    {
        private static readonly Stopwatch Since = Stopwatch.StartNew();

        /// <summary>Microseconds since start, as the ESP32's esp_timer.</summary>
        public static ulong GetCurrent() => (ulong)(Since.Elapsed.Ticks / 10);
    }
}

namespace nanoFramework.Networking
{
    public enum NetworkHelperStatus { None, Started, NetworkIsReady, FailedNoNetworkInterface, TokenExpiredWaitingIPAddress, TokenExpiredWaitingDateTime, ErrorConnetingToWiFiWhileScanning, ExceptionOccurred, Reconnecting }

    public static class WifiNetworkHelper
    {
        /// <summary>What Reconnect and Status report; a test sets it to make Wi-Fi fail.</summary>
        public static volatile bool Up = true;

        public static bool Reconnect(bool requiresDateTime = false, int wifiAdapterId = 0, CancellationToken token = default) => Up;

        public static NetworkHelperStatus Status => Up ? NetworkHelperStatus.NetworkIsReady : NetworkHelperStatus.TokenExpiredWaitingIPAddress;

        public static Exception HelperException => null;
    }

    public class Sntp
    {
        public static void Start() { }
        public static string Server1 { get; set; }
        public static string Server2 { get; set; }
    }
}

namespace PingAnTong.Edge.Esp32.Adapters
{
    /// <summary>The device's WifiLink as M2MqttTransport uses it: the network is up unless a test says it is not.
    /// The real class runs against the Wi-Fi model in tests/PingAnTong.Edge.VirtualEsp32.Tests.</summary>
    public sealed class WifiLink
    {
        public string LastProblem { get; private set; }

        public bool Ensure()
        {
            bool up = nanoFramework.Networking.WifiNetworkHelper.Up;
            LastProblem = up ? null : "Wi-Fi: timed out waiting for an IP address (stub)";
            return up;
        }
    }
}
