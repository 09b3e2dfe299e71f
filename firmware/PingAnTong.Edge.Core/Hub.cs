using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Core.Storage;
using PingAnTong.Edge.Core.Telemetry;

namespace PingAnTong.Edge.Core
{
    /// <summary>
    /// The hub: one loop that owns all state. Callbacks only post to <see cref="Queue"/>; the host's
    /// loop calls <see cref="RunOnce"/>, which drains the queue and ticks every part with the
    /// injected clock. Flow of an SOS press: GPIO edge → queue → <see cref="DigitalInput"/> debounce →
    /// alarm raised (stored in the <see cref="Outbox"/> first) → indication → <see cref="OutboxPublisher"/>
    /// → transport → broker ack → delivered → backend <c>ack</c> command → "help is coming".
    /// </summary>
    public sealed partial class Hub
    {

        private readonly IClock _clock;
        private readonly WearCountingStore _store;
        private readonly IMessageTransport _transport;
        private readonly ISensorReader _sensorReader;
        private readonly IIndicator _indicator;
        private readonly IHostServices _host;
        private readonly HubConfig _fallbackConfig;
        private readonly ConfigStore _configStore;
        private ConnectRequest _connectRequest;
        private long _nextHeartbeatMs;
        private bool _rebootPending;
        private long _rebootAtMs;

        /// <summary>A hub on the reference board (<see cref="Device.BoardProfile.Reference"/>: WROOM-32E, 4 MB flash, no PSRAM).</summary>
        public Hub(HubConfig fallbackConfig, IClock clock, IDurableStore store, IMessageTransport transport,
            ISensorReader sensorReader, IIndicator indicator, IHostServices host)
            : this(fallbackConfig, clock, store, transport, sensorReader, indicator, host, Device.BoardProfile.Reference)
        {
        }

        /// <summary>A hub on <paramref name="board"/>: the outbox's capacity and entry limit and the event log's size follow from it.</summary>
        public Hub(HubConfig fallbackConfig, IClock clock, IDurableStore store, IMessageTransport transport,
            ISensorReader sensorReader, IIndicator indicator, IHostServices host, Device.BoardProfile board)
        {
            Board = board;
            _fallbackConfig = fallbackConfig;
            _clock = clock;
            _store = new WearCountingStore(store);
            _transport = transport;
            _sensorReader = sensorReader;
            _indicator = indicator;
            _host = host;
            _configStore = new ConfigStore(_store);
            Queue = new HubQueue(64);
            LinkEvents = new LinkEvents(Queue);
            Counters = new PersistentCounters(_store);
            Outbox = new Outbox(_store, "outbox", board.OutboxCapacityBytes, board.OutboxMaxEntries);
            Events = new EventEmitter(Outbox, Counters, clock);
            Outbox.Rebuilder = Events.RebuildAlarmBody;
            EventLog = new Field.EventLog(_store, "events", board.EventLogPerFile);
            Events.Log = EventLog;
            Alarms = new AlarmLifecycle(Outbox);
            Publisher = new OutboxPublisher();
            Alive = new AlivePing();
            Commands = new CommandProcessor(this);
            Replay = new ReplayGuard(_store);
            ConsoleLockout = new Field.ConsoleLockout(_store);
            _trialMarker = new DualSlotFile(_store, "cfgtrial");
            CurrentIndication = -1;
        }

        public HubQueue Queue { get; private set; }

        /// <summary>The board the hub runs on: its flash and PSRAM set the outbox's limits.</summary>
        public Device.BoardProfile Board { get; private set; }

        /// <summary>Where the transport reports connects, losses, publish acks and messages (thread-safe).</summary>
        public LinkEvents LinkEvents { get; private set; }
        /// <summary>The technician console; lines posted as <see cref="HubInput.ConsoleLine"/> run here, on the hub loop.</summary>
        public Field.ConsoleInterpreter FieldConsole { get; set; }

        /// <summary>Thread-safe: a console line typed on the UART or a TCP client; the reply goes to <paramref name="output"/>.</summary>
        public bool PostConsoleLine(string line, Field.IConsoleOutput output)
        {
            return Queue.Post(HubInput.ConsoleLine, 0, 0, 0, line, output, false);
        }

