namespace PingAnTong.Edge.Core.Inactivity
{
    /// <summary>
    /// What the home's ordinary quiet spells look like, learned online: for each of the last <see cref="Days"/>
    /// days, the longest quiet spell at home that began in each half hour of the local day, and the longest
    /// that began in each two hours after each activity sensor (the sensor that fired last says where the
    /// resident is: a spell after the kitchen cupboard is short, one after the couch or the bedroom door long).
    /// One byte per cell in <see cref="UnitMinutes"/>-minute units (0 = no spell seen):
    /// 14 × 48 + 14 × 16 × 12 = 3,360 bytes. Per day also the first activity of the morning (from 04:00) and the
    /// longest quiet spell that began while out of bed at night (2 × 14 bytes). O(1) to record; reading one
    /// line touches a fixed 140 cells.
    /// </summary>
    public sealed class InactivityProfile
    {
        public const int Days = 14;
        public const int Slots = 48;
        public const int SlotMinutes = 30;
        public const int Sensors = 16;
        public const int SensorBins = 12;
        public const int BinMinutes = 120;
        public const int UnitMinutes = 4;

        /// <summary>Spells recorded on a day for it to count towards <see cref="DaysLearned"/>.</summary>
        public const int SpellsForADay = 8;

        /// <summary>The morning begins at 04:00: the first activity from then on is the day's "up" time.</summary>
        public const int MorningStartMinute = 4 * 60;

        /// <summary>Unit of the stored first-activity time (04:00-23:59 in one byte).</summary>
        public const int UpUnitMinutes = 5;

        private const byte Version = 3;
        private const byte PreviousVersion = 2;
        private const int HeaderBytes = 1 + 8 + 1 + 2 + 4;
        private const int PreviousHeaderBytes = 1 + 8 + 1 + 2;

        private readonly byte[] _onset = new byte[Days * Slots];
        private readonly byte[] _sensor = new byte[Days * Sensors * SensorBins];
        private readonly byte[] _upAt = new byte[Days];
        private readonly byte[] _bedOut = new byte[Days];
        private int _spellsToday;
        private int _layout;

        public InactivityProfile()
        {
            Clear();
        }

        /// <summary>Day number (days since 1970 in local time) of the newest row, or -1.</summary>
        public long CurrentDay { get; private set; }

        /// <summary>Completed days with at least <see cref="SpellsForADay"/> spells at home (capped at 255), for status; the line fades per cell (<see cref="OnsetDaysSeen"/>).</summary>
        public int DaysLearned { get; private set; }

        public void Clear()
        {
            for (int i = 0; i < _onset.Length; i++) _onset[i] = 0;
            for (int i = 0; i < _sensor.Length; i++) _sensor[i] = 0;
            for (int i = 0; i < Days; i++) { _upAt[i] = 0; _bedOut[i] = 0; }
            _layout = 0;
            CurrentDay = -1;
            DaysLearned = 0;
            _spellsToday = 0;
        }

        /// <summary>Starts a new day row when the day changes (also on days with nothing recorded, e.g. away).</summary>
        public void Advance(long day)
        {
            if (day <= CurrentDay) return;
            if (CurrentDay >= 0 && _spellsToday >= SpellsForADay && DaysLearned < 255) DaysLearned++;
            long from = CurrentDay < 0 || day - CurrentDay > Days ? day - Days + 1 : CurrentDay + 1;
            for (long d = from; d <= day; d++) ClearRow(Row(d));
            CurrentDay = day;
            _spellsToday = 0;
        }

        /// <summary>
        /// Records a quiet spell at home of <paramref name="minutes"/> that began on local day <paramref name="onsetDay"/>
        /// at <paramref name="onsetMinute"/> after local midnight, after activity on sensor <paramref name="sensor"/>
        /// (the activity input's number; -1 = only the time of day is learned; beyond <see cref="Sensors"/> sensors
        /// share rows, which only makes their lines more cautious).
        /// </summary>
        public void Record(long onsetDay, int onsetMinute, int sensor, int minutes)
        {
            if (onsetDay > CurrentDay) Advance(onsetDay);
            if (CurrentDay - onsetDay >= Days || onsetMinute < 0 || onsetMinute >= 1440) return;
            byte v = Encode(minutes);
            int row = Row(onsetDay);
            int at = row * Slots + onsetMinute / SlotMinutes;
            if (v > _onset[at]) _onset[at] = v;
            if (sensor >= 0)
            {
                at = (row * Sensors + sensor % Sensors) * SensorBins + onsetMinute / BinMinutes;
                if (v > _sensor[at]) _sensor[at] = v;
            }
            _spellsToday++;
        }

