// Mirrors nanoFramework.System.Device.Wifi 1.5.149 (WifiNetworkHelper, WifiReconnectionKind), nanoFramework.System.Net
// 1.11.60 (NetworkHelperStatus, NetworkInterface, Wireless80211Configuration, X509Certificate),
// nanoFramework.Networking.Sntp 1.6.42 (Sntp) and nanoFramework.System.Threading 1.1.52 (CancellationToken/Source).
// Signatures: tests/api-listings/ of those packages (checked by FacadeListingTests).
// Model (Models/WifiModel.cs, Models/SntpModel.cs, Models/MbedTlsCertificates.cs):
// - WifiNetworkHelper follows nanoframework/System.Device.Wifi@v1.5.147:System.Device.Wifi/NetworkHelper/WifiNetworkHelper.cs
//   and nanoframework/System.Net@v1.11.54:nanoFramework.System.Net/NetworkHelper/NetworkHelper.cs (InternalWaitNetworkAvailable):
//   Reconnect only waits for an IP address (it sends no credentials); ConnectDhcp stores SSID and password (keeping the
//   stored options), connects and waits; Status is written only by those calls, so after a success it stays
//   NetworkIsReady when the link drops.
// - the station, its stored configuration and NetworkInterface follow nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:targets/ESP32/_Network/NF_ESP32_Wireless.cpp,
//   targets/ESP32/_common/targetHAL_Network.cpp, targets/ESP32/_common/Target_Network.cpp and
//   src/DeviceInterfaces/System.Net/sys_net_native_System_Net_NetworkInformation_Wireless80211Configuration.cpp.
// - Sntp follows nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:src/DeviceInterfaces/Networking.Sntp/nf_networking_sntp_nanoFramework_Networking_Sntp.cpp.
// - X509Certificate follows nanoframework/System.Net@v1.11.54:nanoFramework.System.Net/X509Certificates/X509Certificate.cs and
//   nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:src/PAL/COM/sockets/ssl/MbedTLS/ssl_parse_certificate_internal.cpp:
//   the byte[] constructor parses the bytes as given (PEM only with a trailing NUL), the string constructor adds the NUL;
//   a failed parse throws ArgumentException.
// - CancellationTokenSource(ms) cancels after ms of VIRTUAL time (the real one uses a timer).
using System;
using PingAnTong.Edge.NanoFacades;

namespace System.Threading
{
    [Mirrors("nanoFramework.System.Threading", "1.1.52")]
    public struct CancellationToken
    {
        private readonly CancellationTokenSource _source;

        internal CancellationToken(CancellationTokenSource source) { _source = source; }

        public bool IsCancellationRequested { get { return _source != null && _source.Expired; } }

        /// <summary>Virtual-time deadline in µs since boot, -1 for none.</summary>
        internal long DeadlineUs { get { return _source == null ? -1 : _source.DeadlineUs; } }
    }

    [Mirrors("nanoFramework.System.Threading", "1.1.52")]
    public class CancellationTokenSource : IDisposable
    {
        internal readonly long DeadlineUs;

        public CancellationTokenSource(int millisecondsDelay)
        {
            if (millisecondsDelay < -1) throw new ArgumentOutOfRangeException("millisecondsDelay");
            DeadlineUs = millisecondsDelay == -1 ? -1 : VirtualEsp32.Clock.NowMicroseconds + (long)millisecondsDelay * 1000;
        }

        public CancellationToken Token { get { return new CancellationToken(this); } }

        internal bool Expired { get { return DeadlineUs >= 0 && VirtualEsp32.Clock.NowMicroseconds >= DeadlineUs; } }

        public void Dispose() { }
    }
}

namespace System.Device.Wifi
{
    [Mirrors("nanoFramework.System.Device.Wifi", "1.5.149")]
    public enum WifiReconnectionKind { Automatic, Manual }
}

namespace System.Net.NetworkInformation
{
    [Mirrors("nanoFramework.System.Net", "1.11.60")]
    public enum NetworkInterfaceType { Unknown = 1, Ethernet = 6, Wireless80211 = 71, WirelessAP = 72 }

    /// <summary>The ESP32's Wi-Fi station interface (the soft-AP interface is not modelled).</summary>
    [Mirrors("nanoFramework.System.Net", "1.11.60")]
    public class NetworkInterface
    {
        private readonly int _interfaceIndex;

        protected NetworkInterface(int interfaceIndex) { _interfaceIndex = interfaceIndex; }

        public static NetworkInterface[] GetAllNetworkInterfaces() { return new NetworkInterface[] { new NetworkInterface(0) }; }

