namespace PingAnTong.Edge.Core.Config
{
    /// <summary>The whole configuration of a hub. Built only by <see cref="ConfigParser"/>, which validates it whole.</summary>
    public sealed class HubConfig
    {
        public int Version;
        public string HubId;

        /// <summary>Home location / address code (行政区划 + household code) sent with alarms.</summary>
        public string Location;
        public int UtcOffsetMinutes;
        public string TopicPrefix;
        public BrokerConfig Broker;
        public InputConfig[] Inputs;
        public SensorConfig[] Sensors;
        /// <summary>
        /// The installer PIN's verifier for unlocking the serial console (<see cref="Security.PinVerifier"/>): "pbkdf2-sha256",
        /// or null for the legacy salted SHA-256 of "salt:PIN". Salt and hash are null when no PIN is set (changes then impossible).
        /// </summary>
        public string ConsolePinKdf;
        public int ConsolePinIterations;
        public string ConsolePinSalt;
        public string ConsolePinHash;
        public int ConsoleUnlockMinutes;

        /// <summary>The language of the console's replies: "en" (default) or "zh-CN" (<see cref="Field.ConsoleText"/>).
        /// Only the words a person reads change; command names, keywords, numbers, ids and the "error:" prefix stay.</summary>
        public string ConsoleLanguage;

        /// <summary>File (on the device) holding the per-hub command key as hex digits; null when none is configured
        /// (every command is then refused). The key itself is never in the config.</summary>
        public string CommandKeyFile;
        public int LedPin;
        public int BuzzerPin;

        /// <summary>Local time of the daily alive-ping, minutes after midnight.</summary>
        public int AlivePingMinuteOfDay;

        /// <summary>The alive-ping is spread over this window by a per-hub offset.</summary>
        public int AlivePingSpreadMinutes;
        public int HeartbeatMinutes;
        public int OkLongPressMs;

        /// <summary>Mains loss is reported after it lasts this long (brown-outs and switching are not faults).</summary>
        public int MainsDebounceSeconds;

        public InactivityConfig Inactivity;

        public InputConfig FindInput(string id)
        {
            for (int i = 0; i < Inputs.Length; i++)
            {
                if (Inputs[i].Id == id) return Inputs[i];
            }
            return null;
        }
    }
}
