using PingAnTong.Edge.Core.Config;

namespace PingAnTong.Edge.Core.Inactivity
{
    /// <summary>
    /// Decides when a home has been quiet for abnormally long. Each activity starts a quiet spell; its
    /// alarm line is fixed when it starts, from what followed similar moments in this home
    /// (<see cref="InactivityProfile"/>): the longest spells that began at about the same time of day, and
    /// those that began at about that time after the same sensor. Both are widened by the sensitivity
    /// factor and a margin, kept between the floor and the ceiling, and averaged, so a spell after the
    /// kitchen cupboard at 15:00 alarms in two hours while one after the bedroom door at 23:00 waits for
    /// the morning. Until a week is learned the line is the ceiling (like a telecare timer). The ceiling
    /// bounds the time until the alarm leaves the hub, the "are you OK?" prompt included.
    /// Away: a door event not followed by indoor activity means the resident went out, and the clock
    /// pauses. A door event while away is a return: the clock runs again, with the ceiling as the line,
    /// until indoor activity confirms it. A single stray firing during an absence with no door event only
    /// partly resets the clock (after Wilhelm and Wahl 2024: uncertain events have partial impact); two
    /// different sensors firing close together are a return. Bounded state, O(1) per event, no allocation.
    /// </summary>
    public sealed class InactivityDetector
    {
        public const int FlagPresenceChanged = 1;
        public const int FlagAlarmDue = 2;
        public const int FlagNightDoor = 4;

        /// <summary>Away by command ran out (<see cref="CommandedAwayMs"/> without renewal): home again, the clock runs.</summary>
        public const int FlagAwayExpired = 8;

        /// <summary>
        /// Away set by the backend ends after 24 h unless the backend sends it again: a command must not silence
        /// inactivity alarms for good (a resident away longer is renewed daily by the centre, who knows).
        /// </summary>
        public const long CommandedAwayMs = 86400000L;

        public const int LearnedAfterDays = 7;
        public const long DayMs = 86400000L;
        public const long StrayPairMs = 1800000L;
        public const long StrayTimeoutMs = 7200000L;
        public const long MarginMs = 1800000L;

        /// <summary>Door edges this close together are one passage (open and close), not a leaving and a return.</summary>
        public const long DoorPassageMs = 120000L;

        /// <summary>Half-hour slots either side of the onset pooled for the time-of-day part (±1 h).</summary>
        public const int OnsetSlotsEachSide = 2;

        /// <summary>Two-hour bins either side pooled for the sensor part (±4 h).</summary>
        public const int SensorBinsEachSide = 2;

        private InactivityConfig _config;
        private long _lastActivityMs;
        private long _onsetLocalMs = -1;
        private int _onsetInput = -1;
        private bool _spellAtHome;
        private long _lineMs = -1;
        private long _lastLocalMs = -1;
        private long _doorAtMs = -1;
        private bool _doorPending;
        private bool _returning;
        private long _strayAtMs = -1;
        private int _strayInput = -1;
        private long _nightDoorAtMs = -1;
        private int _reportedPresence;
        private bool _awayKeyUntilDoor;
        private long _lastDoorMs = -1;
        private long _awayUntilMs = -1;

        public InactivityDetector()
        {
            Profile = new InactivityProfile();
        }

        public InactivityProfile Profile { get; private set; }

        public int Presence { get; private set; }

        public long AwaySinceMs { get; private set; }

        /// <summary>True once the current quiet spell has produced an alarm (or its prompt): one per spell.</summary>
        public bool AlarmedThisEpisode { get; private set; }

        /// <summary>Set when the profile changed since the last <see cref="MarkSaved"/> (the hub writes it at most hourly).</summary>
        public bool Dirty { get; private set; }

        /// <summary>Presence as reported to the backend: "away" covers an unconfirmed return or a stray firing too.</summary>
        public bool ReportedAway { get { return _reportedPresence != Inactivity.Presence.Home; } }

        public void Configure(InactivityConfig config, long nowMs)
        {
            _config = config;
            StartSpell(nowMs, -1, -1);
        }

        public long ElapsedMs(long nowMs)
        {
            return nowMs - _lastActivityMs;
        }

