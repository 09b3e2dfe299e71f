using System.Collections;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Core.Json;

namespace PingAnTong.Edge.Core.Config
{
    /// <summary>
    /// The one parser and validator of hub configs, used by the device, the simulator and the
    /// provisioning tool alike. A config with any problem is refused whole with every problem
    /// listed by its path; nothing of it is applied.
    /// </summary>
    public static class ConfigParser
    {
        private static readonly string[] RootFields =
        {
            "version", "hubId", "location", "utcOffsetMinutes", "topicPrefix", "broker", "inputs", "sensors",
            "indicators", "alivePing", "heartbeatMinutes", "okLongPressMs", "mainsDebounceSeconds", "inactivity", "console", "security"
        };

        private static readonly string[] ConsoleFields = { "pinKdf", "pinIterations", "pinSalt", "pinHash", "unlockMinutes", "language" };

        private static readonly string[] SecurityFields = { "commandKeyFile" };

        private static readonly string[] InactivityFields =
        {
            "enabled", "learn", "ceilingMinutes", "floorMinutes", "sensitivity", "promptMinutes", "awayConfirmMinutes",
            "nightStart", "nightEnd", "nightDoorMinutes", "upByLatest", "upByMarginMinutes", "awayLimitMinutes"
        };

        private static readonly string[] BrokerFields = { "host", "port", "tls", "insecureForTesting", "caFile", "username", "passwordFile", "keepAliveSeconds" };
        private static readonly string[] InputFields = { "id", "kind", "pin", "activeLow", "debounceMs", "chatterEdges", "chatterWindowMs", "supervisionHours" };
        private static readonly string[] SensorFields = { "id", "kind", "bus", "address", "intervalSeconds", "high", "low", "hysteresis", "warmupSeconds", "failuresBeforeFault" };
        private static readonly string[] IndicatorFields = { "ledPin", "buzzerPin" };
        private static readonly string[] AliveFields = { "time", "spreadMinutes" };

        /// <summary>Highest GPIO number a config may name (ESP32-S3 has 0-48; the board's pin map narrows it).</summary>
        private const int MaxPin = 48;

        /// <summary>
        /// Parses and validates under the config limits (<see cref="JsonLimits.Config"/>: at most
        /// <see cref="JsonLimits.MaxConfigBytes"/> bytes); throws <see cref="ConfigException"/> listing
        /// the problems (the first <see cref="ConfigFields.MaxErrors"/>, then how many more).
        /// </summary>
        public static HubConfig Parse(byte[] json, int offset, int count)
        {
            return Parse(json, offset, count, JsonLimits.Config);
        }

        /// <summary>As <see cref="Parse(byte[], int, int)"/> under other limits (tests and the benchmark lift them to measure the work).</summary>
        public static HubConfig Parse(byte[] json, int offset, int count, JsonLimits limits)
        {
            ConfigFields f = new ConfigFields();
            JsonNode root;
            try
            {
                root = JsonReader.Parse(json, offset, count, limits);
            }
            catch (JsonException e)
            {
                f.Errors.Add(e.Message);
                throw new ConfigException(f.Errors);
            }
            HubConfig c = Read(root, f);
            if (f.Errors.Count > 0) throw new ConfigException(f.Errors);
            return c;
        }

        public static HubConfig Parse(byte[] json)
        {
            return Parse(json, 0, json == null ? 0 : json.Length, JsonLimits.Config);
        }

        /// <summary>Validates an already parsed document (e.g. the body of a <c>config</c> command).</summary>
        public static HubConfig FromJson(JsonNode root)
        {
            ConfigFields f = new ConfigFields();
            HubConfig c = Read(root, f);
            if (f.Errors.Count > 0) throw new ConfigException(f.Errors);
            return c;
        }

