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
    /// Every problem is one line starting with "error:"; nothing here can stop the hub. Replies are in the language of
    /// the config's <c>console.language</c> (<see cref="ConsoleText"/>, English or Chinese), read at every command.
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
        /// <summary>The language of the reply under way (config <c>console.language</c>, read at every command so a change applies at once).</summary>
        private int _lang;

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

        /// <summary>The language of the running config (console.language): the device's log lines follow it too.</summary>
        public int Language { get { return ConsoleText.LanguageOf(_hub.Config); } }

        /// <summary>Runs one command line, writing its reply lines to <paramref name="output"/>.</summary>
        public void Execute(string line, IConsoleOutput output)
        {
            string[] words = Split(line);
            if (words.Length == 0) { output.Done(); return; }
            string cmd = words[0];
            _lang = ConsoleText.LanguageOf(_hub.Config);
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
                    case "lock": _unlockedUntilMs = -1; output.WriteLine(T(ConsoleText.Locked)); break;
                    default: output.WriteLine(T(ConsoleText.UnknownCommand, cmd)); break;
                }
            }
            catch (System.Exception e)
            {
                output.WriteLine(T(ConsoleText.CommandFailed, cmd, e.Message));
            }
            output.Done();
        }

        private string T(int id) { return ConsoleText.Get(_lang, id); }

        private string T(int id, string a0) { return ConsoleText.Get(_lang, id, a0); }

        private string T(int id, string a0, string a1) { return ConsoleText.Get(_lang, id, a0, a1); }

        private string T(int id, string a0, string a1, string a2) { return ConsoleText.Get(_lang, id, a0, a1, a2); }

        private string T(int id, string[] args) { return ConsoleText.Get(_lang, id, args); }

        private void Help(IConsoleOutput o)
        {
            for (int i = 0; i < ConsoleText.HelpLines; i++) o.WriteLine(T(ConsoleText.HelpFirst + i));
        }

        private void Status(IConsoleOutput o)
        {
            HubConfig c = _hub.Config;
            long now = _hub.Clock.UptimeMs;
            o.WriteLine(T(ConsoleText.StatusHub, new string[] { c.HubId, c.Location, _hub.Host.FirmwareVersion, c.Version.ToString(), _hub.ConfigSource }));
            o.WriteLine(T(ConsoleText.StatusUptime, ConsoleFormat.Duration(now), _hub.Host.ResetReason, T(_hub.Clock.UtcMs >= 0 ? ConsoleText.ClockSynced : ConsoleText.ClockNotSynced)));
            o.WriteLine(T(ConsoleText.StatusNetwork, _host.NetworkStatus));
            ConnectionManager link = _hub.Link;
            string mqtt = T(ConsoleText.StatusMqtt, new string[] { ConnectionManager.StateName(link.State), c.Broker.Host, c.Broker.Port.ToString(),
                T(c.Broker.Tls ? ConsoleText.MqttTls : ConsoleText.MqttNoTls), _hub.ConfigTrialActive ? T(ConsoleText.MqttTrial) : "" });
            if (link.State != ConnectionManager.Connected && link.LastError != null) mqtt += T(ConsoleText.MqttLastError, link.LastError);
            o.WriteLine(mqtt);
            o.WriteLine(T(ConsoleText.StatusOutbox, _hub.Outbox.CountPending().ToString(), _hub.Alarms.ActiveCount.ToString()));
            o.WriteLine(T(ConsoleText.StatusMode, Inactivity.Presence.Name(_hub.Inactivity.Presence), Alarms.Indication.Name(_hub.CurrentIndication),
                _hub.StorageFault ? T(ConsoleText.StorageFault) : ""));
            o.WriteLine(_host.SafeMode ? T(ConsoleText.SafeModeOn, _host.SafeModeReason) : T(ConsoleText.SafeModeOff));
            o.WriteLine(T(ConsoleText.StatusConsole, IsUnlocked ? T(ConsoleText.ConsoleUnlockedFor, ConsoleFormat.Duration(_unlockedUntilMs - now)) : T(ConsoleText.ConsoleLocked),
                _hub.ConsoleLockout.LockedOut(now) ? T(ConsoleText.ConsoleLockedOut, _hub.ConsoleLockout.Failures.ToString(), ConsoleFormat.Duration(_hub.ConsoleLockout.RemainingMs(now))) : ""));
            o.WriteLine(T(ConsoleText.StatusCommands, _hub.CommandKeyProblem == null ? T(ConsoleText.CommandsSigned) : T(ConsoleText.CommandsRefused, _hub.CommandKeyProblem),
                _hub.Commands.Unauthenticated > 0 ? T(ConsoleText.CommandsUnauthenticated, _hub.Commands.Unauthenticated.ToString()) : ""));
        }

        private void Sensors(IConsoleOutput o)
        {
            long now = _hub.Clock.UptimeMs;
            for (int i = 0; i < _hub.Inputs.Length; i++)
            {
                DigitalInput input = _hub.Inputs[i];
                InputConfig ic = input.Config;
                string health = T(input.IsChattering ? ConsoleText.FaultChatter : (input.IsSilent ? ConsoleText.FaultSilent : ConsoleText.Ok));
                string last = input.LastActivityMs > 0 ? T(ConsoleText.LastActive, ConsoleFormat.Duration(now - input.LastActivityMs)) : "";
                o.WriteLine(T(ConsoleText.InputLine, new string[] { ic.Id, InputKind.Name(ic.Kind), ic.Pin.ToString(), T(input.IsActive ? ConsoleText.InputActive : ConsoleText.InputIdle), health, last }));
            }
            for (int i = 0; i < _hub.Sensors.Length; i++)
            {
                AnalogSensor s = _hub.Sensors[i];
                SensorConfig sc = s.Config;
                string unit = s.IsGas ? " ppm" : " °C";
                string value = s.HasValue ? (s.IsGas ? s.Value.ToString() : ConsoleFormat.Fixed(s.Value, 1)) + unit : T(ConsoleText.NoValue);
                string health = s.IsFaulty ? T(ConsoleText.SensorFault, SensorStatus.Name(s.LastStatus))
                    : (s.LastStatus != SensorStatus.Ok ? T(ConsoleText.LastRead, SensorStatus.Name(s.LastStatus)) : T(ConsoleText.Ok));
                string state = s.IsWarmingUp ? T(ConsoleText.WarmingUp) : (s.IsHigh ? T(ConsoleText.High) : (s.IsLow ? T(ConsoleText.Low) : ""));
                o.WriteLine(T(ConsoleText.SensorLine, new string[] { sc.Id, sc.Kind, sc.Bus, Hex2(sc.Address), value, state, health }));
            }
        }

        private void Events(string[] words, IConsoleOutput o)
        {
            int n = DefaultEvents;
            if (words.Length > 1 && !TryNumber(words[1], 1, 2 * EventLog.PerFile, out n))
            {
                o.WriteLine(T(ConsoleText.EventsBadCount, (2 * EventLog.PerFile).ToString(), words[1]));
                return;
            }
            EventLog log = _hub.EventLog;
            if (log.Count == 0) { o.WriteLine(T(ConsoleText.NoEvents)); return; }
            log.WriteLast(n, o);
            if (log.FoundDamage) o.WriteLine(T(ConsoleText.EventsDamaged));
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
                o.WriteLine(T(ConsoleText.OutboxEntry, new string[] { Channel.Name(e.Channel), e.Id != null ? e.Id : "", e.Kind != null ? " " + e.Kind : "", e.Priority.ToString(),
                    e.FromPreviousBoot ? T(ConsoleText.FromBeforeReboot) : ConsoleFormat.Duration(now - e.CreatedUptimeMs), e.Attempts.ToString() }));
            }
            o.WriteLine(T(ConsoleText.OutboxSummary, new string[] { box.CountPending().ToString(), shown > 20 ? T(ConsoleText.FirstShown) : "", box.FileLength.ToString(),
                box.EvictedCount.ToString(), box.WriteFailures.ToString(), box.LastWriteError != null ? T(ConsoleText.LastWriteError, box.LastWriteError) : "" }));
        }

        private void ConfigCommand(string[] words, IConsoleOutput o)
        {
            string sub = words.Length > 1 ? words[1] : "";
            if (sub == "show") { ConfigShow(o); return; }
            if (sub == "discard") { _pending = null; _pendingChanges = 0; o.WriteLine(T(ConsoleText.ChangesDiscarded)); return; }
            if (sub != "set" && sub != "apply")
            {
                o.WriteLine(T(ConsoleText.ConfigExpected));
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
                o.WriteLine(T(ConsoleText.NoStoredConfig, _hub.Config.HubId));
                return;
            }
            if (_pending != null) o.WriteLine(T(ConsoleText.ShowingPending, _pendingChanges.ToString()));
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
                o.WriteLine(T(ConsoleText.ConfigSetExpected));
                return;
            }
            if (_pending == null)
            {
                _pending = StoredDocument();
                if (_pending == null)
                {
                    o.WriteLine(T(ConsoleText.ConfigSetNoStored));
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
                o.WriteLine(T(ConsoleText.ConfigSetNotScalar, key));
                return;
            }
            string problem = SetPath(_pending, key, value);
            if (problem != null)
            {
                o.WriteLine(T(ConsoleText.ConfigSetProblem, key, problem));
                return;
            }
            _pendingChanges++;
            bool secret = key.Length >= 8 && key.Substring(0, 8) == "console." && key != "console.language";
            o.WriteLine(T(ConsoleText.ConfigSetDone, key, secret ? "" : " = " + (value.Kind == JsonKind.String ? "\"" + value.StringValue + "\"" : valueText),
                _pendingChanges.ToString()));
        }

        private void ConfigApply(IConsoleOutput o)
        {
            if (_pending == null)
            {
                o.WriteLine(T(ConsoleText.ConfigApplyNothing));
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
                o.WriteLine(T(ConsoleText.ConfigApplyRefused, problem));
                return;
            }
            _pending = null;
            _pendingChanges = 0;
            // The reply is in the language of the config just applied (config set console.language zh-CN switches at once).
            _lang = ConsoleText.LanguageOf(_hub.Config);
            if (trial)
            {
                o.WriteLine(T(ConsoleText.ConfigTrial, new string[] { next.ToString(), Hub.BrokerName(_hub.TrialConfig), (Hub.TrialMs / 60000).ToString(), (next - 1).ToString() }));
                return;
            }
            o.WriteLine(T(ConsoleText.ConfigApplied, next.ToString(), rebooting ? T(ConsoleText.ConfigRebooting) : ""));
        }

        /// <summary>Sets a scalar at a dotted path; list elements are addressed by their id or index (inputs.door.pin, sensors.0.high).</summary>
        private string SetPath(JsonNode root, string key, JsonNode value)
        {
            string[] parts = SplitOn(key, '.');
            JsonNode node = root;
            string path = "$";
            for (int i = 0; i < parts.Length - 1; i++)
            {
                JsonNode child = Child(node, parts[i]);
                if (child == null) return T(ConsoleText.PathNoChild, path, parts[i], node.Kind == JsonKind.Array ? T(ConsoleText.UseIdOrIndex) : "");
                if (child.Kind != JsonKind.Object && child.Kind != JsonKind.Array) return T(ConsoleText.PathIsValue, child.Path);
                node = child;
                path = child.Path;
            }
            string last = parts[parts.Length - 1];
            if (node.Kind != JsonKind.Object) return T(ConsoleText.PathIsList, path);
            JsonNode fresh = new JsonNode(value.Kind, node.Path + "." + last);
            fresh.StringValue = value.StringValue;
            fresh.BoolValue = value.BoolValue;
            fresh.IsInteger = value.IsInteger;
            fresh.IntegerValue = value.IntegerValue;
            fresh.NumberValue = value.NumberValue;
            JsonNode existing = node.Get(last);
            if (existing != null)
            {
                if (existing.Kind == JsonKind.Object || existing.Kind == JsonKind.Array) return T(ConsoleText.PathIsGroup, existing.Path);
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
                o.WriteLine(T(ConsoleText.TestExpected, kind));
                return;
            }
            if (!RequireUnlocked("test", o)) return;
            if (kind == EventKind.Notice)
            {
                _testNotices++;
                _hub.PendingNoticeId = "test-notice-" + _testNotices.ToString();
                o.WriteLine(T(ConsoleText.TestNotice, _hub.PendingNoticeId));
                return;
            }
            OutboxEntry e = _hub.RaiseTest(kind, "console test");
            o.WriteLine(T(ConsoleText.TestAlarm, e.Id));
        }

        private void Time(IConsoleOutput o)
        {
            long utc = _hub.Clock.UtcMs;
            o.WriteLine(T(ConsoleText.TimeUptime, ConsoleFormat.Duration(_hub.Clock.UptimeMs)));
            if (utc < 0)
            {
                o.WriteLine(T(ConsoleText.TimeNotSynced));
                return;
            }
            o.WriteLine(T(ConsoleText.TimeUtc, ConsoleFormat.Time(utc)));
            int offset = _hub.Config.UtcOffsetMinutes;
            o.WriteLine(T(ConsoleText.TimeLocal, ConsoleFormat.Time(utc + offset * 60000L).Substring(0, 19), (offset >= 0 ? "+" : "-") + ConsoleFormat.Fixed((offset < 0 ? -offset : offset) * 100 / 60, 2)));
        }

        private void Log(string[] words, IConsoleOutput o)
        {
            if (words.Length < 2 || words[1] != "level")
            {
                o.WriteLine(T(ConsoleText.LogExpected));
                return;
            }
            if (words.Length == 2)
            {
                o.WriteLine(T(ConsoleText.LogLevelIs, LogLevelName(LogLevel)));
                return;
            }
            int level = -1;
            for (int i = 0; i < LogLevelNames.Length; i++) if (LogLevelNames[i] == words[2]) level = i;
            if (level < 0)
            {
                o.WriteLine(T(ConsoleText.LogLevelBad, words[2]));
                return;
            }
            if (!RequireUnlocked("log level", o)) return;
            LogLevel = level;
            o.WriteLine(T(ConsoleText.LogLevelIs, LogLevelName(level)));
        }

        private void Reboot(string[] words, IConsoleOutput o)
        {
            if (!RequireUnlocked("reboot", o)) return;
            _hub.ScheduleReboot(_hub.Clock.UptimeMs);
            o.WriteLine(T(ConsoleText.Rebooting));
        }

        private void Unlock(string[] words, IConsoleOutput o)
        {
            long now = _hub.Clock.UptimeMs;
            if (words.Length != 2)
            {
                o.WriteLine(T(ConsoleText.UnlockExpected));
                return;
            }
            HubConfig c = _hub.Config;
            if (c.ConsolePinHash == null)
            {
                o.WriteLine(T(ConsoleText.UnlockNoPin));
                return;
            }
            ConsoleLockout lockout = _hub.ConsoleLockout;
            long wait = lockout.RemainingMs(now);
            if (wait > 0)
            {
                o.WriteLine(lockout.Failures >= ConsoleLockout.FreeAttempts
                    ? T(ConsoleText.UnlockLockedOut, lockout.Failures.ToString(), ConsoleFormat.Duration(wait))
                    : T(ConsoleText.UnlockWait, ConsoleFormat.Duration(wait)));
                return;
            }
            // PBKDF2 holds the hub loop about a second on the device; the pacing above allows one check per pause.
            if (!Security.PinVerifier.Check(c, words[1]))
            {
                lockout.OnWrongPin(now);
                bool locked = lockout.Failures >= ConsoleLockout.FreeAttempts;
                string lockedFor = locked ? ConsoleFormat.Duration(ConsoleLockout.WaitAfter(lockout.Failures)) : null;
                // The event log is a record read by anyone later: always in English (as every other entry).
                if (locked) _hub.EventLog.Add(now, _hub.Clock.UtcMs, "console: " + lockout.Failures.ToString() + " wrong PINs in a row; "
                    + ConsoleText.Get(ConsoleText.En, ConsoleText.WrongPin) + ConsoleText.Get(ConsoleText.En, ConsoleText.LockedFor, lockedFor));
                o.WriteLine(T(ConsoleText.UnlockRefused, T(ConsoleText.WrongPin) + (locked ? T(ConsoleText.LockedFor, lockedFor) : "")));
                return;
            }
            lockout.OnRightPin();
            _unlockedUntilMs = now + c.ConsoleUnlockMinutes * 60000L;
            o.WriteLine(T(ConsoleText.Unlocked, c.ConsoleUnlockMinutes.ToString()));
        }

        private bool RequireUnlocked(string what, IConsoleOutput o)
        {
            if (IsUnlocked) return true;
            o.WriteLine(T(ConsoleText.NeedsUnlock, what));
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