        /// <summary>The local event log read by the console's <c>events</c>.</summary>
        public Field.EventLog EventLog { get; private set; }
        public HubConfig Config { get; private set; }
        public PersistentCounters Counters { get; private set; }
        public Outbox Outbox { get; private set; }
        public EventEmitter Events { get; private set; }
        public AlarmLifecycle Alarms { get; private set; }
        public ConnectionManager Link { get; private set; }
        public OutboxPublisher Publisher { get; private set; }
        public Topics Topics { get; private set; }
        public AlivePing Alive { get; private set; }
        public CommandProcessor Commands { get; private set; }
        public DigitalInput[] Inputs { get; private set; }
        public AnalogSensor[] Sensors { get; private set; }
        public int CurrentIndication { get; private set; }
        /// <summary>Uptime (ms) of the last loop pass (<see cref="RunOnce"/>): how far the hub's loop has caught up with the clock.</summary>
        public long LastTickMs { get; private set; }
        public int HeartbeatMinutes { get; private set; }
        public long StorageBytesWritten { get { return _store.BytesWritten; } }
        public bool StorageFault { get; private set; }
        public IClock Clock { get { return _clock; } }
        public IHostServices Host { get { return _host; } }

        /// <summary>Where the config in use came from: "stored" or "fallback" (the stored one was missing or invalid).</summary>
        public string ConfigSource { get; private set; }

        /// <summary>Why the stored config was refused at boot, or null.</summary>
        public string ConfigProblem { get; private set; }

        /// <summary>Boots the hub: counts the boot, recovers the outbox and the last good config, restores alarms.</summary>
        public void Start()
        {
            long now = _clock.UptimeMs;
            Counters.Boot();
            Outbox.Recover();
            for (int i = 0; i < Outbox.Count; i++) Counters.SkipPast(((OutboxEntry)Outbox.Entries[i]).Seq);
            EventLog.Open();
            Replay.Load();
            ConsoleLockout.Load(now);
            HubConfig config = LoadStoredConfig();
            Link = new ConnectionManager(_transport, new XorShiftRandom(XorShiftRandom.Hash(config.HubId) ^ (uint)Counters.BootCount));
            StartInactivity(now);
            Apply(config, now);
            Alarms.Restore(now);
            Events.Emit(EventKind.Boot, EventClass.Info, EventState.Started, Priority.Information, null, null, _host.ResetReason);
            if (ConfigProblem != null)
            {
                Events.Emit(EventKind.Config, EventClass.Info, EventState.Rejected, Priority.Information, null, null, ConfigProblem);
            }
            ReportInterruptedTrial();
            LogSecurityWarnings(now);
            if (Counters.BootNotStored)
            {
                ReportStorageFault("boot counter not stored; event ids use the fallback boot number " + Counters.IdBoot.ToString());
            }
            else if (Outbox.RecoveredFromDamage || Counters.FoundDamage || _configStore.FoundDamage || EventLog.FoundDamage || Replay.FoundDamage || ConsoleLockout.FoundDamage)
            {
                ReportStorageFault(Outbox.WriteFailures > 0 ? "damaged record found at boot; repair failed: " + Outbox.LastWriteError
                    : "damaged record found and repaired at boot");
            }
            _reportedWriteFailures = WriteFailureCount();
            UpdateIndication(now);
        }

        /// <summary>
        /// Before <see cref="Start"/>: offers a config file the installer deployed (nanoff file
        /// deployment). A valid file becomes the stored last-good config; an invalid one is refused
        /// whole, <see cref="ConfigProblem"/> names the file and the field, and the stored config stays.
        /// The host removes the file afterwards so a later remote change is not undone at the next boot.
        /// </summary>
        public bool ImportConfigFile(byte[] json, string fileName)
        {
            try
            {
                ConfigParser.Parse(json);
            }
            catch (ConfigException e)
            {
                ConfigProblem = fileName + ": " + e.Message;
                return false;
            }
            _configStore.Save(json, 0, json.Length);
            return true;
        }

        /// <summary>The stored last-good config document, or null when the hub runs on its fallback.</summary>
        public byte[] StoredConfigJson()
        {
            return _configStore.Load();
        }