        /// <summary>The longest spell (minutes) that began within ±<paramref name="slotsEachSide"/> half hours of <paramref name="onsetMinute"/> on the kept days, or -1.</summary>
        public int OnsetMaxMinutes(int onsetMinute, int slotsEachSide)
        {
            int centre = onsetMinute / SlotMinutes, max = 0;
            for (int d = 0; d < Days; d++)
            {
                for (int k = -slotsEachSide; k <= slotsEachSide; k++)
                {
                    byte v = _onset[d * Slots + Wrap(centre + k, Slots)];
                    if (v > max) max = v;
                }
            }
            return Decode(max);
        }

        /// <summary>The longest spell after sensor <paramref name="sensor"/> that began within ±<paramref name="binsEachSide"/> two-hour bins of <paramref name="onsetMinute"/>, or -1.</summary>
        public int SensorMaxMinutes(int sensor, int onsetMinute, int binsEachSide)
        {
            if (sensor < 0) return -1;
            sensor %= Sensors;
            int centre = onsetMinute / BinMinutes, max = 0;
            for (int d = 0; d < Days; d++)
            {
                for (int k = -binsEachSide; k <= binsEachSide; k++)
                {
                    byte v = _sensor[(d * Sensors + sensor) * SensorBins + Wrap(centre + k, SensorBins)];
                    if (v > max) max = v;
                }
            }
            return Decode(max);
        }

        /// <summary>Completed kept days (not today) on which a spell began after sensor <paramref name="sensor"/> within ±<paramref name="binsEachSide"/> two-hour bins of <paramref name="onsetMinute"/>.</summary>
        public int SensorDaysSeen(int sensor, int onsetMinute, int binsEachSide)
        {
            if (sensor < 0) return 0;
            sensor %= Sensors;
            return DaysSeen(_sensor, Sensors * SensorBins, sensor * SensorBins, SensorBins, onsetMinute / BinMinutes, binsEachSide);
        }

        /// <summary>
        /// Completed kept days (not today, whose spells at this time may still be going on) on which a spell began
        /// within ±<paramref name="slotsEachSide"/> half hours of <paramref name="onsetMinute"/>: how much of this home
        /// the time-of-day cell has seen (the prior fades out as this grows).
        /// </summary>
        public int OnsetDaysSeen(int onsetMinute, int slotsEachSide)
        {
            return DaysSeen(_onset, Slots, 0, Slots, onsetMinute / SlotMinutes, slotsEachSide);
        }

        /// <summary>
        /// Completed kept days (not today) with any spell in cells <paramref name="centre"/> ± <paramref name="eachSide"/> of a
        /// row of <paramref name="cellsPerRow"/> cells starting at <paramref name="rowOffset"/> in each day's block of
        /// <paramref name="dayStride"/> cells of <paramref name="cells"/>.
        /// </summary>
        private int DaysSeen(byte[] cells, int dayStride, int rowOffset, int cellsPerRow, int centre, int eachSide)
        {
            int days = 0, today = CurrentDay < 0 ? -1 : Row(CurrentDay);
            for (int d = 0; d < Days; d++)
            {
                if (d == today) continue;
                for (int k = -eachSide; k <= eachSide; k++)
                {
                    if (cells[d * dayStride + rowOffset + Wrap(centre + k, cellsPerRow)] != 0) { days++; break; }
                }
            }
            return days;
        }

        /// <summary>Records the first activity of the morning (at or after <see cref="MorningStartMinute"/>) of local day <paramref name="day"/>; later ones that day are ignored.</summary>
        public void RecordUp(long day, int minute)
        {
            if (day > CurrentDay) Advance(day);
            if (CurrentDay - day >= Days || minute < MorningStartMinute || minute >= 1440) return;
            int row = Row(day);
            if (_upAt[row] == 0) _upAt[row] = (byte)((minute - MorningStartMinute) / UpUnitMinutes + 1);
        }

        /// <summary>True when the first activity of the morning of local day <paramref name="day"/> has been recorded.</summary>
        public bool IsUp(long day)
        {
            return day <= CurrentDay && CurrentDay - day < Days && _upAt[Row(day)] != 0;
        }

        /// <summary>Kept days with a first activity of the morning.</summary>
        public int UpDaysSeen()
        {
            int n = 0;
            for (int d = 0; d < Days; d++) if (_upAt[d] != 0) n++;
            return n;
        }

        /// <summary>The latest first activity of the morning on the kept days (minutes after midnight), or -1.</summary>
        public int LatestUpMinute()
        {
            int max = 0;
            for (int d = 0; d < Days; d++) if (_upAt[d] > max) max = _upAt[d];
            return max == 0 ? -1 : MorningStartMinute + (max - 1) * UpUnitMinutes + UpUnitMinutes - 1;
        }

        /// <summary>Records a quiet spell of <paramref name="minutes"/> that began out of bed at night on local day <paramref name="onsetDay"/>.</summary>
        public void RecordBedOut(long onsetDay, int minutes)
        {
            if (onsetDay > CurrentDay) Advance(onsetDay);
            if (CurrentDay - onsetDay >= Days) return;
            byte v = Encode(minutes);
            int row = Row(onsetDay);
            if (v > _bedOut[row]) _bedOut[row] = v;
        }