        private static HubConfig Read(JsonNode root, ConfigFields f)
        {
            HubConfig c = new HubConfig();
            if (!f.IsObject(root, "$")) return c;
            f.RejectUnknown(root, RootFields);
            c.Version = f.Int(root, "version", 1, int.MaxValue, 0, true);
            c.HubId = f.Str(root, "hubId", 40, "", true);
            f.CheckIdentifier(c.HubId, "$.hubId");
            c.Location = f.Str(root, "location", 32, "", true);
            c.UtcOffsetMinutes = f.Int(root, "utcOffsetMinutes", -720, 840, 480, false);
            c.TopicPrefix = f.Str(root, "topicPrefix", 64, "pat/v1", false);
            CheckTopicPrefix(c.TopicPrefix, f);
            c.HeartbeatMinutes = f.Int(root, "heartbeatMinutes", 1, 60, 5, false);
            c.OkLongPressMs = f.Int(root, "okLongPressMs", 1000, 10000, 2000, false);
            c.MainsDebounceSeconds = f.Int(root, "mainsDebounceSeconds", 5, 600, 60, false);
            c.Broker = ReadBroker(root.Get("broker"), f);
            ReadIndicators(root.Get("indicators"), c, f);
            ReadAlivePing(root.Get("alivePing"), c, f);
            c.Inactivity = ReadInactivity(root.Get("inactivity"), f);
            ReadConsole(root.Get("console"), c, f);
            ReadSecurity(root.Get("security"), c, f);
            c.Inputs = ReadInputs(root.Get("inputs"), f);
            c.Sensors = ReadSensors(root.Get("sensors"), f);
            CheckPins(c, f);
            return c;
        }

        private static void CheckTopicPrefix(string prefix, ConfigFields f)
        {
            if (prefix == null) return;
            char[] chars = prefix.ToCharArray();
            int length = chars.Length;
            if (length == 0 || chars[0] == '/' || chars[length - 1] == '/')
                f.Error("$.topicPrefix", "expected topic levels like \"pat/v1\" without a leading or trailing '/'");
            for (int i = 0; i < length; i++)
            {
                if (chars[i] == '+' || chars[i] == '#' || chars[i] == '$')
                {
                    f.Error("$.topicPrefix", "must not contain MQTT wildcards or '$'");
                    return;
                }
            }
        }

        private static BrokerConfig ReadBroker(JsonNode n, ConfigFields f)
        {
            BrokerConfig b = new BrokerConfig();
            if (!f.IsObject(n, "$.broker")) return b;
            f.RejectUnknown(n, BrokerFields);
            b.Host = f.Str(n, "host", 253, "", true);
            b.Tls = f.Bool(n, "tls", true);
            b.InsecureForTesting = f.Bool(n, "insecureForTesting", false);
            // Without TLS the broker password, every alarm and every command cross the network in clear.
            if (!b.Tls && !b.InsecureForTesting)
                f.Error("$.broker.tls", "false is refused: MQTT without TLS sends the password, alarms and commands in clear; only a lab or simulator broker may set insecureForTesting true as well");
            if (b.Tls && b.InsecureForTesting)
                f.Error("$.broker.insecureForTesting", "only with tls false (remove it: TLS is on)");
            b.Port = f.Int(n, "port", 1, 65535, b.Tls ? 8883 : 1883, false);
            b.CaFile = f.Str(n, "caFile", 64, null, false);
            b.Username = f.Str(n, "username", 64, null, false);
            b.PasswordFile = f.Str(n, "passwordFile", 64, null, false);
            // MQTT keepalive at most 60 s: path supervision at minute level (EN 50134-2).
            b.KeepAliveSeconds = f.Int(n, "keepAliveSeconds", 10, 60, 30, false);
            if (b.Tls && b.CaFile == null) f.Error("$.broker.caFile", "required when tls is true (the CA certificate file on the hub)");
            return b;
        }

