using PingAnTong.Edge.Core.Config;

namespace PingAnTong.Edge.Core.Inactivity
{
    /// <summary>
    /// Decides when a home has been quiet for abnormally long. The inactivity clock runs from the last
    /// indoor activity; the alarm line depends on the time of day, learned online from the home itself
    /// (<see cref="InactivityProfile"/>): fast by day, quiet by night. Until about a week is learned the
    /// line is the ceiling (conservative, like a telecare timer). Away detection pauses the clock: a door
    /// event not followed by indoor activity means the resident went out; coming home is a door event
    /// followed by activity, or two indoor firings close together. A single stray firing during an
    /// absence only partly resets the clock (after Wilhelm and Wahl 2024: uncertain events have partial
    /// impact) and the line is then the ceiling. Bounded state, O(1) per event, no allocation.
    /// </summary>
    public sealed class InactivityDetector
    {
        public const int FlagPresenceChanged = 1;
        public const int FlagAlarmDue = 2;
        public const int FlagNightDoor = 4;

        public const int LearnedAfterDays = 7;
        public const long DayMs = 86400000L;
        public const long StrayPairMs = 1800000L;
        public const long StrayTimeoutMs = 7200000L;
        public const long SleepMinMs = 5 * 3600000L;
        private long _lastLocalMs = -1;
        public const long MarginMs = 1800000L;

        private InactivityConfig _config;
        private long _lastActivityMs;
        private long _doorAtMs = -1;
        private bool _doorPending;
        private bool _doorSinceAway;
        private long _strayAtMs = -1;
        private int _strayInput = -1;
        private long _nightDoorAtMs = -1;
        private long _lastBoundary = -1;
        private int _reportedPresence;
        private bool _awayKeyUntilDoor;
        private long _cachedBoundary = -1;
        private long _cachedLineMs;

        public InactivityDetector()
        {
            Profile = new InactivityProfile();
        }

        public InactivityProfile Profile { get; private set; }

        public int Presence { get; private set; }

        public long AwaySinceMs { get; private set; }

        /// <summary>True once the current quiet episode has produced an alarm (or its prompt): one per episode.</summary>
        public bool AlarmedThisEpisode { get; private set; }

        /// <summary>Set when the profile changed since the last <see cref="MarkSaved"/> (the hub writes it at most hourly).</summary>
        public bool Dirty { get; private set; }

        /// <summary>Presence as reported to the backend: "away" covers an uncertain absence too.</summary>
        public bool ReportedAway { get { return _reportedPresence != Inactivity.Presence.Home; } }

        public void Configure(InactivityConfig config, long nowMs)
        {
            _config = config;
            _lastActivityMs = nowMs;
        }

        public long ElapsedMs(long nowMs)
        {
            return nowMs - _lastActivityMs;
        }

        /// <summary>
        /// Input <paramref name="input"/> became active: <paramref name="isDoor"/> for the front door, otherwise indoor
        /// activity (PIR, contacts, buttons).
        /// </summary>
        public void OnActivity(bool isDoor, int input, long nowMs, long localMs)
        {
            _lastLocalMs = localMs;
            if (_awayKeyUntilDoor)
            {
                // The away key was pressed: movement on the way out is expected; the next door event is the leaving.
                if (isDoor) _awayKeyUntilDoor = false;
                return;
            }
            if (isDoor)
            {
                _doorAtMs = nowMs;
                _doorPending = true;
                if (Presence != Inactivity.Presence.Home) _doorSinceAway = true;
                else
                {
                    Reset(nowMs);
                    if (_config.NightDoorMinutes > 0 && IsNight(localMs)) _nightDoorAtMs = nowMs;
                }
                return;
            }
            _doorPending = false;
            _nightDoorAtMs = -1;
            if (Presence == Inactivity.Presence.Home)
            {
                Reset(nowMs);
                return;
            }
            // Back home: a door event since going out, or a second sensor soon after the first (a PIR that
            // re-triggers a few seconds later is one firing, not a person walking through the home).
            bool pair = _strayAtMs >= 0 && nowMs - _strayAtMs <= StrayPairMs && input != _strayInput;
            if (_doorSinceAway || pair)
            {
                Presence = Inactivity.Presence.Home;
                Reset(nowMs);
                return;
            }
            // A lone firing with no door event: maybe a stray (sunlight, a pet, a failing sensor), maybe a
            // return through a door without a contact. Half-reset the clock and wait for a second firing.
            long since = Presence == Inactivity.Presence.Away ? nowMs - AwaySinceMs : nowMs - _lastActivityMs;
            long credit = since / 2, cap = _config.CeilingMinutes * 30000L;
            _lastActivityMs = nowMs - (credit > cap ? cap : credit);
            if (_strayAtMs < 0 || nowMs - _strayAtMs > StrayPairMs) _strayInput = input;
            _strayAtMs = nowMs;
            Presence = Inactivity.Presence.Uncertain;
            AlarmedThisEpisode = false;
        }