        private int WriteFailureCount()
        {
            return Outbox.WriteFailures + Counters.WriteFailures + Replay.WriteFailures + ConsoleLockout.WriteFailures + EventLog.WriteFailures;
        }

        /// <summary>
        /// Validates and applies a whole config document from the backend or the console: it must parse,
        /// carry a version above the running one and keep the hub id. Returns null when accepted, else the
        /// reason naming the field (the running config is kept). <paramref name="rebooting"/> tells that
        /// pins changed and the hub reboots to rewire them; <paramref name="trial"/> that the config changes
        /// how the hub reaches the centre and runs as a trial (see Hub.ConfigTrial.cs) from the next loop pass.
        /// </summary>
        public string ApplyConfigDocument(Json.JsonNode body, long nowMs, out bool rebooting, out bool trial)
        {
            rebooting = false;
            trial = false;
            if (_trialState != TrialNone)
            {
                return "a config trial is under way (version " + _trialConfig.Version.ToString() + "); send again once it is confirmed or rolled back";
            }
            HubConfig next;
            try
            {
                next = ConfigParser.FromJson(body);
            }
            catch (ConfigException e)
            {
                return e.Message + " (the running config version " + Config.Version.ToString() + " is kept)";
            }
            if (next.Version <= Config.Version)
            {
                return "$.version: expected a version above " + Config.Version.ToString() + ", got " + next.Version.ToString();
            }
            if (next.HubId != Config.HubId)
            {
                return "$.hubId: a hub cannot be renamed this way (provision it again)";
            }
            Json.JsonWriter w = new Json.JsonWriter(2048);
            w.Node(body);
            // The stored config is read back at every boot under the config file limit; one that no
            // longer fits (e.g. grown by console edits) would leave the hub on its fallback config.
            if (w.Length > Json.JsonLimits.MaxConfigBytes)
            {
                return "$: the config would take " + w.Length.ToString() + " bytes, over the limit of " + Json.JsonLimits.MaxConfigBytes.ToString()
                    + " bytes (the running config version " + Config.Version.ToString() + " is kept)";
            }
            rebooting = NeedsRewiring(Config, next);
            if (NeedsTrial(Config, next))
            {
                if (next.CommandKeyFile != null && next.CommandKeyFile != Config.CommandKeyFile)
                {
                    // A key the hub cannot read would lock the centre out for the whole trial: refuse it now.
                    string keyProblem;
                    if (ReadCommandKey(next, out keyProblem) == null) return "$.security.commandKeyFile: " + keyProblem + " (the running config version " + Config.Version.ToString() + " is kept)";
                }
                trial = true;
                StartTrial(next, w.Buffer, w.Length, rebooting, nowMs);
                rebooting = false; // after the trial is confirmed
                return null;
            }
            SaveConfig(w.Buffer, w.Length);
            Apply(next, nowMs);
            Events.Emit(EventKind.Config, EventClass.Info, EventState.Applied, Priority.Information, null, null, "version " + next.Version.ToString());
            if (rebooting) ScheduleReboot(nowMs);
            return null;
        }

        private static bool NeedsRewiring(HubConfig a, HubConfig b)
        {
            if (a.LedPin != b.LedPin || a.BuzzerPin != b.BuzzerPin || a.Inputs.Length != b.Inputs.Length || a.Sensors.Length != b.Sensors.Length) return true;
            for (int i = 0; i < a.Inputs.Length; i++)
            {
                if (a.Inputs[i].Pin != b.Inputs[i].Pin || a.Inputs[i].ActiveLow != b.Inputs[i].ActiveLow || a.Inputs[i].Kind != b.Inputs[i].Kind) return true;
            }
            for (int i = 0; i < a.Sensors.Length; i++)
            {
                if (a.Sensors[i].Bus != b.Sensors[i].Bus || a.Sensors[i].Address != b.Sensors[i].Address || a.Sensors[i].Kind != b.Sensors[i].Kind) return true;
            }
            return false;
        }

        /// <summary>Raises a test alarm (class <c>test</c>) that goes through the whole alarm path; kinds sos, smoke, gas.</summary>
        public OutboxEntry RaiseTest(string kind, string reason)
        {
            OutboxEntry e = Events.Emit(kind, EventClass.Test, EventState.Raised, Priority.Test, null, null, reason);
            Alarms.Track(e, _clock.UptimeMs);
            return e;
        }