        /// <summary>
        /// The installer PIN for the serial console, as a verifier (never the PIN itself): PBKDF2-HMAC-SHA256 with
        /// pinKdf "pbkdf2-sha256" and pinIterations, or without pinKdf the legacy salted SHA-256 of "salt:PIN"
        /// (kept for hubs provisioned before PBKDF2; see <see cref="Security.PinVerifier"/>).
        /// </summary>
        private static void ReadConsole(JsonNode n, HubConfig c, ConfigFields f)
        {
            c.ConsoleUnlockMinutes = 10;
            c.ConsoleLanguage = Field.ConsoleText.English;
            if (n == null) return;
            if (!f.IsObject(n, "$.console")) return;
            f.RejectUnknown(n, ConsoleFields);
            c.ConsolePinKdf = f.Str(n, "pinKdf", 32, null, false);
            if (c.ConsolePinKdf != null && c.ConsolePinKdf != Security.PinVerifier.Kdf)
                f.Error("$.console.pinKdf", "expected \"" + Security.PinVerifier.Kdf + "\" (or leave it out for the legacy salted SHA-256), got \"" + JsonText.Clip(c.ConsolePinKdf) + "\"");
            if (c.ConsolePinKdf != null)
            {
                c.ConsolePinIterations = f.Int(n, "pinIterations", Security.PinVerifier.MinIterations, Security.PinVerifier.MaxIterations, 0, true);
            }
            else if (n.Get("pinIterations") != null)
            {
                f.Error("$.console.pinIterations", "only with pinKdf \"" + Security.PinVerifier.Kdf + "\"");
            }
            c.ConsolePinSalt = f.Str(n, "pinSalt", 64, null, true);
            c.ConsolePinHash = f.Str(n, "pinHash", 64, null, true);
            c.ConsoleUnlockMinutes = f.Int(n, "unlockMinutes", 1, 60, 10, false);
            c.ConsoleLanguage = f.Str(n, "language", 16, Field.ConsoleText.English, false);
            if (Field.ConsoleText.LanguageOf(c.ConsoleLanguage) < 0)
            {
                f.Error("$.console.language", "expected one of: " + ConfigFields.List(Field.ConsoleText.Languages) + ", got \"" + JsonText.Clip(c.ConsoleLanguage) + "\"");
                c.ConsoleLanguage = Field.ConsoleText.English;
            }
            if (c.ConsolePinSalt != null && c.ConsolePinSalt.Length < 8) f.Error("$.console.pinSalt", "expected at least 8 characters of random salt");
            CheckPrintable(c.ConsolePinSalt, "$.console.pinSalt", f);
            if (c.ConsolePinHash != null && !IsLowerHex(c.ConsolePinHash, 64))
                f.Error("$.console.pinHash", c.ConsolePinKdf != null
                    ? "expected 64 lower-case hex digits: PBKDF2-HMAC-SHA256 of the PIN (pat provision writes it)"
                    : "expected 64 lower-case hex digits: SHA-256 of \"salt:PIN\" (pat provision writes it)");
        }

        /// <summary>
        /// The command key: only a file name (the file holds the key, deployed by pat; the host reads it). Without
        /// it the hub refuses every command, since it could not tell the call centre from anyone else.
        /// </summary>
        private static void ReadSecurity(JsonNode n, HubConfig c, ConfigFields f)
        {
            if (n == null) return;
            if (!f.IsObject(n, "$.security")) return;
            f.RejectUnknown(n, SecurityFields);
            c.CommandKeyFile = f.Str(n, "commandKeyFile", 64, null, true);
        }

        private static void CheckPrintable(string s, string path, ConfigFields f)
        {
            if (s == null) return;
            char[] chars = s.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (chars[i] < 0x21 || chars[i] > 0x7E)
                {
                    f.Error(path, "expected printable ASCII without spaces");
                    return;
                }
            }
        }

        private static bool IsLowerHex(string s, int length)
        {
            char[] chars = s.ToCharArray();
            if (chars.Length != length) return false;
            for (int i = 0; i < chars.Length; i++)
            {
                char ch = chars[i];
                if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
            }
            return true;
        }

