using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Core.Inactivity
{
    /// <summary>
    /// Decides when a home has been quiet for abnormally long. Each activity starts a quiet spell; its
    /// alarm line is fixed when it starts. From the first hour the line is a conservative population
    /// prior by time of day (<see cref="PriorMinutes"/>: short by day, longer after lunch, the ceiling at
    /// night); each half-hour cell moves to what followed similar moments in this home
    /// (<see cref="InactivityProfile"/>) as days are seen in it, the prior fading out linearly by
    /// <see cref="PriorFadeDays"/> observed days. The learned part is the longest spells that began at about
    /// the same time of day and those that began at about that time after the same sensor, widened by the
    /// sensitivity factor and a margin, kept between the floor and the ceiling, and averaged. Two rules bound
    /// the line further: "usually up by" (a spell that began in the night ends by the learned usual first
    /// activity of the morning plus a margin, never later than the configured latest time; an early-morning spell
    /// ends by the latest time, never before the morning prior) and, with a bed
    /// mat, "out of bed at night and not back" (a learned time, short). The ceiling bounds the time until the
    /// alarm leaves the hub, the "are you OK?" prompt included.
    /// Away: a door event not followed by indoor activity means the resident went out, and the clock
    /// pauses (without a bound unless <see cref="InactivityConfig.AwayLimitMinutes"/> is set; never for the away key).
    /// A door event while away is a return: the clock runs again until indoor activity confirms it.
    /// A single stray firing during an absence with no door event only partly resets the clock (after
    /// Wilhelm and Wahl 2024: uncertain events have partial impact); two different sensors firing close
    /// together are a return. Bounded state, O(1) per event, no allocation.
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

        /// <summary>Observed days in a half-hour cell (±1 h) after which the prior has faded out completely.</summary>
        public const int PriorFadeDays = 7;

        /// <summary>
        /// Spells that begin from this time of day (or before the morning starts at 04:00) have "usually up by" as their
        /// line: sleep is normal until the resident is usually up, however early they went to bed.
        /// </summary>
        public const int BedtimeStartMinute = 22 * 60;

        /// <summary>Spells that begin from this time of day (or before the morning starts at 04:00) end by the morning's "up by" at the latest.</summary>
        public const int EveningStartMinute = 18 * 60;

        /// <summary>Spells that begin from the start of the morning (04:00) until this time end by the latest up-by time at the latest.</summary>
        public const int EarlyMorningEndMinute = 8 * 60;

        /// <summary>
        /// A night trip (a spell that begins from midnight to 04:00) after a sensor seen at that time on at least this
        /// many nights, after which no quiet spell ever lasted <see cref="NightTripLongMinutes"/>, keeps the sensor's own line.
        /// </summary>
        public const int NightTripNights = 5;
        public const int NightTripLongMinutes = 120;

        /// <summary>Out of bed at night: the line before any night is learned, and its bounds.</summary>
        public const int BedOutPriorMinutes = 60;
        public const int BedOutMinMinutes = 30;
        public const int BedOutMaxMinutes = 180;

        /// <summary>Bed mats counted as occupied at most (a missed "empty" edge cannot keep the count up for ever).</summary>
        public const int MaxBedMats = 4;

        /// <summary>A bed exit counts only after the bed was occupied this long (a mat that pulses with movement is no occupancy sensor).</summary>
        public const long BedSettledMs = 600000L;

        /// <summary>Shortest line the "usually up by" rule sets (a spell that begins just before it).</summary>
        public const long UpByMinLineMs = 1800000L;
        public const long DayMs = 86400000L;
        public const long StrayPairMs = 1800000L;
        public const long StrayTimeoutMs = 7200000L;
        public const long MarginMs = 1800000L;

        /// <summary>Door edges this close together are one passage (open and close), not a leaving and a return.</summary>
        public const long DoorPassageMs = 120000L;

        /// <summary>Half-hour slots either side of the onset pooled for the time-of-day part (±1 h).</summary>
        public const int OnsetSlotsEachSide = 2;

        /// <summary>Two-hour bins either side pooled for the sensor part: the onset's bin and one either side (a 6-h window, ±2-4 h).</summary>
        public const int SensorBinsEachSide = 1;

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

        /// <summary>Out of bed at night: the bed mat went empty in the night window and has not been occupied since.</summary>
        private bool _bedOut;
        private int _bedsOccupied;
        private long _bedSinceMs;

        /// <summary>Local time of the last activity (not a mat edge) at home since the last absence, or -1.</summary>
        private long _lastHomeLocalMs = -1;
        private bool _onsetBedOut;

        /// <summary>The line of the spell going on is a night trip's (<see cref="NightTripLineMs"/>).</summary>
        private bool _lineIsNightTrip;

        /// <summary>Away was inferred from the door (not the away key or a command): bounded by <see cref="InactivityConfig.AwayLimitMinutes"/> when set.</summary>
        private bool _awayByDoor;
        private bool _awayAlarmed;

        public InactivityDetector()
        {
            Profile = new InactivityProfile();
        }

        public InactivityProfile Profile { get; private set; }

        public int Presence { get; private set; }

        public long AwaySinceMs { get; private set; }

        /// <summary>True when the last alarm due was the away limit (out since the door for longer than <see cref="InactivityConfig.AwayLimitMinutes"/>).</summary>
        public bool AlarmWasAwayLimit { get; private set; }

        /// <summary>True once the current quiet spell has produced an alarm (or its prompt): one per spell.</summary>
        public bool AlarmedThisEpisode { get; private set; }

        /// <summary>Set when the profile changed since the last <see cref="MarkSaved"/> (the hub writes it at most hourly).</summary>
        public bool Dirty { get; private set; }

        /// <summary>Presence as reported to the backend: "away" covers an unconfirmed return or a stray firing too.</summary>
        public bool ReportedAway { get { return _reportedPresence != Inactivity.Presence.Home; } }

        /// <summary>
        /// Takes a config. The first one starts the clock. A later one (from the centre, the console, a broker trial)
        /// keeps the quiet spell going on and only recomputes its line with the new settings: restarting the clock
        /// would hold up the alarm of a resident who collapsed before the config came, by up to the ceiling. Detection
        /// switched on again starts a fresh spell (the clock ran while it was off, and that silence is not news).
        /// </summary>
        public void Configure(InactivityConfig config, long nowMs)
        {
            bool fresh = _config == null || (config.Enabled && !_config.Enabled);
            _config = config;
            if (fresh) StartSpell(nowMs, -1, -1);
            else _lineMs = -1;
        }

        /// <summary>
        /// The activity inputs changed (added, removed, reordered): the sensor the spell going on began after is now
        /// numbered differently, so its line no longer uses that sensor's row (the time-of-day part and the prior remain).
        /// </summary>
        public void ForgetOnsetSensor()
        {
            _onsetInput = -1;
            _lineMs = -1;
        }

        public long ElapsedMs(long nowMs)
        {
            return nowMs - _lastActivityMs;
        }

        /// <summary>True while the bed mat is empty after a bed exit during the night window (reset when back in bed).</summary>
        public bool OutOfBedAtNight { get { return _bedOut; } }

        /// <summary>
        /// An occupancy mat changed: <paramref name="isBed"/> for a bed mat, else a chair mat; <paramref name="occupied"/>
        /// = the resident is on it. Both edges are activity (getting in or out is movement). Leaving the bed
        /// during the night window starts "out of bed at night" until the bed is occupied again.
        /// </summary>
        public void OnOccupancy(bool isBed, bool occupied, int input, long nowMs, long localMs)
        {
            if (isBed)
            {
                // Several mats may cover one bed (left and right): out of bed is when none is occupied any more.
                if (occupied)
                {
                    if (_bedsOccupied == 0) _bedSinceMs = nowMs;
                    if (_bedsOccupied < MaxBedMats) _bedsOccupied++;
                    _bedOut = false;
                }
                else
                {
                    if (_bedsOccupied > 0) _bedsOccupied--;
                    // Only after lying in bed for a while: a mat that pulses with movement (on and off within seconds) is not a bed exit.
                    if (_bedsOccupied == 0 && nowMs - _bedSinceMs >= BedSettledMs && Presence == Inactivity.Presence.Home && IsNight(localMs)) _bedOut = true;
                }
            }
            Activity(false, true, input, nowMs, localMs);
        }

        /// <summary>
        /// Input <paramref name="input"/> became active: <paramref name="isDoor"/> for the front door, otherwise indoor
        /// activity (PIR, contacts, buttons). <paramref name="localMs"/> is local wall time, -1 while unknown.
        /// </summary>
        public void OnActivity(bool isDoor, int input, long nowMs, long localMs)
        {
            Activity(isDoor, false, input, nowMs, localMs);
        }

        private void Activity(bool isDoor, bool mat, int input, long nowMs, long localMs)
        {
            ActiveSinceBoot = true;
            SpellChanged = true;
            // The first activity of the morning after a night at home is the day's "up" (a mat edge is not: turning
            // over in bed; nor is the first activity after coming home, which is not the end of a night).
            if (_config.Learn && !mat && Presence == Inactivity.Presence.Home && localMs >= 0 && !_awayKeyUntilDoor)
            {
                long morning = DayOf(localMs) * DayMs + InactivityProfile.MorningStartMinute * 60000L;
                if (localMs >= morning && _lastHomeLocalMs >= 0 && _lastHomeLocalMs < morning && !Profile.IsUp(DayOf(localMs)))
                {
                    Profile.RecordUp(DayOf(localMs), MinuteOfDay(localMs));
                    Dirty = true;
                }
                _lastHomeLocalMs = localMs;
            }
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
            SpellChanged = true;
        }

        /// <summary>The away key (long press on OK), or home by command.</summary>
        public void SetAway(bool away, long nowMs)
        {
            ActiveSinceBoot = true;
            SpellChanged = true;
            _awayUntilMs = -1;
            if (away)
            {
                GoAway(nowMs);
                _awayByDoor = false; // the away key or a command: the resident said so, no limit
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
                if (Presence != Inactivity.Presence.Away)
                {
                    GoAway(_doorAtMs);
                    _awayByDoor = true;
                }
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
                SpellChanged = true;
                AlarmWasAwayLimit = false;
                flags |= FlagAlarmDue;
            }
            // Out since the door (no away key) for longer than the limit: not back when expected is worth a call,
            // and a collapse right after a door event looks exactly like going out. The away key stays unbounded.
            if (_config.Enabled && !sensorsFaulty && _config.AwayLimitMinutes > 0 && Presence == Inactivity.Presence.Away && _awayByDoor && !_awayAlarmed
                && nowMs - AwaySinceMs > (_config.AwayLimitMinutes - _config.PromptMinutes) * 60000L)
            {
                _awayAlarmed = true;
                SpellChanged = true;
                AlarmWasAwayLimit = true;
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
            _lineIsNightTrip = false;
            long ceiling = CeilingLineMs();
            long line = ceiling;
            if (_config.Learn && (_spellAtHome || _returning) && _onsetLocalMs >= 0)
            {
                int minute = MinuteOfDay(_onsetLocalMs);
                long prior = PriorMinutes(minute) * 60000L;
                if (prior > ceiling) prior = ceiling;
                int seen = Profile.OnsetDaysSeen(minute, OnsetSlotsEachSide);
                if (seen > PriorFadeDays) seen = PriorFadeDays;
                long learned = ceiling;
                if (seen > 0)
                {
                    // A part with nothing seen yet (a sensor never seen at this time) counts as the prior.
                    long byTime = Part(Profile.OnsetMaxMinutes(minute, OnsetSlotsEachSide), prior, ceiling);
                    long bySensor = Part(Profile.SensorMaxMinutes(_onsetInput, minute, SensorBinsEachSide), prior, ceiling);
                    learned = (byTime + bySensor) / 2;
                }
                // Each cell moves from the prior to this home's own line, linearly in the days it has seen.
                line = (prior * (PriorFadeDays - seen) + learned * seen) / PriorFadeDays;
                if (_spellAtHome)
                {
                    // A spell that begins at bedtime or in the night lasts until "usually up by": that, not the
                    // learned night (an early bedtime makes a longer night), is its line.
                    long wake = UpByLineMs();
                    if (wake != long.MaxValue && (minute >= BedtimeStartMinute || minute < InactivityProfile.MorningStartMinute))
                    {
                        line = wake;
                        long trip = NightTripLineMs(minute, prior, ceiling);
                        if (trip < line)
                        {
                            line = trip;
                            _lineIsNightTrip = true;
                        }
                    }
                    else if (wake < line) line = wake;
                    long latest = LatestUpLineMs();
                    if (latest < line) line = latest;
                    if (_onsetBedOut)
                    {
                        long bedOut = BedOutLineMs();
                        if (bedOut < line) line = bedOut;
                    }
                }
                if (line > ceiling) line = ceiling;
            }
            _lineMs = line;
            return line;
        }

        /// <summary>
        /// The population prior: how long a quiet spell that begins at <paramref name="minuteOfDay"/> may last in an
        /// older adult's ordinary day before it is abnormal, as an alarm line in minutes (the ceiling caps it). Night
        /// and bedtime: the ceiling (a night's sleep, 95th percentile 9.5 h in adults of 60 and over, Ohayon and
        /// Vecchierini 2005); early morning 6 h (back to sleep after an early waking); morning 3 h; afternoon and
        /// evening 4 h (naps, average nap time 14:30-15:00 in older nappers, Dautovich et al. 2008; a day's sleep of
        /// 1 h or more is the 95th percentile, Ohayon and Vecchierini 2005; television in the evening); 20:00-21:00
        /// 5 h (evening naps before bedtime, Dautovich et al. 2008). See docs/inactivity-detection.md.
        /// </summary>
        public static int PriorMinutes(int minuteOfDay)
        {
            int h = minuteOfDay / 60;
            if (minuteOfDay < 5 * 60 + 30) return 720;
            if (h < 8) return 360;
            if (h < 12) return 180;
            if (h < 20) return 240;
            if (h < 21) return 300;
            return 720;
        }

        /// <summary>
        /// "Usually up by", minutes after local midnight: the latest first activity of the morning on the kept days
        /// plus the margin, never later than the configured latest time; it moves from the latest time to the
        /// learned one linearly in the mornings seen, reaching it at <see cref="PriorFadeDays"/> mornings.
        /// </summary>
        public int UpByMinute()
        {
            int latest = _config.UpByLatestMinute;
            int seen = Profile.UpDaysSeen();
            if (seen == 0) return latest;
            if (seen > PriorFadeDays) seen = PriorFadeDays;
            int up = Profile.LatestUpMinute() + _config.UpByMarginMinutes;
            if (up > latest) up = latest;
            // From the latest time to the learned one as mornings are seen, like the prior's cells.
            return (latest * (PriorFadeDays - seen) + up * seen) / PriorFadeDays;
        }

        /// <summary>The line "usually up by" sets for the spell going on (long.MaxValue when it does not apply).</summary>
        private long UpByLineMs()
        {
            if (_config.UpByLatestMinute < 0) return long.MaxValue;
            int minute = MinuteOfDay(_onsetLocalMs);
            long day = DayOf(_onsetLocalMs);
            // Only a spell that began in the night: one that begins in the morning (a toilet visit at 05:00, then
            // back to bed) keeps its own line, or a weekend lie-in would be an alarm.
            long morning;
            if (minute >= EveningStartMinute) morning = day + 1;
            else if (minute < InactivityProfile.MorningStartMinute) morning = day;
            else return long.MaxValue;
            long line = morning * DayMs + UpByMinute() * 60000L - _onsetLocalMs;
            if (line < 0) return long.MaxValue; // up-by already past when a spell begins before anyone is up: the normal line
            return line < UpByMinLineMs ? UpByMinLineMs : line;
        }

        /// <summary>
        /// A night trip: a spell that begins from midnight to 04:00 after a sensor that, at this time of night, was
        /// seen on <see cref="NightTripNights"/> nights or more and never followed by <see cref="NightTripLongMinutes"/>
        /// of quiet (the toilet flush, the kitchen: every time, the resident went back to bed past another sensor).
        /// Quiet after it is not sleep; the sensor's own line applies (its longest spell, widened, at least the
        /// floor), not "usually up by": nothing after it is how a fall on a night trip looks. Not from 22:00: the last
        /// sensor of a bedtime routine varies (the bedroom door left open one night), and a night that begins
        /// straight after the toilet is sleep. long.MaxValue when it does not apply.
        /// </summary>
        private long NightTripLineMs(int minute, long prior, long ceiling)
        {
            if (minute >= InactivityProfile.MorningStartMinute) return long.MaxValue;
            int longest = Profile.SensorMaxMinutes(_onsetInput, minute, SensorBinsEachSide);
            if (longest < 0 || longest >= NightTripLongMinutes) return long.MaxValue;
            if (Profile.SensorDaysSeen(_onsetInput, minute, SensorBinsEachSide) < NightTripNights) return long.MaxValue;
            return Part(longest, prior, ceiling);
        }

        /// <summary>
        /// An early-morning spell (begins <see cref="InactivityProfile.MorningStartMinute"/>-<see cref="EarlyMorningEndMinute"/>)
        /// ends by the configured latest up-by time, not the learned one: the first activity after 04:00 may be a
        /// toilet visit and back to bed, and a lie-in is normal until the latest time, not after it (a wake-up at
        /// 09:00 or later is the top 5 % of adults over 60). Never shorter than the morning prior (3 h) nor the floor;
        /// long.MaxValue when it does not apply.
        /// </summary>
        private long LatestUpLineMs()
        {
            if (_config.UpByLatestMinute < 0) return long.MaxValue;
            int minute = MinuteOfDay(_onsetLocalMs);
            if (minute < InactivityProfile.MorningStartMinute || minute >= EarlyMorningEndMinute) return long.MaxValue;
            long line = DayOf(_onsetLocalMs) * DayMs + _config.UpByLatestMinute * 60000L - _onsetLocalMs;
            // Never shorter than the morning's prior: a resident up at 07:30 and sitting quietly is as safe as one at 09:00.
            long shortest = PriorMinutes(EarlyMorningEndMinute) * 60000L;
            if (shortest < _config.FloorMinutes * 60000L) shortest = _config.FloorMinutes * 60000L;
            return line < shortest ? shortest : line;
        }

        /// <summary>Out of bed at night and not back: the longest such quiet spell learned, widened, within bounds; the prior until nights are seen.</summary>
        public long BedOutLineMs()
        {
            long prior = BedOutPriorMinutes * 60000L;
            int seen = Profile.BedOutNightsSeen();
            if (seen > PriorFadeDays) seen = PriorFadeDays;
            long learned = prior;
            int longest = Profile.BedOutMaxMinutes();
            if (longest >= 0) learned = longest * 60000L * Factor100(_config.Sensitivity) / 100 + MarginMs;
            long line = (prior * (PriorFadeDays - seen) + learned * seen) / PriorFadeDays;
            if (line < BedOutMinMinutes * 60000L) line = BedOutMinMinutes * 60000L;
            if (line > BedOutMaxMinutes * 60000L) line = BedOutMaxMinutes * 60000L;
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

        /// <summary>Bytes of the spell record (<see cref="WriteSpell"/>).</summary>
        public const int SpellRecordBytes = 44;
        private const byte SpellRecordVersion = 1;

        /// <summary>A record written longer ago than this is not resumed: after a long outage the spell starts afresh.</summary>
        public const long SpellResumeMaxAgeMs = 21600000L;

        /// <summary>An activity, a presence change or an alarm changed the spell since the last <see cref="WriteSpell"/>.</summary>
        public bool SpellChanged { get; private set; }

        /// <summary>True once an activity (or the away key, a command) came after the first config: a spell record from before the boot is then stale.</summary>
        public bool ActiveSinceBoot { get; private set; }

        /// <summary>
        /// Writes the quiet spell going on and the presence (what a reboot must not forget: a collapse an hour before a
        /// watchdog reset must still be alarmed on time, and a resident who is out must not come "home" with the boot)
        /// in wall-clock time, <paramref name="utcNowMs"/> being known.
        /// </summary>
        public void WriteSpell(byte[] b, long nowMs, long utcNowMs)
        {
            b[0] = SpellRecordVersion;
            b[1] = (byte)Presence;
            b[2] = (byte)((_spellAtHome ? 1 : 0) | (AlarmedThisEpisode ? 2 : 0) | (_awayByDoor ? 4 : 0) | (_awayAlarmed ? 8 : 0) | (_awayKeyUntilDoor ? 16 : 0));
            b[3] = (byte)(_onsetInput < 0 || _onsetInput > 254 ? 255 : _onsetInput);
            ByteCodec.PutInt64(b, 4, utcNowMs - (nowMs - _lastActivityMs));
            ByteCodec.PutInt64(b, 12, _onsetLocalMs);
            ByteCodec.PutInt64(b, 20, utcNowMs - (nowMs - AwaySinceMs));
            ByteCodec.PutInt64(b, 28, utcNowMs);
            ByteCodec.PutInt64(b, 36, _awayUntilMs < 0 ? -1 : utcNowMs + (_awayUntilMs - nowMs));
            SpellChanged = false;
        }

        /// <summary>
        /// After a boot, once the wall clock is known and before any activity: takes up the spell and the presence of
        /// a record written at most <see cref="SpellResumeMaxAgeMs"/> ago. Returns false (and changes nothing) for a
        /// record that is missing, of another version, from the future, too old, or when activity came first.
        /// </summary>
        public bool ResumeSpell(byte[] b, long nowMs, long utcNowMs)
        {
            if (b == null || b.Length < SpellRecordBytes || b[0] != SpellRecordVersion || ActiveSinceBoot || utcNowMs < 0) return false;
            long written = ByteCodec.GetInt64(b, 28);
            long last = ByteCodec.GetInt64(b, 4);
            if (written > utcNowMs || last > written || utcNowMs - written > SpellResumeMaxAgeMs) return false;
            int presence = b[1];
            if (presence != Inactivity.Presence.Home && presence != Inactivity.Presence.Away && presence != Inactivity.Presence.Uncertain) return false;
            Presence = presence;
            int flags = b[2];
            _spellAtHome = (flags & 1) != 0;
            AlarmedThisEpisode = (flags & 2) != 0;
            _awayByDoor = (flags & 4) != 0;
            _awayAlarmed = (flags & 8) != 0;
            _awayKeyUntilDoor = (flags & 16) != 0;
            _onsetInput = b[3] == 255 ? -1 : b[3];
            _lastActivityMs = nowMs - (utcNowMs - last);
            _onsetLocalMs = ByteCodec.GetInt64(b, 12);
            AwaySinceMs = nowMs - (utcNowMs - ByteCodec.GetInt64(b, 20));
            long until = ByteCodec.GetInt64(b, 36);
            _awayUntilMs = until < 0 ? -1 : nowMs + (until - utcNowMs); // away by command still ends 24 h after the command
            // An uncertain state (a return or a stray not yet confirmed) is not worth keeping: its timers are gone.
            if (Presence == Inactivity.Presence.Uncertain) Presence = Inactivity.Presence.Away;
            _returning = false;
            _strayAtMs = -1;
            _doorPending = false;
            _lineMs = -1;
            return true;
        }

        /// <summary>The profile changed outside learning (e.g. a new input layout): to be written.</summary>
        public void MarkChanged()
        {
            Dirty = true;
        }

        /// <summary>One learned part of the line: never seen → <paramref name="unseen"/>; else the longest seen, widened, within floor..ceiling.</summary>
        private long Part(int longestMinutes, long unseen, long ceiling)
        {
            if (longestMinutes < 0) return unseen;
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
            _onsetBedOut = _bedOut && _spellAtHome && IsNight(localMs);
            if (!IsNight(localMs)) _bedOut = false; // the night is over: a bed not slept in again is not a bed exit
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
            // Prompted on a night trip and the resident was there to answer (or it alarmed): the sensor does precede
            // sleep in this home after all, so it no longer counts as a night-trip sensor.
            if (AlarmedThisEpisode && _lineIsNightTrip && spellMs < NightTripLongMinutes * 60000L) spellMs = NightTripLongMinutes * 60000L;
            long day = DayOf(_onsetLocalMs);
            Profile.Record(day, MinuteOfDay(_onsetLocalMs), _onsetInput, (int)(spellMs / 60000L));
            if (_onsetBedOut) Profile.RecordBedOut(day, (int)(spellMs / 60000L));
            Dirty = true;
        }

        private void GoAway(long sinceMs)
        {
            SpellChanged = true;
            Presence = Inactivity.Presence.Away;
            _awayAlarmed = false;
            _bedOut = false;
            _lastHomeLocalMs = -1;
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
