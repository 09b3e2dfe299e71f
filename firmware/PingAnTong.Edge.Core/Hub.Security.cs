namespace PingAnTong.Edge.Core
{
    /// <summary>Security state of the hub: the console's PIN lockout and the warnings logged at every boot.</summary>
    public sealed partial class Hub
    {
        /// <summary>Wrong installer PINs, kept across reboots (<see cref="Field.ConsoleLockout"/>).</summary>
        public Field.ConsoleLockout ConsoleLockout { get; private set; }

        /// <summary>True when the running config talks MQTT without TLS (allowed only with broker.insecureForTesting).</summary>
        public bool InsecureTransport { get { return Config != null && !Config.Broker.Tls; } }

        /// <summary>Warnings written to the local event log at every boot (the console's <c>events</c> shows them, hosts print them).</summary>
        private void LogSecurityWarnings(long now)
        {
            long utc = _clock.UtcMs;
            if (InsecureTransport)
                EventLog.Add(now, utc, "WARNING: no TLS (broker.insecureForTesting): password, alarms, commands in clear; lab use only");
            if (Config.ConsolePinHash != null && Config.ConsolePinKdf == null)
                EventLog.Add(now, utc, "WARNING: installer PIN kept as legacy salted SHA-256; provision again for PBKDF2");
            if (ConsoleLockout.Failures > 0)
                EventLog.Add(now, utc, ConsoleLockout.Failures.ToString() + " wrong installer PIN(s) before this boot; the next may be tried in " + Field.ConsoleFormat.Duration(ConsoleLockout.RemainingMs(now)));
        }
    }
}