        private HubConfig LoadStoredConfig()
        {
            byte[] stored = _configStore.Load();
            if (stored != null)
            {
                try
                {
                    ConfigSource = "stored";
                    return ConfigParser.Parse(stored);
                }
                catch (ConfigException e)
                {
                    ConfigProblem = e.Message;
                }
            }
            ConfigSource = "fallback";
            return _fallbackConfig;
        }

        /// <summary>Makes <paramref name="config"/> the running config (already validated).</summary>
        internal void Apply(HubConfig config, long now)
        {
            // A change of broker is applied only through a trial (Hub.ConfigTrial.cs), which restarts the link itself.
            Config = config;
            LoadCommandKey(config);
            Events.Configure(config.HubId, config.Location);
            Topics = new Topics(config.TopicPrefix, config.HubId);
            SetHeartbeat(config.HeartbeatMinutes, now);
            BuildInputs(config, now);
            Alive.Configure(config, now);
            Inactivity.Configure(config.Inactivity, now);
            _connectRequest = BuildConnectRequest(config);
        }

        private static bool SameBroker(HubConfig a, HubConfig b)
        {
            return a.HubId == b.HubId && a.TopicPrefix == b.TopicPrefix && a.Broker.Host == b.Broker.Host && a.Broker.Port == b.Broker.Port
                && a.Broker.Tls == b.Broker.Tls && a.Broker.Username == b.Broker.Username && a.Broker.CaFile == b.Broker.CaFile
                && a.Broker.PasswordFile == b.Broker.PasswordFile && a.Broker.KeepAliveSeconds == b.Broker.KeepAliveSeconds;
        }

        private ConnectRequest BuildConnectRequest(HubConfig c)
        {
            ConnectRequest r = new ConnectRequest();
            r.ClientId = "pat-" + c.HubId;
            r.Host = c.Broker.Host;
            r.Port = c.Broker.Port;
            r.Tls = c.Broker.Tls;
            r.CaFile = c.Broker.CaFile;
            r.Username = c.Broker.Username;
            r.PasswordFile = c.Broker.PasswordFile;
            r.KeepAliveSeconds = c.Broker.KeepAliveSeconds;
            r.CleanSession = false;
            r.WillTopic = Topics.For(Channel.Status);
            r.WillPayload = StatusPayload.Lost(this);
            r.CommandTopic = Topics.For(Channel.Command);
            return r;
        }

        /// <summary>Thread-safe: a GPIO callback reports a raw level change of input <paramref name="inputIndex"/>.</summary>
        public bool PostPinEdge(int inputIndex, bool level, long uptimeMs)
        {
            byte kind = Inputs != null && inputIndex < Inputs.Length ? Inputs[inputIndex].Config.Kind : InputKind.Unknown;
            bool urgent = InputKind.IsUrgent(kind);
            return Queue.Post(HubInput.PinEdge, inputIndex, level ? 1 : 0, uptimeMs, null, null, urgent);
        }

        /// <summary>Drains the queue and ticks everything once. Call from the one loop thread.</summary>
        public void RunOnce()
        {
            int type, a, b;
            long time;
            object obj, obj2;
            while (Queue.TryTake(out type, out a, out b, out time, out obj, out obj2))
            {
                Handle(type, a, b, time, obj, obj2);
            }
            Tick();
        }

        private void Handle(int type, int a, int b, long time, object obj, object obj2)
        {
            long now = _clock.UptimeMs;
            switch (type)
            {
                case HubInput.PinEdge:
                    if (a >= 0 && a < Inputs.Length) Inputs[a].OnRawLevel(b != 0, time);
                    break;
                case HubInput.Connected:
                    // A = generation: a connect that completes after the hub gave up on it is stale.
                    if (!Link.IsCurrent(a) || Link.State != ConnectionManager.Connecting) break;
                    Link.OnConnected(now);
                    Counters.NewSession();
                    PublishBirth();
                    break;
                case HubInput.ConnectFailed:
                case HubInput.Disconnected:
                    if (!Link.IsCurrent(a) || Link.State == ConnectionManager.Disconnected) break;
                    Link.OnFailed(now, (string)obj);
                    Publisher.OnLinkLost();
                    break;
                case HubInput.PublishAcked:
                    OnPublishAcked(b, now);
                    break;
                case HubInput.Message:
                    if ((string)obj == Topics.For(Channel.Command)) Commands.Handle((byte[])obj2, now, a != 0);
                    break;
                case HubInput.ConsoleLine:
                    if (FieldConsole != null) FieldConsole.Execute((string)obj, (Field.IConsoleOutput)obj2);
                    break;
            }
        }