        /// <summary>
        /// Input <paramref name="input"/> became active: <paramref name="isDoor"/> for the front door, otherwise indoor
        /// activity (PIR, contacts, buttons). <paramref name="localMs"/> is local wall time, -1 while unknown.
        /// </summary>
        public void OnActivity(bool isDoor, int input, long nowMs, long localMs)
        {
            _lastLocalMs = localMs;
            bool samePassage = isDoor && _lastDoorMs >= 0 && nowMs - _lastDoorMs < DoorPassageMs;
            if (isDoor) _lastDoorMs = nowMs;
            if (_awayKeyUntilDoor)
            {
                // The away key was pressed: movement on the way out is expected; the next door event is the leaving.
                if (isDoor) _awayKeyUntilDoor = false;
                return;
            }
            if (isDoor)
            {
                if (Presence == Inactivity.Presence.Away && samePassage) return; // the door closing behind the leaver
                if (Presence == Inactivity.Presence.Home)
                {
                    EndSpell(nowMs);
                    StartSpell(nowMs, localMs, input);
                    _doorAtMs = nowMs;
                    _doorPending = true;
                    if (_config.NightDoorMinutes > 0 && IsNight(localMs)) _nightDoorAtMs = nowMs;
                }
                else
                {
                    // The door while out is someone coming in: the clock runs from here until indoor activity
                    // confirms the return (a collapse in the hall must not wait for the next absence to end).
                    Presence = Inactivity.Presence.Uncertain;
                    _returning = true;
                    StartSpell(nowMs, localMs, input);
                }
                return;
            }
            _doorPending = false;
            _nightDoorAtMs = -1;
            if (Presence == Inactivity.Presence.Home)
            {
                EndSpell(nowMs);
                StartSpell(nowMs, localMs, input);
                return;
            }
            // Back home: the door since going out, or a second sensor soon after the first (a PIR that
            // re-triggers a few seconds later is one firing, not a person walking through the home).
            bool pair = _strayAtMs >= 0 && nowMs - _strayAtMs <= StrayPairMs && input != _strayInput;
            if (_returning || pair)
            {
                Presence = Inactivity.Presence.Home;
                _returning = false;
                StartSpell(nowMs, localMs, input);
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
            _spellAtHome = false;
            _lineMs = -1;
            AlarmedThisEpisode = false;
        }

        /// <summary>Uptime at which away by command ends unless renewed, or -1.</summary>
        public long AwayUntilMs { get { return _awayUntilMs; } }

        /// <summary>Away by backend command: as the away key, but for at most <see cref="CommandedAwayMs"/> unless renewed.</summary>
        public void SetAwayByCommand(long nowMs)
        {
            SetAway(true, nowMs);
            _awayUntilMs = nowMs + CommandedAwayMs;
        }

        /// <summary>The away key (long press on OK), or home by command.</summary>
        public void SetAway(bool away, long nowMs)
        {
            _awayUntilMs = -1;
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
                _returning = false;
                StartSpell(nowMs, _lastLocalMs, -1);
            }
        }

        /// <summary>
        /// Advances away confirmation, the night-door timer and the profile's day; returns Flag* bits. With
        /// <paramref name="sensorsFaulty"/> no alarm is due: silence from dead sensors proves nothing.
        /// </summary>
        public int Tick(long nowMs, long localMs, bool sensorsFaulty)
        {
            _lastLocalMs = localMs;
            int flags = 0;
            if (localMs >= 0 && DayOf(localMs) > Profile.CurrentDay)
            {
                Profile.Advance(DayOf(localMs));
                Dirty = true;
            }
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
            if (Presence == Inactivity.Presence.Uncertain && !_returning && nowMs - _strayAtMs >= StrayTimeoutMs)
            {
                // Nothing followed the lone firing: it was a stray; still out since the door.
                Presence = Inactivity.Presence.Away;
                _strayAtMs = -1;
            }
            if (_awayUntilMs >= 0)
            {
                // Back home by sensing ends the command's away; a stray firing (uncertain) does not.
                if (Presence == Inactivity.Presence.Home) _awayUntilMs = -1;
                else if (nowMs >= _awayUntilMs)
                {
                    SetAway(false, nowMs);
                    _reportedPresence = Inactivity.Presence.Home; // reported as "expired", not as a second "home"
                    flags |= FlagAwayExpired;
                }
            }
            int reported = Presence == Inactivity.Presence.Home ? Inactivity.Presence.Home : Inactivity.Presence.Away;
            if (reported != _reportedPresence)
            {
                _reportedPresence = reported;
                flags |= FlagPresenceChanged;
            }
            if (_config.Enabled && !sensorsFaulty && Presence != Inactivity.Presence.Away && !AlarmedThisEpisode && ElapsedMs(nowMs) > LineMs())
            {
                AlarmedThisEpisode = true;
                flags |= FlagAlarmDue;
            }
            return flags;
        }