        /// <summary>Completed kept days (not today) with a quiet spell out of bed at night recorded.</summary>
        public int BedOutNightsSeen()
        {
            int n = 0, today = CurrentDay < 0 ? -1 : Row(CurrentDay);
            for (int d = 0; d < Days; d++) if (d != today && _bedOut[d] != 0) n++;
            return n;
        }

        /// <summary>The longest quiet spell that began out of bed at night on the kept days (minutes), or -1.</summary>
        public int BedOutMaxMinutes()
        {
            int max = 0;
            for (int d = 0; d < Days; d++) if (_bedOut[d] > max) max = _bedOut[d];
            return Decode(max);
        }

        /// <summary>The activity inputs' layout the sensor rows were learned with (a hash of their kinds and ids; 0 = none yet).</summary>
        public int Layout { get { return _layout; } }

        /// <summary>
        /// Sets the activity inputs' layout. When it differs from the one the sensor rows were learned with (inputs
        /// added, removed or reordered), the sensor rows are forgotten, since a row would now mean another sensor; the
        /// time-of-day cells, the mornings and the nights are kept. True when something was forgotten.
        /// </summary>
        public bool SetLayout(int layout)
        {
            if (layout == _layout) return false;
            bool forget = _layout != 0;
            if (forget) for (int i = 0; i < _sensor.Length; i++) _sensor[i] = 0;
            _layout = layout;
            return forget;
        }

        public const int PersistedBytes = HeaderBytes + Days * Slots + Days * Sensors * SensorBins + 2 * Days;

        /// <summary>Size of the previous layout (version 2: no mornings, nights or input layout), still read.</summary>
        public const int PreviousPersistedBytes = PreviousHeaderBytes + Days * Slots + Days * Sensors * SensorBins;

        public void WriteTo(byte[] b)
        {
            b[0] = Version;
            Storage.ByteCodec.PutInt64(b, 1, CurrentDay);
            b[9] = (byte)DaysLearned;
            b[10] = (byte)_spellsToday;
            b[11] = (byte)(_spellsToday >> 8);
            Storage.ByteCodec.PutUInt32(b, 12, (uint)_layout);
            System.Array.Copy(_onset, 0, b, HeaderBytes, _onset.Length);
            System.Array.Copy(_sensor, 0, b, HeaderBytes + _onset.Length, _sensor.Length);
            System.Array.Copy(_upAt, 0, b, HeaderBytes + _onset.Length + _sensor.Length, Days);
            System.Array.Copy(_bedOut, 0, b, HeaderBytes + _onset.Length + _sensor.Length + Days, Days);
        }

        /// <summary>
        /// Loads a saved profile: this layout, or the previous one (version 2, whose cells are kept and whose
        /// mornings and nights start empty); false (and the profile left empty) for anything else.
        /// </summary>
        public bool ReadFrom(byte[] b)
        {
            if (b == null) return false;
            bool current = b.Length == PersistedBytes && b[0] == Version;
            bool previous = b.Length == PreviousPersistedBytes && b[0] == PreviousVersion;
            if (!current && !previous) return false;
            Clear();
            CurrentDay = Storage.ByteCodec.GetInt64(b, 1);
            DaysLearned = b[9];
            _spellsToday = b[10] | (b[11] << 8);
            int at = previous ? PreviousHeaderBytes : HeaderBytes;
            System.Array.Copy(b, at, _onset, 0, _onset.Length);
            System.Array.Copy(b, at + _onset.Length, _sensor, 0, _sensor.Length);
            if (current)
            {
                _layout = (int)Storage.ByteCodec.GetUInt32(b, 12);
                System.Array.Copy(b, at + _onset.Length + _sensor.Length, _upAt, 0, Days);
                System.Array.Copy(b, at + _onset.Length + _sensor.Length + Days, _bedOut, 0, Days);
            }
            return true;
        }

        private void ClearRow(int row)
        {
            for (int s = 0; s < Slots; s++) _onset[row * Slots + s] = 0;
            for (int i = 0; i < Sensors * SensorBins; i++) _sensor[row * Sensors * SensorBins + i] = 0;
            _upAt[row] = 0;
            _bedOut[row] = 0;
        }

        private static byte Encode(int minutes)
        {
            if (minutes < 0) minutes = 0;
            int units = (minutes + UnitMinutes - 1) / UnitMinutes;
            return (byte)(units > 253 ? 254 : units + 1);
        }

        private static int Decode(int v)
        {
            return v == 0 ? -1 : (v - 1) * UnitMinutes;
        }

        private static int Wrap(int i, int n)
        {
            return ((i % n) + n) % n;
        }

        private static int Row(long day)
        {
            return (int)(((day % Days) + Days) % Days);
        }
    }
}
