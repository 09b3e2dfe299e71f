using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Json;
using PingAnTong.Edge.Core.Security;
using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Core.Net
{
    /// <summary>
    /// Downlink commands on <c>{prefix}/{hubId}/cmd</c>: <c>ack</c>, <c>close</c>, <c>config</c>,
    /// <c>notice</c>, <c>heartbeat</c>, <c>test</c>, <c>reboot</c>, <c>rebirth</c>, <c>presence</c>. Only the
    /// call centre can command a hub: every command must be signed with the hub's command key
    /// (<see cref="CommandSignature"/>) and fresh (<see cref="ReplayGuard"/>); no command may be unsigned.
    /// Every command gets one reply on <c>reply</c> echoing its id, with a numeric status and a reason; a bad
    /// command changes nothing. A command re-sent with the same id gets the same reply again without
    /// being carried out twice (the last <see cref="RememberedCommands"/> ids are kept). Commands over
    /// <see cref="MaxCommandBytes"/> are refused before parsing, and no reply quotes more than 40
    /// characters of what it was sent. Refusals of commands that are not the centre's (statuses 9-12)
    /// are answered at most <see cref="MaxRefusalsPerMinute"/> a minute: a flood must not wear the flash.
    /// </summary>
    public sealed class CommandProcessor
    {
        private static readonly string[] Known = { "ack", "close", "config", "notice", "heartbeat", "test", "reboot", "rebirth", "presence" };

        /// <summary>The largest command accepted (a <c>config</c> command carries a whole config).</summary>
        public const int MaxCommandBytes = JsonLimits.MaxCommandBytes;

        /// <summary>Command ids remembered with their replies, to answer re-sent commands idempotently.</summary>
        public const int RememberedCommands = 32;

        /// <summary>Test alarms that may be open at once; a real alarm never waits for them.</summary>
        public const int MaxOpenTestAlarms = 3;

        /// <summary>Replies to unsigned, wrongly signed, stale or replayed commands per minute; the rest are only counted.</summary>
        public const int MaxRefusalsPerMinute = 10;

        /// <summary>
        /// Commands carried out before the hub's clock is synchronised: their signature is checked but not their
        /// age, so they must be harmless when late or repeated. An <c>ack</c> acknowledges only the alarm it names
        /// (alarm ids never repeat) and is idempotent; <c>rebirth</c> publishes the birth again.
        /// </summary>
        private static readonly string[] WithoutClock = { "ack", "rebirth" };

        private readonly Hub _hub;
        private readonly string[] _recentIds = new string[RememberedCommands];
        private readonly string[] _recentCmds = new string[RememberedCommands];
        private readonly int[] _recentStatus = new int[RememberedCommands];
        private readonly string[] _recentReasons = new string[RememberedCommands];
        private readonly long[] _recentIssuedAt = new long[RememberedCommands];
        private int _recentNext;
        private string _currentId;
        private long _currentIssuedAt;
        private long _refusalWindowMs = long.MinValue;
        private int _refusalsInWindow;

        public CommandProcessor(Hub hub)
        {
            _hub = hub;
        }

        public int Handled { get; private set; }

        /// <summary>Retained commands received and ignored, since start.</summary>
        public int RetainedIgnored { get; private set; }

        /// <summary>Commands refused as not the centre's (unsigned, wrongly signed, stale, replayed), since start; in the heartbeat.</summary>
        public int Unauthenticated { get; private set; }

        public void Handle(byte[] payload, long nowMs)
        {
            Handle(payload, nowMs, false);
        }

        /// <summary>Handles one downlink message; <paramref name="retained"/> is the MQTT retain flag as delivered.</summary>
        public void Handle(byte[] payload, long nowMs, bool retained)
        {
            Handled++;
            _currentId = null;
            if (payload.Length > MaxCommandBytes)
            {
                Reply(null, null, CommandStatus.Malformed, "$: command of " + payload.Length.ToString() + " bytes is over the limit of " + MaxCommandBytes.ToString() + " bytes");
                return;
            }
            JsonNode root;
            try
            {
                root = JsonReader.Parse(payload);
            }
            catch (JsonException e)
            {
                Reply(null, null, CommandStatus.Malformed, "not valid JSON: " + e.Message);
                return;
            }
            if (root.Kind != JsonKind.Object)
            {
                Reply(null, null, CommandStatus.Malformed, "$: expected an object with \"id\" and \"cmd\"");
                return;
            }
            JsonNode idNode = root.Get("id");
            string id = idNode != null && idNode.Kind == JsonKind.String ? idNode.StringValue : null;
            if (id == null || id.Length == 0 || id.Length > 64)
            {
                Reply(null, null, CommandStatus.Malformed, "$.id: expected text of 1 to 64 characters");
                return;
            }
            JsonNode cmdNode = root.Get("cmd");
            if (cmdNode == null || cmdNode.Kind != JsonKind.String)
            {
                Reply(id, null, CommandStatus.Malformed, "$.cmd: expected the command name as text");
                return;
            }
            string cmd = cmdNode.StringValue;
            long issuedAt;
            string refusal;
            int auth = Authenticate(root, payload, out issuedAt, out refusal);
            if (auth != CommandStatus.Ok)
            {
                Refuse(id, JsonText.Clip(cmd), auth, refusal, nowMs);
                return;
            }
            if (!IsKnown(cmd))
            {
                Reply(id, JsonText.Clip(cmd), CommandStatus.UnknownCommand, "$.cmd: unknown command (expected one of ack, close, config, notice, heartbeat, test, reboot, rebirth, presence)");
                return;
            }
            long utc = _hub.Clock.UtcMs;
            string stale = ReplayGuard.CheckFresh(issuedAt, utc);
            if (stale != null && (utc >= 0 || !IsWithoutClock(cmd)))
            {
                Refuse(id, cmd, CommandStatus.Stale, "$.issuedAt: " + stale + (utc < 0 ? "; only ack and rebirth are taken before it is (send again after the birth shows ts)" : ""), nowMs);
                return;
            }
            long checkedIssuedAt = utc >= 0 ? issuedAt : ReplayGuard.Unchecked;
            int seen = FindRecent(id);
            if (seen >= 0)
            {
                // A re-sent command (the reply was lost, or the backend retries): the same answer, not a second run.
                _hub.OnAuthenticatedCommand(nowMs);
                Reply(id, _recentCmds[seen], _recentStatus[seen], _recentReasons[seen]);
                return;
            }
            if (_hub.Replay.IsReplay(issuedAt))
            {
                Refuse(id, cmd, CommandStatus.Replayed, "$.issuedAt: not after " + _hub.Replay.FloorMs.ToString()
                    + ", a command this hub has already taken or one older than it: a copy, or sent too late; sign it again with the current time", nowMs);
                return;
            }
            _hub.Replay.OnAccepted(checkedIssuedAt);
            _hub.OnAuthenticatedCommand(nowMs);
            _currentId = id;
            _currentIssuedAt = checkedIssuedAt;
            if (retained)
            {
                // A retained command is delivered again at every connect: a retained reboot was a reboot loop.
                RetainedIgnored++;
                Reply(id, cmd, CommandStatus.Refused, "retained commands are ignored: publish commands with retain false");
                return;
            }
            if (_hub.RebootPending)
            {
                Reply(id, cmd, CommandStatus.Busy, "a reboot is pending; send again after the new birth message");
                return;
            }
            try
            {
                Execute(id, cmd, root, nowMs);
            }
            catch (StorageException e)
            {
                Reply(id, cmd, CommandStatus.Failed, "storage error: " + e.Message);
            }
        }

        /// <summary>
        /// Checks the signature (<see cref="CommandSignature"/>) with the hub's command key. Returns
        /// <see cref="CommandStatus.Ok"/> with the command's issue time, or the status and reason of the refusal.
        /// </summary>
        private int Authenticate(JsonNode root, byte[] payload, out long issuedAt, out string reason)
        {
            issuedAt = 0;
            reason = null;
            JsonNode sig = root.Get("sig");
            JsonNode issued = root.Get("issuedAt");
            if (sig == null || issued == null)
            {
                reason = (sig == null ? "$.sig" : "$.issuedAt") + ": missing: every command must carry issuedAt (Unix ms) and sig, signed with this hub's command key (see the MQTT contract, Signed commands)";
                return CommandStatus.Unsigned;
            }
            if (issued.Kind != JsonKind.Number || !issued.IsInteger || issued.IntegerValue < 0)
            {
                reason = "$.issuedAt: expected the time of issue as an integer of Unix milliseconds, got " + ConfigFields.Describe(issued);
                return CommandStatus.Unsigned;
            }
            issuedAt = issued.IntegerValue;
            HmacSha256 key = _hub.CommandKey;
            if (key == null)
            {
                reason = "this hub cannot check signatures: " + _hub.CommandKeyProblem;
                return CommandStatus.BadSignature;
            }
            int at = CommandSignature.FindSignature(payload, payload.Length);
            JsonNode last = root[root.Count - 1];
            if (at < 0 || last != sig || sig.Kind != JsonKind.String)
            {
                reason = "$.sig: expected the last member, written exactly ,\"sig\":\" + 64 hex digits + \"} at the end of the payload";
                return CommandStatus.BadSignature;
            }
            if (!CommandSignature.Verify(key, _hub.Config.HubId, payload, at))
            {
                reason = "$.sig: does not match this hub's command key (HMAC-SHA256 over \"" + CommandSignature.Scheme + "\\n" + JsonText.Clip(_hub.Config.HubId) + "\\n\" + the command without sig)";
                return CommandStatus.BadSignature;
            }
            return CommandStatus.Ok;
        }

        /// <summary>
        /// Answers a command that is not the centre's: never remembered (the real command with that id may
        /// still come), and at most <see cref="MaxRefusalsPerMinute"/> replies a minute; the rest are counted only.
        /// </summary>
        private void Refuse(string id, string cmd, int status, string reason, long nowMs)
        {
            Unauthenticated++;
            if (nowMs - _refusalWindowMs >= 60000)
            {
                _refusalWindowMs = nowMs;
                _refusalsInWindow = 0;
            }
            if (_refusalsInWindow >= MaxRefusalsPerMinute) return;
            _refusalsInWindow++;
            Reply(id, cmd, status, reason);
        }

        private static bool IsWithoutClock(string cmd)
        {
            for (int i = 0; i < WithoutClock.Length; i++) if (WithoutClock[i] == cmd) return true;
            return false;
        }

        private void Execute(string id, string cmd, JsonNode root, long nowMs)
        {
            switch (cmd)
            {
                case "ack": Ack(id, root, nowMs); break;
                case "close": Close(id, root); break;
                case "config": ApplyConfig(id, root, nowMs); break;
                case "notice": Notice(id, root); break;
                case "heartbeat": Heartbeat(id, root, nowMs); break;
                case "test": Test(id, root); break;
                case "presence": SetPresence(id, root, nowMs); break;
                case "reboot":
                    _hub.ScheduleReboot(nowMs);
                    Reply(id, cmd, CommandStatus.Ok, "rebooting once this reply is delivered");
                    break;
                default:
                    if (_hub.Link.State == ConnectionManager.Connected) _hub.PublishBirth();
                    Reply(id, cmd, CommandStatus.Ok, "birth published");
                    break;
            }
        }

        private void Ack(string id, JsonNode root, long nowMs)
        {
            string alarmId = RequiredText(id, "ack", root, "alarmId");
            if (alarmId == null) return;
            Alarm a = _hub.Alarms.Find(alarmId);
            if (a == null || a.Closed)
            {
                if (_hub.Alarms.WasClosed(alarmId)) Reply(id, "ack", CommandStatus.AlreadyDone, "alarm already closed");
                else Reply(id, "ack", CommandStatus.NotFound, "$.alarmId: no open alarm \"" + JsonText.Clip(alarmId) + "\"");
                return;
            }
            if (a.IsAcknowledged)
            {
                _hub.Alarms.Acknowledge(alarmId, nowMs);
                Reply(id, "ack", CommandStatus.AlreadyDone, "already acknowledged; help-is-coming shown");
                return;
            }
            _hub.Alarms.Acknowledge(alarmId, nowMs);
            // Smoke or gas that cleared before anyone answered: the ack ends the episode, and the backend hears so.
            if (a.ConditionCleared) _hub.CloseAlarm(a, "condition had cleared; closed on acknowledgement");
            Reply(id, "ack", CommandStatus.Ok, "acknowledged; help-is-coming shown");
        }

        private void Close(string id, JsonNode root)
        {
            string alarmId = RequiredText(id, "close", root, "alarmId");
            if (alarmId == null) return;
            Alarm a = _hub.Alarms.Find(alarmId);
            if (a == null || a.Closed)
            {
                if (_hub.Alarms.WasClosed(alarmId)) Reply(id, "close", CommandStatus.AlreadyDone, "alarm already closed");
                else Reply(id, "close", CommandStatus.NotFound, "$.alarmId: no open alarm \"" + JsonText.Clip(alarmId) + "\"");
                return;
            }
            if (!a.IsAcknowledged)
            {
                // Nothing from the network ends an alarm nobody has answered: the centre acknowledges first.
                Reply(id, "close", CommandStatus.NotAcknowledged, "alarm \"" + JsonText.Clip(alarmId) + "\" was never acknowledged: send ack first, then close");
                return;
            }
            _hub.CloseAlarm(a, "closed by backend");
            Reply(id, "close", CommandStatus.Ok, "closed");
        }

        private void ApplyConfig(string id, JsonNode root, long nowMs)
        {
            JsonNode body = root.Get("config");
            if (body == null || body.Kind != JsonKind.Object)
            {
                Reply(id, "config", CommandStatus.Malformed, "$.config: expected the whole config as an object");
                return;
            }
            string secret = ConfigSecrets.Find(body);
            if (secret != null)
            {
                Reply(id, "config", CommandStatus.Refused, secret + ": secrets are never taken in a command: the installer PIN is set on site "
                    + "(pat provision, the console) and kept across remote changes; keys, passwords and certificates stay in files on the hub: name the file");
                return;
            }
            if (_hub.ConfigTrialActive)
            {
                Reply(id, "config", CommandStatus.Busy, "a config trial is under way; send again once it is confirmed or rolled back");
                return;
            }
            byte[] stored = _hub.StoredConfigJson();
            ConfigSecrets.CarryPin(body, stored != null ? JsonReader.Parse(stored, 0, stored.Length) : null);
            int running = _hub.Config.Version;
            bool rewire, trial;
            string problem = _hub.ApplyConfigDocument(body, nowMs, out rewire, out trial);
            if (problem != null)
            {
                Reply(id, "config", CommandStatus.InvalidValue, InCommand(problem));
                return;
            }
            if (trial)
            {
                HubConfig next = _hub.TrialConfig;
                Reply(id, "config", CommandStatus.Ok, "version " + next.Version.ToString() + " on trial: the hub moves to " + Hub.BrokerName(next)
                    + " after this reply; send it any signed command there within " + (Hub.TrialMs / 60000).ToString() + " min to keep it, or it returns to version " + running.ToString());
                return;
            }
            Reply(id, "config", CommandStatus.Ok, rewire ? "applied; rebooting to rewire pins" : "applied");
        }

        /// <summary>Paths of the config document become paths inside the command: $.version → $.config.version.</summary>
        private static string InCommand(string problem)
        {
            bool path = problem.Length > 2 && problem.Substring(0, 2) == "$.";
            return path ? "$.config." + problem.Substring(2) : problem;
        }

        private void Notice(string id, JsonNode root)
        {
            string noticeId = RequiredText(id, "notice", root, "noticeId");
            if (noticeId == null) return;
            _hub.PendingNoticeId = noticeId;
            Reply(id, "notice", CommandStatus.Ok, "shown until the OK button is pressed");
        }

        private void Heartbeat(string id, JsonNode root, long nowMs)
        {
            JsonNode n = root.Get("minutes");
            if (n == null || n.Kind != JsonKind.Number || !n.IsInteger || n.IntegerValue < 1 || n.IntegerValue > 60)
            {
                Reply(id, "heartbeat", CommandStatus.InvalidValue, "$.minutes: expected an integer from 1 to 60, got " + ConfigFields.Describe(n));
                return;
            }
            _hub.SetHeartbeat((int)n.IntegerValue, nowMs);
            Reply(id, "heartbeat", CommandStatus.Ok, "heartbeat every " + n.IntegerValue.ToString() + " min until reboot");
        }

        private void Test(string id, JsonNode root)
        {
            string kind = RequiredText(id, "test", root, "kind");
            if (kind == null) return;
            if (kind != EventKind.Sos && kind != EventKind.Smoke && kind != EventKind.Gas)
            {
                Reply(id, "test", CommandStatus.InvalidValue, "$.kind: expected \"sos\", \"smoke\" or \"gas\", got \"" + JsonText.Clip(kind) + "\"");
                return;
            }
            if (_hub.Alarms.OpenTestCount >= MaxOpenTestAlarms)
            {
                Reply(id, "test", CommandStatus.Refused, MaxOpenTestAlarms.ToString() + " test alarms are open; close one first");
                return;
            }
            OutboxEntry e = _hub.RaiseTest(kind, "self-test requested by backend");
            Reply(id, "test", CommandStatus.Ok, "test alarm " + e.Id + " raised");
        }

        private void SetPresence(string id, JsonNode root, long nowMs)
        {
            string state = RequiredText(id, "presence", root, "state");
            if (state == null) return;
            if (state != "away" && state != "home")
            {
                Reply(id, "presence", CommandStatus.InvalidValue, "$.state: expected \"away\" or \"home\", got \"" + JsonText.Clip(state) + "\"");
                return;
            }
            if (state == "away")
            {
                _hub.Inactivity.SetAwayByCommand(nowMs);
                Reply(id, "presence", CommandStatus.Ok, "away: inactivity alarms paused until the resident is back, for "
                    + (Inactivity.InactivityDetector.CommandedAwayMs / 3600000L).ToString() + " h at most unless sent again");
                return;
            }
            _hub.Inactivity.SetAway(false, nowMs);
            Reply(id, "presence", CommandStatus.Ok, "home");
        }

        private string RequiredText(string id, string cmd, JsonNode root, string name)
        {
            JsonNode n = root.Get(name);
            if (n == null || n.Kind != JsonKind.String || n.StringValue.Length == 0)
            {
                Reply(id, cmd, CommandStatus.Malformed, "$." + name + ": expected text, got " + ConfigFields.Describe(n));
                return null;
            }
            return n.StringValue;
        }

        /// <summary>Commands the queue refused (the command share was full) get one counted reply: send them again.</summary>
        public void ReplyDropped(int count)
        {
            Reply(null, null, CommandStatus.Busy, count.ToString() + " command(s) dropped: too many at once; send them again");
        }

        private int FindRecent(string id)
        {
            for (int i = 0; i < RememberedCommands; i++) if (_recentIds[i] != null && _recentIds[i] == id) return i;
            return -1;
        }

        private static bool IsKnown(string cmd)
        {
            for (int i = 0; i < Known.Length; i++) if (Known[i] == cmd) return true;
            return false;
        }

        private void Reply(string commandId, string cmd, int status, string reason)
        {
            // Remember the answer to a command carried out (or refused for its content), so a re-send gets the same;
            // replies to unreadable commands and re-sent answers are not remembered.
            if (commandId != null && commandId == _currentId && status != CommandStatus.Busy && status != CommandStatus.Failed && status != CommandStatus.NotAcknowledged)
            {
                // The command forgotten now can no longer be answered from memory: the replay guard refuses its copies.
                if (_recentIds[_recentNext] != null) _hub.Replay.OnForgotten(_recentIssuedAt[_recentNext]);
                _recentIssuedAt[_recentNext] = _currentIssuedAt;
                _recentIds[_recentNext] = commandId;
                _recentCmds[_recentNext] = cmd;
                _recentStatus[_recentNext] = status;
                _recentReasons[_recentNext] = reason;
                _recentNext = (_recentNext + 1) % RememberedCommands;
                _currentId = null;
            }
            long seq;
            JsonWriter w = _hub.Events.BeginTelemetry(out seq);
            w.Property("commandId", commandId);
            w.Property("cmd", cmd);
            w.Property("status", status);
            w.Property("reason", reason);
            _hub.Events.CommitTelemetry(Channel.Reply, Priority.Reply, seq);
        }
    }
}