        /// <summary>The away key (long press on OK) or a backend command.</summary>
        public void SetAway(bool away, long nowMs)
        {
            if (away)
            {
                GoAway(nowMs);
                _awayKeyUntilDoor = true;
                _doorPending = false;
                _nightDoorAtMs = -1;
            }
            else
            {
                Presence = Inactivity.Presence.Home;
                _awayKeyUntilDoor = false;
                Reset(nowMs);
            }
        }

        /// <summary>
        /// Advances away confirmation, the night-door timer and the profile; returns Flag* bits. With
        /// <paramref name="sensorsFaulty"/> no alarm is due: silence from dead sensors proves nothing.
        /// </summary>
        public int Tick(long nowMs, long localMs, bool sensorsFaulty)
        {
            _lastLocalMs = localMs;
            int flags = 0;
            if (_doorPending && nowMs - _doorAtMs >= _config.AwayConfirmMinutes * 60000L)
            {
                _doorPending = false;
                if (Presence != Inactivity.Presence.Away) GoAway(_doorAtMs);
            }
            if (_nightDoorAtMs >= 0 && Presence == Inactivity.Presence.Away && nowMs - _nightDoorAtMs >= _config.NightDoorMinutes * 60000L)
            {
                _nightDoorAtMs = -1;
                flags |= FlagNightDoor;
            }
            if (Presence == Inactivity.Presence.Uncertain && nowMs - _strayAtMs >= StrayTimeoutMs)
            {
                // Nothing followed the lone firing: it was a stray; still out since the door.
                Presence = Inactivity.Presence.Away;
                _strayAtMs = -1;
            }
            if (localMs >= 0) Sample(nowMs, localMs);
            int reported = Presence == Inactivity.Presence.Home ? Inactivity.Presence.Home : Inactivity.Presence.Away;
            if (reported != _reportedPresence)
            {
                _reportedPresence = reported;
                flags |= FlagPresenceChanged;
            }
            if (_config.Enabled && !sensorsFaulty && Presence != Inactivity.Presence.Away && !AlarmedThisEpisode && ElapsedMs(nowMs) > LineFor(nowMs, localMs))
            {
                AlarmedThisEpisode = true;
                flags |= FlagAlarmDue;
            }
            return flags;
        }

        /// <summary>The alarm line at local time <paramref name="localMs"/> (-1 = wall clock unknown → the ceiling).</summary>
        public long ThresholdMs(long localMs)
        {
            long ceiling = _config.CeilingMinutes * 60000L;
            if (!_config.Learn || localMs < 0 || Presence == Inactivity.Presence.Uncertain || Profile.DaysLearned < LearnedAfterDays) return ceiling;
            long boundary = localMs / InactivityProfile.SlotMs;
            if (boundary == _cachedBoundary) return _cachedLineMs;
            int slot = (int)(boundary % InactivityProfile.Slots);
            // The longest quiet seen on previous days at the boundaries from 30 min before this slot to 30 min
            // after it (a slot's end boundary holds the longest quiet within it), widened by the sensitivity margin.
            int learnedMinutes = Profile.MaxMinutes(slot - 1, 4);
            long line = learnedMinutes < 0 ? ceiling : learnedMinutes * 60000L * Factor100(_config.Sensitivity) / 100 + MarginMs;
            long floor = _config.FloorMinutes * 60000L;
            if (line < floor) line = floor;
            if (line > ceiling) line = ceiling;
            _cachedBoundary = boundary;
            _cachedLineMs = line;
            return line;
        }