        private void OnPublishAcked(int token, long now)
        {
            OutboxEntry e = Publisher.OnAcked(token);
            if (e == null) return;
            Link.OnProvenWorking();
            if (e.IsTrackedAlarm)
            {
                Alarm alarm = Alarms.Find(e.Id);
                if (alarm != null && alarm.Closed) Outbox.SetState(e, OutboxState.Removed);
                else if (alarm != null) Alarms.OnDelivered(e, now);
                else Outbox.SetState(e, OutboxState.Removed);
            }
            else
            {
                Outbox.SetState(e, OutboxState.Removed);
            }
        }

        /// <summary>Publishes the retained birth/status message (not stored: it is rebuilt on every connect).</summary>
        internal void PublishBirth()
        {
            byte[] birth = StatusPayload.Online(this);
            _transport.Publish(Topics.For(Channel.Status), birth, birth.Length, true, 0);
        }

        private int _reportedWriteFailures;
        /// <summary>How often the hub tries again to write messages a failed write left in RAM.</summary>
        public const long PersistRetryMs = 60000;
        private long _nextPersistRetryMs;

        private void Tick()
        {
            long now = _clock.UptimeMs;
            LastTickMs = now;
            int failures = WriteFailureCount();
            if (failures != _reportedWriteFailures)
            {
                _reportedWriteFailures = failures;
                if (!StorageFault) ReportStorageFault("write failed: " + (Outbox.LastWriteError ?? "counters"));
            }
            if (Outbox.UnsavedCount > 0 && now >= _nextPersistRetryMs)
            {
                // Messages held in RAM after a failed write (a full drive): onto flash as soon as it takes them again.
                _nextPersistRetryMs = now + PersistRetryMs;
                Outbox.PersistUnsaved();
            }
            TickInputs(now);
            TickSensors(now);
            TickInactivity(now);
            TickTrial(now);
            Alarms.Tick(now);
            if (Alive.IsDue(now, _clock.UtcMs)) Alive.Send(this, now);
            if (now >= _nextHeartbeatMs)
            {
                _nextHeartbeatMs = now + HeartbeatMinutes * 60000L;
                HealthReport.Send(this);
            }
            if (Link.State == ConnectionManager.Disconnected && now >= Link.NextAttemptMs) _connectRequest.WillPayload = StatusPayload.Lost(this);
            Link.Tick(now, _connectRequest);
            if (Link.State == ConnectionManager.Connected)
            {
                string stalled = Publisher.Stalled(now);
                if (stalled != null) DeclareLinkDead(now, stalled);
            }
            Publisher.Pump(Outbox, _transport, Topics, Link, now);
            ReportQueueAndStorageDamage();
            UpdateIndication(now);
            if (_rebootPending && (now >= _rebootAtMs || Outbox.CountPending() == 0))
            {
                _rebootPending = false;
                SaveProfile();
                SaveSpell(now, true);
                _host.Reboot();
            }
        }

        /// <summary>
        /// The transport still calls the link up, but nothing gets through: close it, report it in the local
        /// log and the heartbeat (<c>deadLinks</c>), and reconnect after the connection manager's backoff.
        /// </summary>
        private void DeclareLinkDead(long now, string reason)
        {
            Link.DeclareDead(now, "link dead: " + reason);
            Publisher.OnLinkLost();
            EventLog.Add(now, _clock.UtcMs, "link declared dead (" + reason + "); reconnecting");
        }

        private int _answeredDrops;
        private int _reportedDamage;