        private static void ReadIndicators(JsonNode n, HubConfig c, ConfigFields f)
        {
            c.LedPin = -1;
            c.BuzzerPin = -1;
            if (n == null) return;
            if (!f.IsObject(n, "$.indicators")) return;
            f.RejectUnknown(n, IndicatorFields);
            c.LedPin = f.Int(n, "ledPin", 0, MaxPin, -1, false);
            c.BuzzerPin = f.Int(n, "buzzerPin", 0, MaxPin, -1, false);
        }

        private static void ReadAlivePing(JsonNode n, HubConfig c, ConfigFields f)
        {
            c.AlivePingMinuteOfDay = 9 * 60;
            c.AlivePingSpreadMinutes = 60;
            if (n == null) return;
            if (!f.IsObject(n, "$.alivePing")) return;
            f.RejectUnknown(n, AliveFields);
            c.AlivePingMinuteOfDay = ClockField(n, "time", "09:00", f);
            c.AlivePingSpreadMinutes = f.Int(n, "spreadMinutes", 0, 240, 60, false);
        }

        private static InactivityConfig ReadInactivity(JsonNode n, ConfigFields f)
        {
            InactivityConfig c = new InactivityConfig();
            c.Enabled = true;
            c.Learn = true;
            c.CeilingMinutes = 720;
            c.FloorMinutes = DefaultFloorMinutes;
            c.Sensitivity = 3;
            c.PromptMinutes = 5;
            c.AwayConfirmMinutes = 15;
            c.NightStartMinute = 23 * 60;
            c.NightEndMinute = 6 * 60;
            c.NightDoorMinutes = 30;
            c.UpByLatestMinute = DefaultUpByLatestMinute;
            c.UpByMarginMinutes = DefaultUpByMarginMinutes;
            if (n == null) return c;
            if (!f.IsObject(n, "$.inactivity")) return c;
            f.RejectUnknown(n, InactivityFields);
            c.Enabled = f.Bool(n, "enabled", true);
            c.Learn = f.Bool(n, "learn", true);
            // 30 min - 48 h: the range of telecare inactivity timers (Tunstall Lifeline 4000: min 30 min, max 50 h).
            c.CeilingMinutes = f.Int(n, "ceilingMinutes", 30, 2880, 720, false);
            c.FloorMinutes = f.Int(n, "floorMinutes", 15, 2880, c.CeilingMinutes < DefaultFloorMinutes ? c.CeilingMinutes : DefaultFloorMinutes, false);
            if (c.FloorMinutes > c.CeilingMinutes) f.Error("$.inactivity.floorMinutes", "must not be above ceilingMinutes (" + c.CeilingMinutes.ToString() + ")");
            c.Sensitivity = f.Int(n, "sensitivity", 1, 5, 3, false);
            c.PromptMinutes = f.Int(n, "promptMinutes", 0, 30, 5, false);
            // The ceiling is the time until the alarm leaves the hub, the prompt included.
            if (c.PromptMinutes >= c.CeilingMinutes) f.Error("$.inactivity.promptMinutes", "must be below ceilingMinutes (" + c.CeilingMinutes.ToString() + ")");
            c.AwayConfirmMinutes = f.Int(n, "awayConfirmMinutes", 2, 60, 15, false);
            c.NightStartMinute = ClockField(n, "nightStart", "23:00", f);
            c.NightEndMinute = ClockField(n, "nightEnd", "06:00", f);
            c.NightDoorMinutes = f.Int(n, "nightDoorMinutes", 0, 240, 30, false);
            c.UpByLatestMinute = UpByField(n, f);
            c.UpByMarginMinutes = f.Int(n, "upByMarginMinutes", 0, 240, DefaultUpByMarginMinutes, false);
            // 0 = off; otherwise at least the shortest ceiling and above the prompt (the limit includes it).
            c.AwayLimitMinutes = f.Int(n, "awayLimitMinutes", 0, 2880, 0, false);
            if (c.AwayLimitMinutes > 0 && c.AwayLimitMinutes < 60) f.Error("$.inactivity.awayLimitMinutes", "must be 0 (off) or from 60 to 2880 minutes");
            return c;
        }

