using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Core.Json;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Core.Field
{
    /// <summary>
    /// The technician's line-based console, the same code on the device (COM2) and in the simulator
    /// (stdin, TCP). Reading commands are open; anything that changes the hub needs <c>unlock PIN</c>
    /// first (the PIN is checked against the config's PBKDF2 verifier, <see cref="Security.PinVerifier"/>, never
    /// stored or echoed; the console locks again after the configured minutes, and wrong PINs are paced and
    /// locked out with a growing wait kept across reboots, <see cref="ConsoleLockout"/>).
    /// Every problem is one line starting with "error:"; nothing here can stop the hub.
    /// Call <see cref="Execute"/> from the hub loop's thread or under the host's hub lock.
    /// </summary>
    public sealed class ConsoleInterpreter
    {
        /// <summary>Written (without a newline) after every reply; <c>pat console</c> reads up to it.</summary>
        public const string Prompt = "pat> ";
        public const int LogError = 0;
        public const int LogWarn = 1;
        public const int LogInfo = 2;
        public const int LogDebug = 3;
        private static readonly string[] LogLevelNames = { "error", "warn", "info", "debug" };
        private const int DefaultEvents = 20;

        private readonly Hub _hub;
        private readonly IConsoleHost _host;
        private long _unlockedUntilMs = -1;
        private JsonNode _pending;
        private int _pendingChanges;
        private int _testNotices;

        public ConsoleInterpreter(Hub hub, IConsoleHost host)
        {
            _hub = hub;
            _host = host;
            LogLevel = LogInfo;
        }

        /// <summary>How much the host logs to the console (error, warn, info, debug).</summary>
        public int LogLevel { get; private set; }

        public bool IsUnlocked { get { return _unlockedUntilMs >= 0 && _hub.Clock.UptimeMs < _unlockedUntilMs; } }

        public static string LogLevelName(int level)
        {
            return level >= 0 && level < LogLevelNames.Length ? LogLevelNames[level] : "info";
        }

        /// <summary>Runs one command line, writing its reply lines to <paramref name="output"/>.</summary>
        public void Execute(string line, IConsoleOutput output)
        {
            string[] words = Split(line);
            if (words.Length == 0) { output.Done(); return; }
            string cmd = words[0];
            try
            {
                switch (cmd)
                {
                    case "help": Help(output); break;
                    case "status": Status(output); break;
                    case "sensors": Sensors(output); break;
                    case "events": Events(words, output); break;
                    case "outbox": OutboxReport(output); break;
                    case "config": ConfigCommand(words, output); break;
                    case "test": Test(words, output); break;
                    case "time": Time(output); break;
                    case "log": Log(words, output); break;
                    case "reboot": Reboot(words, output); break;
                    case "unlock": Unlock(words, output); break;
                    case "lock": _unlockedUntilMs = -1; output.WriteLine("locked"); break;
                    default: output.WriteLine("error: unknown command \"" + cmd + "\"; type help"); break;
                }
            }
            catch (System.Exception e)
            {
                output.WriteLine("error: " + cmd + " failed: " + e.Message);
            }
            output.Done();
        }

        private static void Help(IConsoleOutput o)
        {
            o.WriteLine("help                   this list");
            o.WriteLine("status                 ids, firmware, uptime, clock, network, MQTT, outbox, home/away, safe mode");
            o.WriteLine("sensors                every input and sensor with its value and health");
            o.WriteLine("events [n]             the newest n entries of the local event log (default 20)");
            o.WriteLine("outbox                 messages waiting for the broker");
            o.WriteLine("config show            the stored config (secrets masked)");
            o.WriteLine("config set KEY VALUE   change one setting, e.g. config set heartbeatMinutes 10, config set inputs.door.debounceMs 80 *");
            o.WriteLine("config apply           validate and apply the changes (version +1) *");
            o.WriteLine("config discard         drop the changes");
            o.WriteLine("test sos|smoke|gas     raise a test alarm (class test) through the whole alarm path *");
            o.WriteLine("test notice            show the notice pattern until OK is pressed *");
            o.WriteLine("time                   uptime, UTC and local time, clock sync");
            o.WriteLine("log level [LEVEL]      show or set the console log level: error, warn, info, debug (* to set)");
            o.WriteLine("reboot                 restart the hub (leaves safe mode) *");
            o.WriteLine("unlock PIN / lock      * commands need the installer PIN first");
        }

        private void Status(IConsoleOutput o)
        {
            HubConfig c = _hub.Config;
            long now = _hub.Clock.UptimeMs;
            o.WriteLine("hub " + c.HubId + " at " + c.Location + ", firmware " + _hub.Host.FirmwareVersion + ", config v" + c.Version.ToString() + " (" + _hub.ConfigSource + ")");
            o.WriteLine("uptime " + ConsoleFormat.Duration(now) + ", last reset " + _hub.Host.ResetReason + ", clock " + (_hub.Clock.UtcMs >= 0 ? "synced" : "NOT synced"));
            o.WriteLine("network: " + _host.NetworkStatus);
            ConnectionManager link = _hub.Link;
            string mqtt = "mqtt " + ConnectionManager.StateName(link.State) + " to " + c.Broker.Host + ":" + c.Broker.Port.ToString()
                + (c.Broker.Tls ? " (TLS)" : " (NO TLS: insecureForTesting, lab only)") + (_hub.ConfigTrialActive ? "; config on trial" : "");
            if (link.State != ConnectionManager.Connected && link.LastError != null) mqtt += "; last error: " + link.LastError;
            o.WriteLine(mqtt);
            o.WriteLine("outbox " + _hub.Outbox.CountPending().ToString() + " waiting, " + _hub.Alarms.ActiveCount.ToString() + " active alarm(s)");
            o.WriteLine("mode " + Inactivity.Presence.Name(_hub.Inactivity.Presence) + ", indication " + Alarms.Indication.Name(_hub.CurrentIndication)
                + (_hub.StorageFault ? ", STORAGE FAULT" : ""));
            o.WriteLine(_host.SafeMode ? "SAFE MODE: " + _host.SafeModeReason + "; I2C sensors off; reboot to leave" : "safe mode off");
            o.WriteLine("console " + (IsUnlocked ? "unlocked for " + ConsoleFormat.Duration(_unlockedUntilMs - now) : "locked")
                + (_hub.ConsoleLockout.LockedOut(now) ? "; " + _hub.ConsoleLockout.Failures.ToString() + " wrong PINs, next try in " + ConsoleFormat.Duration(_hub.ConsoleLockout.RemainingMs(now)) : ""));
            o.WriteLine("commands " + (_hub.CommandKeyProblem == null ? "signed with the hub's key" : "ALL REFUSED: " + _hub.CommandKeyProblem)
                + (_hub.Commands.Unauthenticated > 0 ? "; " + _hub.Commands.Unauthenticated.ToString() + " refused as not the centre's" : ""));
        }

        private void Sensors(IConsoleOutput o)
        {
            long now = _hub.Clock.UptimeMs;
            for (int i = 0; i < _hub.Inputs.Length; i++)
            {
                DigitalInput input = _hub.Inputs[i];
                InputConfig ic = input.Config;
                string health = input.IsChattering ? "FAULT chatter" : (input.IsSilent ? "FAULT silent" : "ok");
                string last = input.LastActivityMs > 0 ? ", last active " + ConsoleFormat.Duration(now - input.LastActivityMs) + " ago" : "";
                o.WriteLine("input " + ic.Id + " (" + InputKind.Name(ic.Kind) + ", GPIO" + ic.Pin.ToString() + "): " + (input.IsActive ? "ACTIVE" : "idle") + ", " + health + last);
            }
            for (int i = 0; i < _hub.Sensors.Length; i++)
            {
                AnalogSensor s = _hub.Sensors[i];
                SensorConfig sc = s.Config;
                string unit = s.IsGas ? " ppm" : " °C";
                string value = s.HasValue ? (s.IsGas ? s.Value.ToString() : ConsoleFormat.Fixed(s.Value, 1)) + unit : "no value";
                string health = s.IsFaulty ? "FAULT " + SensorStatus.Name(s.LastStatus) : (s.LastStatus != SensorStatus.Ok ? "last read " + SensorStatus.Name(s.LastStatus) : "ok");
                string state = s.IsWarmingUp ? ", warming up" : (s.IsHigh ? ", HIGH" : (s.IsLow ? ", LOW" : ""));
                o.WriteLine("sensor " + sc.Id + " (" + sc.Kind + ", " + sc.Bus + " 0x" + Hex2(sc.Address) + "): " + value + state + ", " + health);
            }
        }

        private void Events(string[] words, IConsoleOutput o)
        {
            int n = DefaultEvents;
            if (words.Length > 1 && !TryNumber(words[1], 1, 2 * EventLog.PerFile, out n))
            {
                o.WriteLine("error: events: expected a count from 1 to " + (2 * EventLog.PerFile).ToString() + ", got \"" + words[1] + "\"");
                return;
            }
            EventLog log = _hub.EventLog;
            if (log.Count == 0) { o.WriteLine("no events logged"); return; }
            log.WriteLast(n, o);
            if (log.FoundDamage) o.WriteLine("(the log had a damaged record at boot; entries after it in that file were dropped)");
        }

        private void OutboxReport(IConsoleOutput o)
        {
            Outbox box = _hub.Outbox;
            long now = _hub.Clock.UptimeMs;
            int shown = 0;
            for (int i = 0; i < box.Entries.Count; i++)
            {
                OutboxEntry e = (OutboxEntry)box.Entries[i];
                if (e.State != OutboxState.Pending) continue;
                if (shown++ >= 20) continue;
                o.WriteLine(Channel.Name(e.Channel) + " " + (e.Id != null ? e.Id : "") + (e.Kind != null ? " " + e.Kind : "") + " priority " + e.Priority.ToString()
                    + ", age " + (e.FromPreviousBoot ? "from before reboot" : ConsoleFormat.Duration(now - e.CreatedUptimeMs)) + ", attempts " + e.Attempts.ToString());
            }
            o.WriteLine(box.CountPending().ToString() + " waiting" + (shown > 20 ? " (first 20 shown)" : "") + ", " + box.FileLength.ToString() + " bytes on flash, "
                + box.EvictedCount.ToString() + " evicted, " + box.WriteFailures.ToString() + " write failures" + (box.LastWriteError != null ? " (last: " + box.LastWriteError + ")" : ""));
        }

        private void ConfigCommand(string[] words, IConsoleOutput o)
        {
            string sub = words.Length > 1 ? words[1] : "";
            if (sub == "show") { ConfigShow(o); return; }
            if (sub == "discard") { _pending = null; _pendingChanges = 0; o.WriteLine("changes discarded"); return; }
            if (sub != "set" && sub != "apply")
            {
                o.WriteLine("error: config: expected show, set KEY VALUE, apply or discard");
                return;
            }
            if (!RequireUnlocked("config " + sub, o)) return;
            if (sub == "set") ConfigSet(words, o);
            else ConfigApply(o);
        }

        private void ConfigShow(IConsoleOutput o)
        {
            JsonNode doc = _pending != null ? _pending : StoredDocument();
            if (doc == null)
            {
                o.WriteLine("no stored config: the hub runs on its built-in fallback (" + _hub.Config.HubId + "); deploy a config file");
                return;
            }
            if (_pending != null) o.WriteLine("(showing " + _pendingChanges.ToString() + " unapplied change(s); config apply or config discard)");
            JsonWriter w = new JsonWriter(256);
            for (int i = 0; i < doc.Count; i++)
            {
                JsonNode m = doc[i];
                w.Reset();
                if (m.Name == "console") WriteMaskedConsole(m, w);
                else w.Node(m);
                o.WriteLine(m.Name + " = " + Utf8.Decode(w.Buffer, 0, w.Length));
            }
        }

        private static void WriteMaskedConsole(JsonNode console, JsonWriter w)
        {
            w.BeginObject();
            for (int i = 0; i < console.Count; i++)
            {
                JsonNode m = console[i];
                w.Name(m.Name);
                if (m.Name == "pinHash" || m.Name == "pinSalt") w.String("***");
                else w.Node(m);
            }
            w.EndObject();
        }

        private void ConfigSet(string[] words, IConsoleOutput o)
        {
            if (words.Length < 4)
            {
                o.WriteLine("error: config set: expected KEY VALUE, e.g. config set heartbeatMinutes 10");
                return;
            }
            if (_pending == null)
            {
                _pending = StoredDocument();
                if (_pending == null)
                {
                    o.WriteLine("error: config set: no stored config to change (the hub runs on its fallback); deploy a config file first");
                    return;
                }
            }
            string key = words[2];
            string valueText = Rest(words, 3);
            JsonNode value;
            try
            {
                byte[] bytes = Utf8.Encode(valueText);
                value = JsonReader.Parse(bytes, 0, bytes.Length);
            }
            catch (JsonException)
            {
                value = new JsonNode(JsonKind.String, "$");
                value.StringValue = valueText; // plain words are text
            }
            if (value.Kind == JsonKind.Object || value.Kind == JsonKind.Array)
            {
                o.WriteLine("error: config set " + key + ": expected a single value (number, true/false, text), not an object or list");
                return;
            }
            string problem = SetPath(_pending, key, value);
            if (problem != null)
            {
                o.WriteLine("error: config set " + key + ": " + problem);
                return;
            }
            _pendingChanges++;
            bool secret = key.Length >= 8 && key.Substring(0, 8) == "console.";
            o.WriteLine("set " + key + (secret ? "" : " = " + (value.Kind == JsonKind.String ? "\"" + value.StringValue + "\"" : valueText))
                + " (" + _pendingChanges.ToString() + " change(s) pending; config apply to validate and apply)");
        }

        private void ConfigApply(IConsoleOutput o)
        {
            if (_pending == null)
            {
                o.WriteLine("error: config apply: nothing to apply; use config set first");
                return;
            }
            JsonNode version = _pending.Get("version");
            long next = _hub.Config.Version + 1L;
            JsonNode v = new JsonNode(JsonKind.Number, "$.version");
            v.IsInteger = true;
            v.IntegerValue = next;
            v.NumberValue = next;
            if (version != null) Replace(_pending, version, v);
            else { v.Name = "version"; _pending.Items.Add(v); }
            bool rebooting, trial;
            string problem = _hub.ApplyConfigDocument(_pending, _hub.Clock.UptimeMs, out rebooting, out trial);
            if (problem != null)
            {
                o.WriteLine("error: config apply refused, nothing changed: " + problem);
                return;
            }
            _pending = null;
            _pendingChanges = 0;
            if (trial)
            {
                o.WriteLine("config version " + next.ToString() + " on trial: moving to " + Hub.BrokerName(_hub.TrialConfig) + "; kept once the centre sends a signed command there within "
                    + (Hub.TrialMs / 60000).ToString() + " min, else back on version " + (next - 1).ToString());
                return;
            }
            o.WriteLine("applied config version " + next.ToString() + (rebooting ? "; pins changed, rebooting to rewire" : ""));
        }

        /// <summary>Sets a scalar at a dotted path; list elements are addressed by their id or index (inputs.door.pin, sensors.0.high).</summary>
        private static string SetPath(JsonNode root, string key, JsonNode value)
        {
            string[] parts = SplitOn(key, '.');
            JsonNode node = root;
            string path = "$";
            for (int i = 0; i < parts.Length - 1; i++)
            {
                JsonNode child = Child(node, parts[i]);
                if (child == null) return path + " has no \"" + parts[i] + "\"" + (node.Kind == JsonKind.Array ? " (use an id or an index)" : "");
                if (child.Kind != JsonKind.Object && child.Kind != JsonKind.Array) return child.Path + " is a value, not a group";
                node = child;
                path = child.Path;
            }
            string last = parts[parts.Length - 1];
            if (node.Kind != JsonKind.Object) return path + " is a list; name a setting inside one element";
            JsonNode fresh = new JsonNode(value.Kind, node.Path + "." + last);
            fresh.StringValue = value.StringValue;
            fresh.BoolValue = value.BoolValue;
            fresh.IsInteger = value.IsInteger;
            fresh.IntegerValue = value.IntegerValue;
            fresh.NumberValue = value.NumberValue;
            JsonNode existing = node.Get(last);
            if (existing != null)
            {
                if (existing.Kind == JsonKind.Object || existing.Kind == JsonKind.Array) return existing.Path + " is a group; set the settings inside it";
                Replace(node, existing, fresh);
            }
            else
            {
                fresh.Name = last;
                node.Items.Add(fresh); // unknown names are refused by the validator at apply
            }
            return null;
        }

        private static JsonNode Child(JsonNode node, string part)
        {
            if (node.Kind == JsonKind.Object) return node.Get(part);
            int index;
            if (TryNumber(part, 0, node.Count - 1, out index)) return node[index];
            for (int i = 0; i < node.Count; i++)
            {
                JsonNode id = node[i].Get("id");
                if (id != null && id.Kind == JsonKind.String && id.StringValue == part) return node[i];
            }
            return null;
        }

        private static void Replace(JsonNode parent, JsonNode old, JsonNode fresh)
        {
            fresh.Name = old.Name;
            for (int i = 0; i < parent.Items.Count; i++)
            {
                if (parent.Items[i] == old) { parent.Items[i] = fresh; return; }
            }
        }

        private JsonNode StoredDocument()
        {
            byte[] json = _hub.StoredConfigJson();
            if (json == null) return null;
            return JsonReader.Parse(json, 0, json.Length);
        }

        private void Test(string[] words, IConsoleOutput o)
        {
            string kind = words.Length > 1 ? words[1] : "";
            if (kind != EventKind.Sos && kind != EventKind.Smoke && kind != EventKind.Gas && kind != EventKind.Notice)
            {
                o.WriteLine("error: test: expected sos, smoke, gas or notice, got \"" + kind + "\"");
                return;
            }
            if (!RequireUnlocked("test", o)) return;
            if (kind == EventKind.Notice)
            {
                _testNotices++;
                _hub.PendingNoticeId = "test-notice-" + _testNotices.ToString();
                o.WriteLine("notice pattern on until OK is pressed (the notice read event will carry id " + _hub.PendingNoticeId + ")");
                return;
            }
            OutboxEntry e = _hub.RaiseTest(kind, "console test");
            o.WriteLine("test alarm " + e.Id + " raised (class test); watch status/outbox, the centre should acknowledge it");
        }

        private void Time(IConsoleOutput o)
        {
            long utc = _hub.Clock.UtcMs;
            o.WriteLine("uptime " + ConsoleFormat.Duration(_hub.Clock.UptimeMs));
            if (utc < 0)
            {
                o.WriteLine("clock NOT synced (waiting for SNTP); alarms carry uptime only and TLS cannot start");
                return;
            }
            o.WriteLine("utc " + ConsoleFormat.Time(utc));
            int offset = _hub.Config.UtcOffsetMinutes;
            o.WriteLine("local " + ConsoleFormat.Time(utc + offset * 60000L).Substring(0, 19) + " (UTC" + (offset >= 0 ? "+" : "-") + ConsoleFormat.Fixed((offset < 0 ? -offset : offset) * 100 / 60, 2) + "h)");
        }

        private void Log(string[] words, IConsoleOutput o)
        {
            if (words.Length < 2 || words[1] != "level")
            {
                o.WriteLine("error: log: expected log level [error|warn|info|debug]");
                return;
            }
            if (words.Length == 2)
            {
                o.WriteLine("log level " + LogLevelName(LogLevel));
                return;
            }
            int level = -1;
            for (int i = 0; i < LogLevelNames.Length; i++) if (LogLevelNames[i] == words[2]) level = i;
            if (level < 0)
            {
                o.WriteLine("error: log level: expected error, warn, info or debug, got \"" + words[2] + "\"");
                return;
            }
            if (!RequireUnlocked("log level", o)) return;
            LogLevel = level;
            o.WriteLine("log level " + LogLevelName(level));
        }

        private void Reboot(string[] words, IConsoleOutput o)
        {
            if (!RequireUnlocked("reboot", o)) return;
            _hub.ScheduleReboot(_hub.Clock.UptimeMs);
            o.WriteLine("rebooting in a moment (messages waiting stay stored)");
        }

        private void Unlock(string[] words, IConsoleOutput o)
        {
            long now = _hub.Clock.UptimeMs;
            if (words.Length != 2)
            {
                o.WriteLine("error: unlock: expected unlock PIN");
                return;
            }
            HubConfig c = _hub.Config;
            if (c.ConsolePinHash == null)
            {
                o.WriteLine("error: unlock: no installer PIN in this hub's config (console.pinHash); changes are disabled");
                return;
            }
            ConsoleLockout lockout = _hub.ConsoleLockout;
            long wait = lockout.RemainingMs(now);
            if (wait > 0)
            {
                o.WriteLine(lockout.Failures >= ConsoleLockout.FreeAttempts
                    ? "error: unlock: " + lockout.Failures.ToString() + " wrong PINs in a row; try again in " + ConsoleFormat.Duration(wait)
                    : "error: unlock: wait " + ConsoleFormat.Duration(wait) + " after a wrong PIN");
                return;
            }
            // PBKDF2 holds the hub loop about a second on the device; the pacing above allows one check per pause.
            if (!Security.PinVerifier.Check(c, words[1]))
            {
                lockout.OnWrongPin(now);
                bool locked = lockout.Failures >= ConsoleLockout.FreeAttempts;
                string message = "wrong PIN" + (locked ? "; locked for " + ConsoleFormat.Duration(ConsoleLockout.WaitAfter(lockout.Failures)) : "");
                if (locked) _hub.EventLog.Add(now, _hub.Clock.UtcMs, "console: " + lockout.Failures.ToString() + " wrong PINs in a row; " + message);
                o.WriteLine("error: unlock: " + message);
                return;
            }
            lockout.OnRightPin();
            _unlockedUntilMs = now + c.ConsoleUnlockMinutes * 60000L;
            o.WriteLine("unlocked for " + c.ConsoleUnlockMinutes.ToString() + " min");
        }

        private bool RequireUnlocked(string what, IConsoleOutput o)
        {
            if (IsUnlocked) return true;
            o.WriteLine("error: " + what + " changes the hub: unlock PIN first");
            return false;
        }

        private static string[] Split(string line)
        {
            return SplitOn(line.Trim(), ' ');
        }

        /// <summary>Splits on a separator, dropping empty parts (no string.Split options on nanoFramework).</summary>
        private static string[] SplitOn(string s, char separator)
        {
            System.Collections.ArrayList parts = new System.Collections.ArrayList();
            int start = 0;
            for (int i = 0; i <= s.Length; i++)
            {
                if (i == s.Length || s[i] == separator || (separator == ' ' && s[i] == '\t'))
                {
                    if (i > start) parts.Add(s.Substring(start, i - start));
                    start = i + 1;
                }
            }
            string[] result = new string[parts.Count];
            for (int i = 0; i < parts.Count; i++) result[i] = (string)parts[i];
            return result;
        }

        private static string Rest(string[] words, int from)
        {
            string s = words[from];
            for (int i = from + 1; i < words.Length; i++) s += " " + words[i];
            return s;
        }

        private static bool TryNumber(string s, int min, int max, out int value)
        {
            value = 0;
            if (s.Length == 0 || s.Length > 9) return false;
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] < '0' || s[i] > '9') return false;
                value = value * 10 + (s[i] - '0');
            }
            return value >= min && value <= max;
        }

        private static string Hex2(int v)
        {
            const string digits = "0123456789abcdef";
            return digits[(v >> 4) & 15].ToString() + digits[v & 15].ToString();
        }
    }
}