        /// <summary>Commands the queue had to refuse get one counted reply; damaged records are reported by id.</summary>
        private void ReportQueueAndStorageDamage()
        {
            int dropped = Queue.DroppedCommands;
            if (dropped != _answeredDrops)
            {
                Commands.ReplyDropped(dropped - _answeredDrops);
                _answeredDrops = dropped;
            }
            ReportOutboxPressure();
            if (Outbox.DamagedRecords != _reportedDamage)
            {
                _reportedDamage = Outbox.DamagedRecords;
                ReportStorageFault("damaged record of " + Outbox.LastDamaged + (Outbox.LastDamagedRebuilt ? " (alarm rebuilt from memory and sent)" : " (dropped)"));
            }
        }

        /// <summary>Sets the heartbeat interval (downlink command); the next heartbeat follows the new interval.</summary>
        internal void SetHeartbeat(int minutes, long now)
        {
            HeartbeatMinutes = minutes;
            _nextHeartbeatMs = now + minutes * 60000L;
        }

        internal void SaveConfig(byte[] json, int length)
        {
            _configStore.Save(json, 0, length);
            ConfigSource = "stored";
        }

        /// <summary>
        /// Milliseconds until the loop has timed work (a debounce settling), capped at <paramref name="maxMs"/>,
        /// so a host loop can sleep exactly that long instead of polling.
        /// </summary>
        public int MillisUntilNextWork(int maxMs)
        {
            long now = _clock.UptimeMs;
            long wait = maxMs;
            for (int i = 0; i < Inputs.Length; i++)
            {
                long settles = Inputs[i].SettlesAtMs;
                if (settles >= 0 && settles - now < wait) wait = settles - now;
            }
            return wait < 0 ? 0 : (int)wait;
        }

        internal void ScheduleReboot(long now)
        {
            _rebootPending = true;
            _rebootAtMs = now + 5000;
        }

        internal bool RebootPending { get { return _rebootPending; } }

        private int _reportedEvictions;
        private bool _outboxFullReported;
        private bool _overCapacityReported;

        /// <summary>
        /// Says so when the outbox reaches its limits (bytes on I:\ or entries on the heap, both from the
        /// board profile): one storage fault event per episode when it starts evicting telemetry (and test
        /// alarms), one when an alarm had to be stored beyond capacity. The episode ends when the outbox is
        /// back under half its limits. Alarms are never evicted (Outbox.MakeRoomFor).
        /// </summary>
        private void ReportOutboxPressure()
        {
            if (Outbox.EvictedCount != _reportedEvictions)
            {
                int evicted = Outbox.EvictedCount - _reportedEvictions;
                _reportedEvictions = Outbox.EvictedCount;
                if (!_outboxFullReported)
                {
                    _outboxFullReported = true;
                    Events.Emit(EventKind.Storage, EventClass.Fault, EventState.Raised, Priority.Fault, null, null,
                        "outbox full (" + Outbox.Count.ToString() + " of " + Outbox.MaxEntries.ToString() + " entries, "
                        + (Outbox.LiveBytes / 1024).ToString() + " of " + (Outbox.CapacityBytes / 1024).ToString()
                        + " KB): " + evicted.ToString() + " telemetry or test messages evicted, alarms kept");
                }
            }
            if (Outbox.OverCapacity && !_overCapacityReported)
            {
                _overCapacityReported = true;
                Events.Emit(EventKind.Storage, EventClass.Fault, EventState.Raised, Priority.Fault, null, null,
                    "outbox holds only alarms and is over its capacity; alarms still stored");
            }
            if (_outboxFullReported && Outbox.Count < Outbox.MaxEntries / 2 && Outbox.LiveBytes < Outbox.CapacityBytes / 2)
            {
                _outboxFullReported = false;
                _overCapacityReported = false;
            }
        }

        internal void ReportStorageFault(string reason)
        {
            StorageFault = true;
            Events.Emit(EventKind.Storage, EventClass.Fault, EventState.Raised, Priority.Fault, null, null, reason);
        }

        private void UpdateIndication(long now)
        {
            int ind = Alarms.CurrentIndication(now);
            if (ind < Indication.Prompt && Prompting) ind = Indication.Prompt;
            if (ind < Indication.Notice && PendingNoticeId != null) ind = Indication.Notice;
            if (ind < Indication.Fault && HasFault()) ind = Indication.Fault;
            if (ind == CurrentIndication) return;
            CurrentIndication = ind;
            _indicator.Show(ind);
        }
    }
}