        /// <summary>
        /// Shortest learned line by default: 1 h. The floor no longer has to protect cells with little history (the
        /// population prior does, until a cell has seen 7 days); in a cell with a dense history the line is already
        /// the longest spell of 14 days × 1.2 + 30 min, and the floor binds only where that is under an hour. 60 min is
        /// inside the 30-180 min of Floeck, Litz and Rodner 2011 and twice the top of daytime 99th-percentile gaps at
        /// home (10-30 min).
        /// </summary>
        public const int DefaultFloorMinutes = 60;

        /// <summary>"Usually up by" latest time by default: 10:00 (a wake-up at 09:00 or later is the top 5 % of adults of 60 and over, Ohayon and Vecchierini 2005).</summary>
        public const int DefaultUpByLatestMinute = 10 * 60;

        /// <summary>"Usually up by" = the latest first activity of the morning (14 days) + this (docs/inactivity-detection.md).</summary>
        public const int DefaultUpByMarginMinutes = 60;

        /// <summary><c>upByLatest</c>: "HH:MM" from 05:00 to 14:00, or "off"; -1 = off.</summary>
        private static int UpByField(JsonNode n, ConfigFields f)
        {
            string text = f.Str(n, "upByLatest", 5, "10:00", false);
            if (text == "off") return -1;
            int minute = ParseClockTime(text);
            if (minute >= 5 * 60 && minute <= 14 * 60) return minute;
            f.Error(n, "upByLatest", "expected the latest local time the resident is usually up by, HH:MM from 05:00 to 14:00, or \"off\"; got \"" + JsonText.Clip(text) + "\"");
            return DefaultUpByLatestMinute;
        }

        private static int ClockField(JsonNode obj, string name, string defaultValue, ConfigFields f)
        {
            string text = f.Str(obj, name, 5, defaultValue, false);
            int minute = ParseClockTime(text);
            if (minute >= 0) return minute;
            f.Error(obj, name, "expected a local time HH:MM (00:00 to 23:59), got \"" + JsonText.Clip(text) + "\"");
            return ParseClockTime(defaultValue);
        }

        /// <summary>"HH:MM" → minutes after midnight, or -1.</summary>
        public static int ParseClockTime(string s)
        {
            if (s == null) return -1;
            char[] c = s.ToCharArray();
            if (c.Length != 5 || c[2] != ':') return -1;
            for (int i = 0; i < 5; i++)
            {
                if (i != 2 && (c[i] < '0' || c[i] > '9')) return -1;
            }
            int h = (c[0] - '0') * 10 + (c[1] - '0');
            int m = (c[3] - '0') * 10 + (c[4] - '0');
            if (h > 23 || m > 59) return -1;
            return h * 60 + m;
        }

