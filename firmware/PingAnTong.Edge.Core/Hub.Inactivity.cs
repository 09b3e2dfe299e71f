using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Inactivity;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Core
{
    /// <summary>The hub's inactivity detection: away/home, night door, the "are you OK?" prompt, and the learned profile on storage.</summary>
    public sealed partial class Hub
    {
        private const long ProfileSaveIntervalMs = 3600000L;

        /// <summary>The quiet spell and the presence are written at most this often (and at once when the presence changes or an alarm is due).</summary>
        private const long SpellSaveIntervalMs = 600000L;

        /// <summary>An unchanged spell record is written again this often, so that its time says how long an outage was.</summary>
        private const long SpellRefreshMs = 3600000L;

        private DualSlotFile _profileFile;
        private DualSlotFile _spellFile;

        /// <summary>The spell record found at boot, until the wall clock is known to resume it (or activity makes it stale).</summary>
        private byte[] _bootSpell;
        private long _nextSpellSaveMs;
        private long _lastSpellSaveMs;
        private long _promptUntilMs = -1;
        private long _nextProfileSaveMs;

        /// <summary>Each input's number among the activity inputs (what the profile learns per sensor); set with the inputs.</summary>
        private int[] _activityOrdinals;

        public InactivityDetector Inactivity { get; private set; }

        public bool Prompting { get { return _promptUntilMs >= 0; } }

        /// <summary>Local wall time in ms (UTC plus the configured offset), or -1 while the clock is unknown.</summary>
        public long LocalMs()
        {
            long utc = _clock.UtcMs;
            return utc < 0 ? -1 : utc + Config.UtcOffsetMinutes * 60000L;
        }

        private void StartInactivity(long now)
        {
            Inactivity = new InactivityDetector();
            _profileFile = new DualSlotFile(_store, "inactivity");
            Inactivity.Profile.ReadFrom(_profileFile.Read());
            _nextProfileSaveMs = now + ProfileSaveIntervalMs;
            _spellFile = new DualSlotFile(_store, "spell");
            try
            {
                _bootSpell = _spellFile.Read();
            }
            catch (StorageException)
            {
                _bootSpell = null; // an unreadable record: the spell starts afresh, as without one
            }
            _nextSpellSaveMs = now + SpellSaveIntervalMs;
            _lastSpellSaveMs = now;
        }

        /// <summary>
        /// A reboot (watchdog, update, power blip) must not restart the clock of a quiet spell, nor bring a resident who
        /// is out back "home": the spell record written before it is taken up once the wall clock is known, unless
        /// activity came first or it is older than <see cref="InactivityDetector.SpellResumeMaxAgeMs"/>.
        /// </summary>
        private void ResumeSpellAfterBoot(long now)
        {
            if (_bootSpell == null) return;
            long utc = _clock.UtcMs;
            if (utc < 0 && !Inactivity.ActiveSinceBoot) return;
            if (Inactivity.ResumeSpell(_bootSpell, now, utc))
            {
                EventLog.Add(now, utc, "inactivity: the quiet spell from before the boot goes on (quiet for " + (Inactivity.ElapsedMs(now) / 60000L).ToString()
                    + " min, " + Presence.Name(Inactivity.Presence) + ")");
            }
            _bootSpell = null;
        }

        /// <summary>
        /// Writes the spell record: when it changed, at once for <paramref name="urgent"/> changes, else at most every 10 min;
        /// unchanged, once an hour (a quiet spell or an absence changes nothing for hours, and the record's time must
        /// still say how long an outage was).
        /// </summary>
        private void SaveSpell(long now, bool urgent)
        {
            long utc = _clock.UtcMs;
            if (_bootSpell != null || utc < 0) return;
            bool due = Inactivity.SpellChanged ? urgent || now >= _nextSpellSaveMs : now >= _lastSpellSaveMs + SpellRefreshMs;
            if (!due) return;
            _nextSpellSaveMs = now + SpellSaveIntervalMs;
            _lastSpellSaveMs = now;
            byte[] record = new byte[InactivityDetector.SpellRecordBytes];
            Inactivity.WriteSpell(record, now, utc);
            try
            {
                _spellFile.Write(record, 0, record.Length);
            }
            catch (StorageException e)
            {
                if (!StorageFault) ReportStorageFault("inactivity spell: " + e.Message);
            }
        }

        private void OnActivityForInactivity(byte kind, int input, bool active, long now)
        {
            if (_promptUntilMs >= 0)
            {
                _promptUntilMs = -1;
                Events.Emit(EventKind.Inactivity, EventClass.Info, EventState.Cancelled, Priority.Information, null, null,
                    kind == InputKind.Ok ? "OK pressed during the prompt" : "activity during the prompt");
            }
            if (InputKind.IsOccupancy(kind)) Inactivity.OnOccupancy(kind == InputKind.Bed, active, _activityOrdinals[input], now, LocalMs());
            else Inactivity.OnActivity(kind == InputKind.Door, _activityOrdinals[input], now, LocalMs());
        }

        private void TickInactivity(long now)
        {
            ResumeSpellAfterBoot(now);
            int flags = Inactivity.Tick(now, LocalMs(), AllActivitySensorsFaulty());
            SaveSpell(now, (flags & (InactivityDetector.FlagPresenceChanged | InactivityDetector.FlagAlarmDue | InactivityDetector.FlagAwayExpired)) != 0);
            if ((flags & InactivityDetector.FlagPresenceChanged) != 0)
            {
                Events.Emit(EventKind.Presence, EventClass.Info, Inactivity.ReportedAway ? EventState.Away : EventState.Home, Priority.Information, null, null, null);
            }
            if ((flags & InactivityDetector.FlagAwayExpired) != 0)
            {
                Events.Emit(EventKind.Presence, EventClass.Info, EventState.Expired, Priority.Information, null, null,
                    "away by command for " + (InactivityDetector.CommandedAwayMs / 3600000L).ToString() + " h without renewal; inactivity detection is on again");
            }
            if ((flags & InactivityDetector.FlagNightDoor) != 0)
            {
                Raise(EventKind.DoorNight, FrontDoorId(), Priority.Wellbeing, "door opened at night and no return");
            }
            if ((flags & InactivityDetector.FlagAlarmDue) != 0)
            {
                _promptUntilMs = now + Config.Inactivity.PromptMinutes * 60000L;
                if (Config.Inactivity.PromptMinutes > 0)
                    Events.Emit(EventKind.Inactivity, EventClass.Info, EventState.Prompted, Priority.Information, null, null, QuietFor(now));
            }
            if (_promptUntilMs >= 0 && now >= _promptUntilMs)
            {
                _promptUntilMs = -1;
                Raise(EventKind.Inactivity, null, Priority.Wellbeing, QuietFor(now));
            }
            if (now >= _nextProfileSaveMs)
            {
                _nextProfileSaveMs = now + ProfileSaveIntervalMs;
                SaveProfile();
            }
        }

        /// <summary>Writes the learned profile if it changed (called at most hourly, and before a reboot).</summary>
        internal void SaveProfile()
        {
            if (!Inactivity.Dirty) return;
            byte[] bytes = new byte[InactivityProfile.PersistedBytes];
            Inactivity.Profile.WriteTo(bytes);
            try
            {
                _profileFile.Write(bytes, 0, bytes.Length);
                Inactivity.MarkSaved();
            }
            catch (StorageException e)
            {
                if (!StorageFault) ReportStorageFault("inactivity profile: " + e.Message);
            }
        }

        private string QuietFor(long now)
        {
            if (Inactivity.AlarmWasAwayLimit)
                return "out since the door for " + ((now - Inactivity.AwaySinceMs) / 60000L).ToString() + " min without the away key, no return";
            return "no activity for " + (Inactivity.ElapsedMs(now) / 60000L).ToString() + " min";
        }

        private string FrontDoorId()
        {
            int i = FindInput(InputKind.Door);
            return i < 0 ? null : Inputs[i].Config.Id;
        }

        /// <summary>True when every activity sensor is faulty: silence then proves nothing (a sensor fault is reported instead).</summary>
        private bool AllActivitySensorsFaulty()
        {
            bool any = false;
            for (int i = 0; i < Inputs.Length; i++)
            {
                byte k = Inputs[i].Config.Kind;
                if (!InputKind.IsActivitySensor(k)) continue;
                any = true;
                if (Inputs[i].IsHealthy) return false;
            }
            return any;
        }
    }
}