        /// <summary>The ceiling as a line: the prompt comes on top, so the alarm leaves the hub by the ceiling.</summary>
        public long CeilingLineMs()
        {
            return (_config.CeilingMinutes - _config.PromptMinutes) * 60000L;
        }

        /// <summary>The alarm line of the quiet spell going on now (quiet for longer → prompt, then alarm).</summary>
        public long LineMs()
        {
            if (_lineMs >= 0) return _lineMs;
            long ceiling = CeilingLineMs();
            long line = ceiling;
            if (_config.Learn && (_spellAtHome || _returning) && _onsetLocalMs >= 0 && Profile.DaysLearned >= LearnedAfterDays)
            {
                int minute = MinuteOfDay(_onsetLocalMs);
                long byTime = Part(Profile.OnsetMaxMinutes(minute, OnsetSlotsEachSide), ceiling);
                long bySensor = Part(Profile.SensorMaxMinutes(_onsetInput, minute, SensorBinsEachSide), ceiling);
                line = (byTime + bySensor) / 2;
            }
            _lineMs = line;
            return line;
        }

        /// <summary>How far above the learned normal the line sits, in percent, by sensitivity 1..5.</summary>
        public static long Factor100(int sensitivity)
        {
            switch (sensitivity)
            {
                case 1: return 160;
                case 2: return 140;
                case 4: return 110;
                case 5: return 100;
                default: return 120;
            }
        }

        public void MarkSaved()
        {
            Dirty = false;
        }

        /// <summary>One learned part of the line: never seen → the ceiling; else the longest seen, widened, within floor..ceiling.</summary>
        private long Part(int longestMinutes, long ceiling)
        {
            if (longestMinutes < 0) return ceiling;
            long line = longestMinutes * 60000L * Factor100(_config.Sensitivity) / 100 + MarginMs;
            long floor = _config.FloorMinutes * 60000L;
            if (line < floor) line = floor;
            return line > ceiling ? ceiling : line;
        }

        private void StartSpell(long nowMs, long localMs, int input)
        {
            _lastActivityMs = nowMs;
            _onsetLocalMs = localMs;
            _onsetInput = input;
            _spellAtHome = Presence == Inactivity.Presence.Home;
            _lineMs = -1;
            _strayAtMs = -1;
            AlarmedThisEpisode = false;
        }

        /// <summary>
        /// Learns the spell that ends now if it was spent at home. A spell that alarmed is learned at most
        /// at twice its line: a false alarm teaches the home, a real emergency must not blind the detector.
        /// </summary>
        private void EndSpell(long nowMs)
        {
            if (!_config.Learn || !_spellAtHome || _onsetLocalMs < 0) return;
            long spellMs = nowMs - _lastActivityMs;
            if (AlarmedThisEpisode && spellMs > 2 * LineMs()) spellMs = 2 * LineMs();
            Profile.Record(DayOf(_onsetLocalMs), MinuteOfDay(_onsetLocalMs), _onsetInput, (int)(spellMs / 60000L));
            Dirty = true;
        }

        private void GoAway(long sinceMs)
        {
            Presence = Inactivity.Presence.Away;
            AwaySinceMs = sinceMs;
            _returning = false;
            _strayAtMs = -1;
            _spellAtHome = false;
            _lineMs = -1;
        }

        private bool IsNight(long localMs)
        {
            if (localMs < 0) return false;
            int minute = MinuteOfDay(localMs);
            int start = _config.NightStartMinute, end = _config.NightEndMinute;
            return start <= end ? minute >= start && minute < end : minute >= start || minute < end;
        }

        private static long DayOf(long localMs)
        {
            return localMs >= 0 ? localMs / DayMs : (localMs - DayMs + 1) / DayMs;
        }

        private static int MinuteOfDay(long localMs)
        {
            return (int)(((localMs % DayMs) + DayMs) % DayMs / 60000L);
        }
    }
}