        private static InputConfig[] ReadInputs(JsonNode n, ConfigFields f)
        {
            if (n == null || n.Kind != JsonKind.Array)
            {
                f.Error("$.inputs", "expected a list of inputs, got " + ConfigFields.Describe(n));
                return new InputConfig[0];
            }
            InputConfig[] inputs = new InputConfig[n.Count];
            NameTable ids = new NameTable(n.Count);
            bool hasSos = false;
            for (int i = 0; i < n.Count; i++)
            {
                JsonNode o = n[i];
                InputConfig input = new InputConfig();
                inputs[i] = input;
                if (!f.IsObject(o)) continue;
                f.RejectUnknown(o, InputFields);
                input.Id = f.Str(o, "id", 24, "", true);
                f.CheckIdentifier(input.Id, o, "id");
                string kind = f.Str(o, "kind", 16, "", true);
                input.Kind = InputKind.Parse(kind);
                if (input.Kind == InputKind.Unknown && kind.Length > 0 && f.Keep())
                    f.Error(o, "kind", "expected one of " + InputKind.AllNames() + ", got \"" + JsonText.Clip(kind) + "\"");
                if (input.Kind == InputKind.Sos) hasSos = true;
                input.Pin = f.Int(o, "pin", 0, MaxPin, -1, true);
                input.ActiveLow = f.Bool(o, "activeLow", true);
                input.DebounceMs = f.Int(o, "debounceMs", 5, 2000, DefaultDebounceMs(input.Kind), false);
                input.ChatterEdges = f.Int(o, "chatterEdges", 4, 1000, 40, false);
                input.ChatterWindowMs = f.Int(o, "chatterWindowMs", 1000, 600000, 10000, false);
                input.SupervisionHours = f.Int(o, "supervisionHours", 0, 168, InputKind.IsActivity(input.Kind) && input.Kind != InputKind.Sos && input.Kind != InputKind.Ok ? 24 : 0, false);
                // Through a hash, not by comparing with every earlier input: a list of thousands must not cost millions.
                if (input.Id.Length > 0 && ids.Add(input.Id, NameTable.Hash(input.Id), i) >= 0 && f.Keep())
                    f.Error(o, "id", "duplicate input id \"" + JsonText.Clip(input.Id) + "\"");
            }
            if (!hasSos) f.Error("$.inputs", "at least one input of kind \"sos\" is required");
            return inputs;
        }

        private static int DefaultDebounceMs(byte kind)
        {
            // Buttons: 30 ms covers contact bounce; reed and PIR outputs are slower and noisier.
            if (kind == InputKind.Sos || kind == InputKind.Ok) return 30;
            if (kind == InputKind.Mains || kind == InputKind.BatteryLow) return 500;
            return 100;
        }

        private static SensorConfig[] ReadSensors(JsonNode n, ConfigFields f)
        {
            if (n == null) return new SensorConfig[0];
            if (n.Kind != JsonKind.Array)
            {
                f.Error("$.sensors", "expected a list of sensors, got " + ConfigFields.Describe(n));
                return new SensorConfig[0];
            }
            SensorConfig[] sensors = new SensorConfig[n.Count];
            NameTable ids = new NameTable(n.Count);
            for (int i = 0; i < n.Count; i++)
            {
                JsonNode o = n[i];
                SensorConfig s = new SensorConfig();
                sensors[i] = s;
                if (!f.IsObject(o)) continue;
                f.RejectUnknown(o, SensorFields);
                s.Id = f.Str(o, "id", 24, "", true);
                f.CheckIdentifier(s.Id, o, "id");
                s.Kind = f.Str(o, "kind", 16, "", true);
                bool gas = s.Kind == "gas";
                if (!gas && s.Kind != "temperature" && s.Kind.Length > 0 && f.Keep())
                    f.Error(o, "kind", "expected \"gas\" or \"temperature\", got \"" + JsonText.Clip(s.Kind) + "\"");
                s.Bus = f.Str(o, "bus", 16, "i2c1", false);
                s.Address = f.Int(o, "address", 8, 119, 0, true);
                s.IntervalSeconds = f.Int(o, "intervalSeconds", 1, 600, gas ? 2 : 30, false);
                // Gas in ppm: 10000 ppm methane is 20 % LEL; temperature in 0.1 °C.
                s.HighThreshold = f.Int(o, "high", gas ? 50 : -400, gas ? 10000 : 1000, gas ? 1000 : 400, false);
                s.LowThreshold = f.Int(o, "low", -400, 1000, gas ? 0 : 50, false);
                s.Hysteresis = f.Int(o, "hysteresis", 0, 5000, gas ? 100 : 10, false);
                s.WarmupSeconds = f.Int(o, "warmupSeconds", 0, 3600, gas ? 180 : 0, false);
                s.FailuresBeforeFault = f.Int(o, "failuresBeforeFault", 1, 100, 3, false);
                if (!gas && s.LowThreshold >= s.HighThreshold && f.Keep())
                    f.Error(o, "low", "must be below high (" + s.HighThreshold.ToString() + ")");
                if (s.Id.Length > 0 && ids.Add(s.Id, NameTable.Hash(s.Id), i) >= 0 && f.Keep())
                    f.Error(o, "id", "duplicate sensor id \"" + JsonText.Clip(s.Id) + "\"");
            }
            return sensors;
        }