        /// <summary>
        /// The alarm line for the quiet spell going on now: the time-of-day line, or, when the spell began at
        /// a usual bedtime, at least the longest recent night's sleep plus the margin (a person who went to bed
        /// an hour earlier than last week is asleep, not collapsed).
        /// </summary>
        public long LineFor(long nowMs, long localMs)
        {
            long line = ThresholdMs(localMs);
            if (localMs < 0 || !_config.Learn || Profile.DaysLearned < LearnedAfterDays) return line;
            long elapsed = ElapsedMs(nowMs);
            int onset = (int)((((localMs - elapsed) % DayMs) + DayMs) % DayMs / 60000L);
            int sleep = Profile.SleepMinutesIfBedtime(onset);
            if (sleep < 0) return line;
            long sleepLine = sleep * 60000L + MarginMs;
            long ceiling = _config.CeilingMinutes * 60000L;
            if (sleepLine > ceiling) sleepLine = ceiling;
            return sleepLine > line ? sleepLine : line;
        }

        /// <summary>How far above the learned normal the line sits, in percent, by sensitivity 1..5.</summary>
        private static long Factor100(int sensitivity)
        {
            switch (sensitivity)
            {
                case 1: return 200;
                case 2: return 170;
                case 4: return 125;
                case 5: return 110;
                default: return 145;
            }
        }

        public void MarkSaved()
        {
            Dirty = false;
        }

        private void Sample(long nowMs, long localMs)
        {
            long boundary = localMs / InactivityProfile.SlotMs;
            if (_lastBoundary < 0 || boundary - _lastBoundary > InactivityProfile.Slots) _lastBoundary = boundary - 1;
            while (_lastBoundary < boundary)
            {
                _lastBoundary++;
                long day = _lastBoundary / InactivityProfile.Slots;
                int slot = (int)(_lastBoundary % InactivityProfile.Slots);
                // Learn only from ordinary time at home: not while away, not from a quiet spell that already alarmed.
                if (_config.Learn && Presence == Inactivity.Presence.Home && !AlarmedThisEpisode) Profile.Record(day, slot, (int)(ElapsedMs(nowMs) / 60000L));
                else Profile.Advance(day);
                Dirty = true;
                _cachedBoundary = -1;
            }
        }

        private void GoAway(long sinceMs)
        {
            Presence = Inactivity.Presence.Away;
            AwaySinceMs = sinceMs;
            _doorSinceAway = false;
            _strayAtMs = -1;
        }

        private void Reset(long nowMs)
        {
            long quiet = nowMs - _lastActivityMs;
            if (Presence == Inactivity.Presence.Home && !AlarmedThisEpisode && quiet >= SleepMinMs && _lastLocalMs >= 0)
            {
                int onset = (int)((((_lastLocalMs - quiet) % DayMs) + DayMs) % DayMs / 60000L);
                if (onset >= 20 * 60 || onset < 4 * 60) Profile.RecordSleep(onset, (int)(quiet / 60000L));
            }
            _lastActivityMs = nowMs;
            _strayAtMs = -1;
            AlarmedThisEpisode = false;
        }

        private bool IsNight(long localMs)
        {
            if (localMs < 0) return false;
            int minute = (int)(((localMs % DayMs) + DayMs) % DayMs / 60000L);
            int start = _config.NightStartMinute, end = _config.NightEndMinute;
            return start <= end ? minute >= start && minute < end : minute >= start || minute < end;
        }
    }
}
