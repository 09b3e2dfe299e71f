using System;
using System.Net.NetworkInformation;
using System.Threading;
using nanoFramework.Networking;

namespace PingAnTong.Edge.Esp32.Adapters
{
    /// <summary>
    /// Wi-Fi with the credentials the installer stored with nanoff's network deployment (never compiled
    /// in, never in the config), then SNTP. Called from the network worker only; blocking is fine there.
    /// The ESP32 joins the stored network by itself at boot and again after every drop (nf-interpreter
    /// NF_ESP32_Wireless.cpp, targetHAL_Network.cpp); WifiNetworkHelper.Reconnect sends no credentials, it only
    /// waits for the address. Its Status is written only by that call, so after the first success it says
    /// NetworkIsReady through any drop (System.Device.Wifi WifiNetworkHelper.cs): whether the link is up is
    /// read from the station's IP address instead, as the helper itself checks it (NetworkHelperInternal.CheckIP).
    /// </summary>
    public sealed class WifiLink
    {
        private const int ConnectTimeoutMs = 30000;
        private bool _joined;
        private bool _sntpStarted;

        /// <summary>True while the station has an IP address.</summary>
        public bool IsUp { get { return _joined && HasAddress(); } }

        public string LastProblem { get; private set; }

        /// <summary>Waits for the stored network when the station has no address; starts SNTP the first time. Returns whether the network is usable.</summary>
        public bool Ensure()
        {
            if (_joined && HasAddress()) return true;
            _joined = false;
            try
            {
                using (CancellationTokenSource cts = new CancellationTokenSource(ConnectTimeoutMs))
                {
                    // requiresDateTime: false: the hub starts without wall time and says so ("clock not
                    // synced") instead of blocking its alarms on an NTP server.
                    _joined = WifiNetworkHelper.Reconnect(false, 0, cts.Token) && HasAddress();
                }
                LastProblem = _joined ? null : NotJoined();
            }
            catch (Exception e)
            {
                LastProblem = "Wi-Fi: " + e.Message;
            }
            if (_joined && !_sntpStarted)
            {
                Sntp.Server1 = "ntp.aliyun.com";
                Sntp.Server2 = "cn.pool.ntp.org";
                Sntp.Start();
                _sntpStarted = true;
            }
            return _joined;
        }

        /// <summary>The station's IPv4 address is set (it reads "0.0.0.0" without one).</summary>
        private static bool HasAddress()
        {
            NetworkInterface[] interfaces = NetworkInterface.GetAllNetworkInterfaces();
            for (int i = 0; i < interfaces.Length; i++)
            {
                if (interfaces[i].NetworkInterfaceType != NetworkInterfaceType.Wireless80211) continue;
                string address = interfaces[i].IPv4Address;
                if (address != null && address.Length > 0 && address[0] != '0') return true;
            }
            return false;
        }

        /// <summary>Why there is no network, in the installer's terms: nothing stored, a stored configuration that keeps the station off, or a network that does not answer.</summary>
        private static string NotJoined()
        {
            Wireless80211Configuration[] stored = Wireless80211Configuration.GetAllWireless80211Configurations();
            string ssid = stored.Length > 0 ? stored[0].Ssid : null;
            if (ssid == null || ssid.Length == 0)
            {
                return "Wi-Fi: no network stored; deploy one with nanoff --networkdeployment (network.json from pat provision)";
            }
            int options = (int)stored[0].Options;
            if ((options & (int)Wireless80211Configuration.ConfigurationOptions.Enable) == 0
                || (options & (int)Wireless80211Configuration.ConfigurationOptions.Disable) != 0)
            {
                return "Wi-Fi: the stored configuration of \"" + ssid + "\" keeps the station off (options " + options.ToString()
                    + "); deploy it again with ConfigurationOption AutoConnect";
            }
            return "Wi-Fi: \"" + ssid + "\" not joined (" + StatusName(WifiNetworkHelper.Status) + ")";
        }

        private static string StatusName(NetworkHelperStatus status)
        {
            switch (status)
            {
                case NetworkHelperStatus.NetworkIsReady: return "ready";
                case NetworkHelperStatus.FailedNoNetworkInterface: return "no network interface";
                case NetworkHelperStatus.TokenExpiredWaitingIPAddress: return "timed out waiting for an IP address (wrong password or out of range?)";
                case NetworkHelperStatus.ErrorConnetingToWiFiWhileScanning: return "network not found while scanning";
                case NetworkHelperStatus.ExceptionOccurred: return "error: " + (WifiNetworkHelper.HelperException != null ? WifiNetworkHelper.HelperException.Message : "unknown");
                default: return ((int)status).ToString();
            }
        }
    }
}