        /// <summary>
        /// The pin rules that hold on every board (all are ESP32 modules, hardware/boards), checked without a pin map:
        /// GPIO6-11 belong to the module's SPI flash; GPIO34-39 are input-only, so the LED and the buzzer cannot be
        /// there (the error names indicators.ledPin or buzzerPin, not an input on the same pin). One owner per pin,
        /// looked up by pin number: comparing each input with every earlier one cost the square of the list.
        /// </summary>
        private static void CheckPins(HubConfig c, ConfigFields f)
        {
            bool ledUsable = CheckOutputPin(c.LedPin, "$.indicators.ledPin", "the LED", f);
            bool buzzerUsable = CheckOutputPin(c.BuzzerPin, "$.indicators.buzzerPin", "the buzzer", f);
            int[] owner = new int[MaxPin + 1];
            for (int p = 0; p < owner.Length; p++) owner[p] = -1;
            for (int i = 0; i < c.Inputs.Length; i++)
            {
                int pin = c.Inputs[i].Pin;
                if (pin < 0 || pin > MaxPin) continue;
                if (IsFlashPin(pin))
                {
                    if (f.Keep()) f.Error("$.inputs[" + i.ToString() + "].pin", "GPIO" + pin.ToString() + " is wired to the module's SPI flash (GPIO6-11) on every ESP32 board; using it stops the chip; choose another pin");
                    continue;
                }
                if (owner[pin] >= 0)
                {
                    if (f.Keep()) f.Error("$.inputs[" + i.ToString() + "].pin", "pin " + pin.ToString() + " is already used by input \"" + JsonText.Clip(c.Inputs[owner[pin]].Id) + "\"");
                }
                else owner[pin] = i;
                // An LED or buzzer on an input-only pin is the LED's or buzzer's mistake, reported there (above).
                if (pin == c.LedPin && ledUsable && f.Keep()) f.Error("$.inputs[" + i.ToString() + "].pin", "pin " + pin.ToString() + " is already used by the LED");
                if (pin == c.BuzzerPin && buzzerUsable && f.Keep()) f.Error("$.inputs[" + i.ToString() + "].pin", "pin " + pin.ToString() + " is already used by the buzzer");
            }
            if (c.LedPin >= 0 && c.LedPin == c.BuzzerPin && ledUsable && buzzerUsable) f.Error("$.indicators.buzzerPin", "pin " + c.BuzzerPin.ToString() + " is already used by the LED");
        }

        /// <summary>GPIO6-11: the SPI flash of every ESP32 module.</summary>
        private static bool IsFlashPin(int pin)
        {
            return pin >= 6 && pin <= 11;
        }

        /// <summary>An indicator (LED, buzzer) must be on a pin that can drive: not the flash, not GPIO34-39. False when it cannot be used.</summary>
        private static bool CheckOutputPin(int pin, string path, string what, ConfigFields f)
        {
            if (pin < 0) return true;
            if (IsFlashPin(pin))
            {
                if (f.Keep()) f.Error(path, "GPIO" + pin.ToString() + " is wired to the module's SPI flash (GPIO6-11) on every ESP32 board; using it stops the chip; choose another pin for " + what);
                return false;
            }
            if (pin >= 34 && pin <= 39)
            {
                if (f.Keep()) f.Error(path, "GPIO" + pin.ToString() + " is input-only (GPIO34-39) on every ESP32 board and cannot drive " + what + "; choose an output pin (e.g. GPIO2 for the LED, GPIO4 for the buzzer)");
                return false;
            }
            return true;
        }
    }
}