        public NetworkInterfaceType NetworkInterfaceType { get { return NetworkInterfaceType.Wireless80211; } }

        /// <summary>"0.0.0.0" without an address, as the native layer reports it.</summary>
        public string IPv4Address { get { return VirtualEsp32.Wifi.HasAddress ? VirtualEsp32.Wifi.Address : "0.0.0.0"; } }
    }

    /// <summary>The stored station configuration (index 0; the ESP32 has one).</summary>
    [Mirrors("nanoFramework.System.Net", "1.11.60")]
    public class Wireless80211Configuration
    {
        private readonly uint _id;
        private ConfigurationOptions _options;
        private string _password;
        private string _ssid;

        public Wireless80211Configuration(uint id)
        {
            _id = id;
            _password = null;
            _ssid = null;
        }

        public ConfigurationOptions Options { get { return _options; } set { _options = value; } }

        public string Password { get { return _password; } set { _password = value; } }

        public string Ssid { get { return _ssid; } set { _ssid = value; } }

        public uint Id { get { return _id; } }

        public void SaveConfiguration()
        {
            // ValidateConfiguration (managed), then UpdateConfiguration (native: the strings need room for a terminator).
            if (_ssid == null) throw new ArgumentNullException();
            if (_password.Length > 64 || _ssid.Length > 32) throw new ArgumentOutOfRangeException();
            if (_password.Length >= 64 || _ssid.Length >= 32) throw new ArgumentException("SSID or password too long for the configuration block (CLR_E_INVALID_PARAMETER)");
            VirtualEsp32.Wifi.Save(_ssid, _password, (int)_options);
        }

        public static Wireless80211Configuration[] GetAllWireless80211Configurations()
        {
            Wireless80211Configuration c = new Wireless80211Configuration(0);
            c._ssid = VirtualEsp32.Wifi.StoredSsid;
            c._password = VirtualEsp32.Wifi.StoredPassword;
            c._options = (ConfigurationOptions)VirtualEsp32.Wifi.StoredOptions;
            return new Wireless80211Configuration[] { c };
        }

        [Flags]
        public enum ConfigurationOptions : byte { None = 0, Disable = 0x01, Enable = 0x02, AutoConnect = 0x04 | Enable, SmartConfig = 0x08 | Enable }
    }
}

namespace nanoFramework.Networking
{
    [Mirrors("nanoFramework.System.Net", "1.11.60")]
    public enum NetworkHelperStatus { None, Started, NetworkIsReady, FailedNoNetworkInterface, TokenExpiredWaitingIPAddress, TokenExpiredWaitingDateTime, ErrorConnetingToWiFiWhileScanning, ExceptionOccurred, Reconnecting }

    [Mirrors("nanoFramework.System.Device.Wifi", "1.5.149")]
    public static class WifiNetworkHelper
    {
        public static bool ConnectDhcp(string ssid, string password, System.Device.Wifi.WifiReconnectionKind reconnectionKind = System.Device.Wifi.WifiReconnectionKind.Automatic, bool requiresDateTime = false, int wifiAdapterId = 0, System.Threading.CancellationToken token = default)
        {
            try
            {
                if (wifiAdapterId != 0) throw new IndexOutOfRangeException();
                WifiModel wifi = VirtualEsp32.Wifi;
                bool alreadyConnected = wifi.HasAddress && wifi.StoredSsid == ssid;
                if (!alreadyConnected)
                {
                    wifi.Disconnect();
                    // StoreWifiConfiguration: SSID and password saved, the stored options kept.
                    System.Net.NetworkInformation.Wireless80211Configuration wc = System.Net.NetworkInformation.Wireless80211Configuration.GetAllWireless80211Configurations()[0];
                    wc.Ssid = ssid;
                    wc.Password = password;
                    wc.SaveConfiguration();
                    // WifiAdapter.Connect: NativeConnect waits up to 20 s for the connect result (which ScanAndConnect ignores).
                    if (password == null) throw new NullReferenceException();
                    if (wifi.Connect(ssid, password, (int)reconnectionKind)) wifi.WaitConnectResult();
                }
                return WaitNetworkAvailable(requiresDateTime, token);
            }
            catch (Exception ex) when (!(ex is VirtualDeviceHangException))
            {
                WifiHelperState.Status = (int)NetworkHelperStatus.ExceptionOccurred;
                WifiHelperState.HelperException = ex;
                return false;
            }
        }

