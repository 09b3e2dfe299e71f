// Mirrors nanoFramework.System.Device.Wifi 1.5.149 (WifiNetworkHelper), nanoFramework.System.Net 1.11.60
// (NetworkHelperStatus, X509Certificate), nanoFramework.Networking.Sntp 1.6.42 (Sntp) and
// nanoFramework.System.Threading 1.1.52 (CancellationToken/Source). Signatures: tests/api-listings/ of those
// packages (checked by FacadeListingTests).
using System;
using PingAnTong.Edge.NanoFacades;

namespace System.Threading
{
    [Mirrors("nanoFramework.System.Threading", "1.1.52")]
    public struct CancellationToken
    {
        public bool IsCancellationRequested { get { throw Facade.NotOnDevice(); } }
    }

    [Mirrors("nanoFramework.System.Threading", "1.1.52")]
    public class CancellationTokenSource : IDisposable
    {
        public CancellationTokenSource(int millisecondsDelay) { throw Facade.NotOnDevice(); }
        public CancellationToken Token { get { throw Facade.NotOnDevice(); } }
        public void Dispose() { throw Facade.NotOnDevice(); }
    }
}

namespace nanoFramework.Networking
{
    [Mirrors("nanoFramework.System.Net", "1.11.60")]
    public enum NetworkHelperStatus { None, Started, NetworkIsReady, FailedNoNetworkInterface, TokenExpiredWaitingIPAddress, TokenExpiredWaitingDateTime, ErrorConnetingToWiFiWhileScanning, ExceptionOccurred, Reconnecting }

    [Mirrors("nanoFramework.System.Device.Wifi", "1.5.149")]
    public static class WifiNetworkHelper
    {
        /// <summary>Reconnects with the Wi-Fi configuration stored on the device (nanoff --networkdeployment).</summary>
        public static bool Reconnect(bool requiresDateTime = false, int wifiAdapterId = 0, System.Threading.CancellationToken token = default) { throw Facade.NotOnDevice(); }
        public static NetworkHelperStatus Status { get { throw Facade.NotOnDevice(); } }
        public static Exception HelperException { get { throw Facade.NotOnDevice(); } }
    }

    /// <summary>Not a static class in the package: only static members, and an implicit public constructor.</summary>
    [Mirrors("nanoFramework.Networking.Sntp", "1.6.42")]
    public class Sntp
    {
        public static void Start() { throw Facade.NotOnDevice(); }
        public static void Stop() { throw Facade.NotOnDevice(); }
        public static void UpdateNow() { throw Facade.NotOnDevice(); }
        public static bool IsStarted { get { throw Facade.NotOnDevice(); } }
        public static string Server1 { get { throw Facade.NotOnDevice(); } set { throw Facade.NotOnDevice(); } }
        public static string Server2 { get { throw Facade.NotOnDevice(); } set { throw Facade.NotOnDevice(); } }
    }
}

namespace System.Security.Cryptography.X509Certificates
{
    [Mirrors("nanoFramework.System.Net", "1.11.60")]
    public class X509Certificate
    {
        public X509Certificate(byte[] certificate) { throw Facade.NotOnDevice(); }
        public X509Certificate(string certificate) { throw Facade.NotOnDevice(); }
    }
}
