using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Core.Security;

namespace PingAnTong.Edge.Core
{
    /// <summary>What lets only the call centre command the hub: the command key, the replay guard, and the console's PIN lockout.</summary>
    public sealed partial class Hub
    {
        private HmacSha256 _commandKey;

        /// <summary>The MAC keyed with this hub's command key, or null (every command is then refused).</summary>
        internal HmacSha256 CommandKey { get { return _commandKey; } }

        /// <summary>Why the hub has no usable command key (names the file, never its contents), or null.</summary>
        public string CommandKeyProblem { get; private set; }

        /// <summary>Issue times of commands: freshness and replays (<see cref="ReplayGuard"/>).</summary>
        public ReplayGuard Replay { get; private set; }

        /// <summary>Wrong installer PINs, kept across reboots (<see cref="Field.ConsoleLockout"/>).</summary>
        public Field.ConsoleLockout ConsoleLockout { get; private set; }

        /// <summary>True when the running config talks MQTT without TLS (allowed only with broker.insecureForTesting).</summary>
        public bool InsecureTransport { get { return Config != null && !Config.Broker.Tls; } }

        /// <summary>Reads the key of <paramref name="config"/> through the host; null with <paramref name="problem"/> when it cannot.</summary>
        private HmacSha256 ReadCommandKey(HubConfig config, out string problem)
        {
            if (config.CommandKeyFile == null)
            {
                problem = "no command key configured (security.commandKeyFile): every command is refused";
                return null;
            }
            return Security.CommandKey.FromFile(config.CommandKeyFile, _host.ReadSecretFile(config.CommandKeyFile), out problem);
        }

        private void LoadCommandKey(HubConfig config)
        {
            string problem;
            _commandKey = ReadCommandKey(config, out problem);
            CommandKeyProblem = problem;
        }

        /// <summary>Warnings written to the local event log at every boot (the console's <c>events</c> shows them, hosts print them).</summary>
        private void LogSecurityWarnings(long now)
        {
            long utc = _clock.UtcMs;
            if (InsecureTransport)
                EventLog.Add(now, utc, "WARNING: no TLS (broker.insecureForTesting): password, alarms, commands in clear; lab use only");
            if (CommandKeyProblem != null) EventLog.Add(now, utc, "WARNING: " + CommandKeyProblem);
            if (Config.ConsolePinHash != null && Config.ConsolePinKdf == null)
                EventLog.Add(now, utc, "WARNING: installer PIN kept as legacy salted SHA-256; provision again for PBKDF2");
            if (ConsoleLockout.Failures > 0)
                EventLog.Add(now, utc, ConsoleLockout.Failures.ToString() + " wrong installer PIN(s) before this boot; the next may be tried in " + Field.ConsoleFormat.Duration(ConsoleLockout.RemainingMs(now)));
        }
    }
}