        /// <summary>Reconnects with the Wi-Fi configuration stored on the device (nanoff --networkdeployment).</summary>
        public static bool Reconnect(bool requiresDateTime = false, int wifiAdapterId = 0, System.Threading.CancellationToken token = default)
        {
            try
            {
                if (wifiAdapterId != 0) throw new IndexOutOfRangeException(); // WifiAdapter.FindAllAdapters()[id]: one adapter
                return WaitNetworkAvailable(requiresDateTime, token);
            }
            catch (Exception ex) when (!(ex is VirtualDeviceHangException))
            {
                WifiHelperState.Status = (int)NetworkHelperStatus.ExceptionOccurred;
                WifiHelperState.HelperException = ex;
                return false;
            }
        }

        public static NetworkHelperStatus Status { get { return (NetworkHelperStatus)WifiHelperState.Status; } }
        public static Exception HelperException { get { return WifiHelperState.HelperException; } }

        /// <summary>NetworkHelper.InternalWaitNetworkAvailable: polls for an address (then a plausible date) until the token expires.</summary>
        private static bool WaitNetworkAvailable(bool requiresDateTime, System.Threading.CancellationToken token)
        {
            VirtualEsp32.Clock.WaitUntil(delegate { return token.IsCancellationRequested || VirtualEsp32.Wifi.HasAddress; }, token.DeadlineUs);
            if (token.IsCancellationRequested)
            {
                WifiHelperState.Status = (int)NetworkHelperStatus.TokenExpiredWaitingIPAddress;
                return false;
            }
            if (requiresDateTime)
            {
                VirtualEsp32.Clock.WaitUntil(delegate { return token.IsCancellationRequested || VirtualEsp32.Rtc.UtcNow.Year >= 2021; }, token.DeadlineUs);
                if (token.IsCancellationRequested)
                {
                    WifiHelperState.Status = (int)NetworkHelperStatus.TokenExpiredWaitingDateTime;
                    return false;
                }
            }
            WifiHelperState.Status = (int)NetworkHelperStatus.NetworkIsReady;
            return true;
        }
    }

    /// <summary>Not a static class in the package: only static members, and an implicit public constructor.</summary>
    [Mirrors("nanoFramework.Networking.Sntp", "1.6.42")]
    public class Sntp
    {
        public static void Start() { VirtualEsp32.Sntp.Start(); }
        public static void Stop() { VirtualEsp32.Sntp.Stop(); }
        public static void UpdateNow() { VirtualEsp32.Sntp.UpdateNow(); }
        public static bool IsStarted { get { return VirtualEsp32.Sntp.IsStarted; } }
        public static string Server1 { get { return VirtualEsp32.Sntp.Server1; } set { VirtualEsp32.Sntp.SetServer(0, value); } }
        public static string Server2 { get { return VirtualEsp32.Sntp.Server2; } set { VirtualEsp32.Sntp.SetServer(1, value); } }
    }
}

namespace System.Security.Cryptography.X509Certificates
{
    [Mirrors("nanoFramework.System.Net", "1.11.60")]
    public class X509Certificate
    {
        private readonly byte[] _certificate;
        private readonly long _effectiveTicks;
        private readonly long _expirationTicks;

        public X509Certificate(byte[] certificate)
        {
            _certificate = certificate;
            Der = Parse(certificate, out _effectiveTicks, out _expirationTicks);
        }

        public X509Certificate(string certificate)
        {
            byte[] text = System.Text.Encoding.UTF8.GetBytes(certificate);
            // because this is parsing from a string we need to keep the terminator (the library's words)
            _certificate = new byte[text.Length + 1];
            Array.Copy(text, _certificate, text.Length);
            _certificate[_certificate.Length - 1] = 0;
            Der = Parse(_certificate, out _effectiveTicks, out _expirationTicks);
        }

        public virtual byte[] GetRawCertData() { return _certificate; }

        public virtual DateTime GetEffectiveDate() { return new DateTime(_effectiveTicks); }

        public virtual DateTime GetExpirationDate() { return new DateTime(_expirationTicks); }

        /// <summary>The DER of each certificate mbedTLS found in the buffer (for the TLS model).</summary>
        internal readonly byte[][] Der;

        private static byte[][] Parse(byte[] buffer, out long effective, out long expiration)
        {
            effective = 0;
            expiration = 0;
            if (buffer == null) throw new NullReferenceException();
            string reason;
            byte[][] der = MbedTlsCertificates.Parse(buffer, out reason);
            if (der == null) throw new ArgumentException("mbedtls_x509_crt_parse failed: " + reason + " (CLR_E_INVALID_PARAMETER)");
            MbedTlsCertificates.Validity(der[0], out effective, out expiration);
            return der;
        }
    }
}
