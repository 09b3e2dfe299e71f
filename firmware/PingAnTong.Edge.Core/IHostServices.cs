namespace PingAnTong.Edge.Core
{
    /// <summary>What the hub asks of its host that is not hardware I/O: identity of the build,
    /// the reason for the last reset, health figures for the heartbeat, a reboot, and the secret files
    /// deployed with the hub.</summary>
    public interface IHostServices
    {
        string FirmwareVersion { get; }

        /// <summary>e.g. "power_on", "watchdog", "software", "crash", "unknown".</summary>
        string ResetReason { get; }

        /// <summary>Free managed memory in bytes, or -1 when unknown.</summary>
        long FreeMemoryBytes { get; }

        /// <summary>Wi-Fi signal in dBm, or 0 when unknown / not Wi-Fi.</summary>
        int WifiRssi { get; }

        /// <summary>Reboots the device (the simulator restarts the hub from its storage folder).</summary>
        void Reboot();

        /// <summary>
        /// The bytes of a secret file deployed on the device (the command key that <c>security.commandKeyFile</c>
        /// names), or null when it is missing or unreadable. The core wipes the array once it has used it and
        /// never logs, publishes or echoes what it holds.
        /// </summary>
        byte[] ReadSecretFile(string path);
    }
}
