using System;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>The managed state of nanoFramework.Networking.WifiNetworkHelper (static fields in RAM: lost at a reboot).</summary>
    internal static class WifiHelperState
    {
        /// <summary>NetworkHelperStatus as int; only Reconnect/ConnectDhcp write it.</summary>
        internal static int Status;
        internal static Exception HelperException;

        internal static void Reset()
        {
            Status = 0;
            HelperException = null;
        }
    }
}
