using System;
using System.Threading;
using nanoFramework.Networking;

namespace PingAnTong.Edge.Esp32.Adapters
{
    /// <summary>
    /// Wi-Fi with the credentials the installer stored with nanoff's network deployment (never compiled
    /// in, never in the config), then SNTP. Called from the network worker only; blocking is fine there.
    /// </summary>
    public sealed class WifiLink
    {
        private const int ConnectTimeoutMs = 30000;
        private bool _sntpStarted;

        public bool IsUp { get; private set; }
        public string LastProblem { get; private set; }

        /// <summary>Joins the stored network when not already on it; starts SNTP the first time. Returns whether the network is usable.</summary>
        public bool Ensure()
        {
            if (IsUp && WifiNetworkHelper.Status == NetworkHelperStatus.NetworkIsReady) return true;
            IsUp = false;
            try
            {
                using (CancellationTokenSource cts = new CancellationTokenSource(ConnectTimeoutMs))
                {
                    // requiresDateTime: false: the hub starts without wall time and says so ("clock not
                    // synced") instead of blocking its alarms on an NTP server.
                    IsUp = WifiNetworkHelper.Reconnect(false, 0, cts.Token);
                }
                LastProblem = IsUp ? null : "Wi-Fi: stored network not joined (status " + StatusName(WifiNetworkHelper.Status) + ")";
            }
            catch (Exception e)
            {
                LastProblem = "Wi-Fi: " + e.Message;
            }
            if (IsUp && !_sntpStarted)
            {
                Sntp.Server1 = "ntp.aliyun.com";
                Sntp.Server2 = "cn.pool.ntp.org";
                Sntp.Start();
                _sntpStarted = true;
            }
            return IsUp;
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
