namespace PingAnTong.Edge.Core.Inactivity
{
    /// <summary>
    /// What the home's ordinary quiet spells look like, learned online: for each of the last <see cref="Days"/>
    /// days, the longest quiet spell at home that began in each half hour of the local day, and the longest
    /// that began in each two hours after each activity sensor (the sensor that fired last says where the
    /// resident is: a spell after the kitchen cupboard is short, one after the couch or the bedroom door long).
    /// One byte per cell in <see cref="UnitMinutes"/>-minute units (0 = no spell seen):
    /// 14 × 48 + 14 × 16 × 12 = 3,360 bytes. O(1) to record; reading one line touches a fixed 140 cells.
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

        private const byte Version = 2;
        private const int HeaderBytes = 1 + 8 + 1 + 2;

        private readonly byte[] _onset = new byte[Days * Slots];
        private readonly byte[] _sensor = new byte[Days * Sensors * SensorBins];
        private int _spellsToday;

        public InactivityProfile()
        {
            Clear();
        }

        /// <summary>Day number (days since 1970 in local time) of the newest row, or -1.</summary>
        public long CurrentDay { get; private set; }

        /// <summary>Completed days with at least <see cref="SpellsForADay"/> spells at home (capped at 255); trusted from 7.</summary>
        public int DaysLearned { get; private set; }

        public void Clear()
        {
            for (int i = 0; i < _onset.Length; i++) _onset[i] = 0;
            for (int i = 0; i < _sensor.Length; i++) _sensor[i] = 0;
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

        public const int PersistedBytes = HeaderBytes + Days * Slots + Days * Sensors * SensorBins;

        public void WriteTo(byte[] b)
        {
            b[0] = Version;
            Storage.ByteCodec.PutInt64(b, 1, CurrentDay);
            b[9] = (byte)DaysLearned;
            b[10] = (byte)_spellsToday;
            b[11] = (byte)(_spellsToday >> 8);
            System.Array.Copy(_onset, 0, b, HeaderBytes, _onset.Length);
            System.Array.Copy(_sensor, 0, b, HeaderBytes + _onset.Length, _sensor.Length);
        }

        /// <summary>Loads a saved profile; false (and the profile left empty) for anything else, e.g. an older layout.</summary>
        public bool ReadFrom(byte[] b)
        {
            if (b == null || b.Length != PersistedBytes || b[0] != Version) return false;
            CurrentDay = Storage.ByteCodec.GetInt64(b, 1);
            DaysLearned = b[9];
            _spellsToday = b[10] | (b[11] << 8);
            System.Array.Copy(b, HeaderBytes, _onset, 0, _onset.Length);
            System.Array.Copy(b, HeaderBytes + _onset.Length, _sensor, 0, _sensor.Length);
            return true;
        }

        private void ClearRow(int row)
        {
            for (int s = 0; s < Slots; s++) _onset[row * Slots + s] = 0;
            for (int i = 0; i < Sensors * SensorBins; i++) _sensor[row * Sensors * SensorBins + i] = 0;
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
