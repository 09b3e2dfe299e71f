using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Json;
using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Core.Net
{
    /// <summary>
    /// Downlink commands on <c>{prefix}/{hubId}/cmd</c>: <c>ack</c>, <c>close</c>, <c>config</c>,
    /// <c>notice</c>, <c>heartbeat</c>, <c>test</c>, <c>reboot</c>, <c>rebirth</c>. Every command gets
    /// exactly one reply on <c>reply</c> echoing its id, with a numeric status and a reason; a bad
    /// command changes nothing. A command re-sent with the same id gets the same reply again without
    /// being carried out twice (the last <see cref="RememberedCommands"/> ids are kept). Commands over
    /// <see cref="MaxCommandBytes"/> are refused before parsing, and no reply quotes more than 40
    /// characters of what it was sent.
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

        private readonly Hub _hub;
        private readonly string[] _recentIds = new string[RememberedCommands];
        private readonly string[] _recentCmds = new string[RememberedCommands];
        private readonly int[] _recentStatus = new int[RememberedCommands];
        private readonly string[] _recentReasons = new string[RememberedCommands];
        private int _recentNext;
        private string _currentId;

        public CommandProcessor(Hub hub)
        {
            _hub = hub;
        }

        public int Handled { get; private set; }

        /// <summary>Retained commands received and ignored, since start.</summary>
        public int RetainedIgnored { get; private set; }

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
            if (!IsKnown(cmd))
            {
                Reply(id, Clip(cmd), CommandStatus.UnknownCommand, "$.cmd: unknown command (expected one of ack, close, config, notice, heartbeat, test, reboot, rebirth, presence)");
                return;
            }
            int seen = FindRecent(id);
            if (seen >= 0)
            {
                // A re-sent command (the reply was lost, or the backend retries): the same answer, not a second run.
                Reply(id, _recentCmds[seen], _recentStatus[seen], _recentReasons[seen]);
                return;
            }
            _currentId = id;
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
                else Reply(id, "ack", CommandStatus.NotFound, "$.alarmId: no open alarm \"" + Clip(alarmId) + "\"");
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
                else Reply(id, "close", CommandStatus.NotFound, "$.alarmId: no open alarm \"" + Clip(alarmId) + "\"");
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
            bool rewire;
            string problem = _hub.ApplyConfigDocument(body, nowMs, out rewire);
            if (problem != null)
            {
                // Paths of the document become paths inside the command: $.version → $.config.version.
                bool path = problem.Length > 2 && problem[0] == '$' && problem[1] == '.';
                Reply(id, "config", CommandStatus.InvalidValue, path ? "$.config." + problem.Substring(2) : problem);
                return;
            }
            Reply(id, "config", CommandStatus.Ok, rewire ? "applied; rebooting to rewire pins" : "applied");
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
                Reply(id, "test", CommandStatus.InvalidValue, "$.kind: expected \"sos\", \"smoke\" or \"gas\", got \"" + Clip(kind) + "\"");
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
                Reply(id, "presence", CommandStatus.InvalidValue, "$.state: expected \"away\" or \"home\", got \"" + Clip(state) + "\"");
                return;
            }
            _hub.Inactivity.SetAway(state == "away", nowMs);
            Reply(id, "presence", CommandStatus.Ok, state == "away" ? "away: inactivity alarms paused until the resident is back" : "home");
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

        /// <summary>Received text quoted in a reply, cut short (<see cref="JsonText.Clip"/>).</summary>
        private static string Clip(string s)
        {
            return JsonText.Clip(s);
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
            if (commandId != null && commandId == _currentId && status != CommandStatus.Busy && status != CommandStatus.Failed)
            {
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
