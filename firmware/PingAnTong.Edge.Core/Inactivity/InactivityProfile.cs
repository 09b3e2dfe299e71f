namespace PingAnTong.Edge.Core.Inactivity
{
    /// <summary>
    /// The learned time-of-day profile: for each of the last <see cref="Days"/> days and each half-hour
    /// boundary of the local day, how long the home had been inactive at that moment (minutes), while the
    /// resident was at home. 14 × 48 × 2 bytes = 1,344 bytes; O(1) to record, O(days) to read one slot.
    /// After Cuddihy et al. 2007 (elapsed inactivity sampled at 30-min slot boundaries, alert line from
    /// the high end of each slot's history and its neighbours).
    /// </summary>
    public sealed class InactivityProfile
    {
        public const int Slots = 48;
        public const int Days = 14;
        public const long SlotMs = 1800000L;
        public const ushort NoSample = 0xFFFF;

        private readonly ushort[] _samples = new ushort[Days * Slots];

        // The main sleep of recent nights: when the longest evening/night quiet began (minutes after
        // noon, so an evening and the small hours are one range) and how long it lasted.
        private readonly ushort[] _sleepOnset = new ushort[Days];
        private readonly ushort[] _sleepMinutes = new ushort[Days];
        private int _sleepNext;

        public InactivityProfile()
        {
            Clear();
        }

        /// <summary>Day number (days since 1970 in local time) of the newest row, or -1.</summary>
        public long CurrentDay { get; private set; }

        /// <summary>Completed days that carried samples (capped at 255); the profile is trusted from 7.</summary>
        public int DaysLearned { get; private set; }

        private int _samplesToday;

        public void Clear()
        {
            for (int i = 0; i < _samples.Length; i++) _samples[i] = NoSample;
            for (int i = 0; i < Days; i++) { _sleepOnset[i] = NoSample; _sleepMinutes[i] = 0; }
            _sleepNext = 0;
            CurrentDay = -1;
            DaysLearned = 0;
            _samplesToday = 0;
        }

        /// <summary>Records the inactivity (minutes) at the boundary <paramref name="slot"/> of local day <paramref name="day"/>.</summary>
        public void Record(long day, int slot, int minutes)
        {
            Advance(day);
            if (minutes > 65000) minutes = 65000;
            _samples[Row(day) * Slots + slot] = (ushort)minutes;
            _samplesToday++;
        }

        /// <summary>Starts a new day row when the day changes (also when nothing is recorded, e.g. while away).</summary>
        public void Advance(long day)
        {
            if (day == CurrentDay) return;
            if (CurrentDay >= 0 && _samplesToday >= 8 && DaysLearned < 255) DaysLearned++;
            long from = CurrentDay < 0 || day - CurrentDay > Days ? day : CurrentDay + 1;
            for (long d = from; d <= day; d++)
            {
                int row = Row(d);
                for (int s = 0; s < Slots; s++) _samples[row * Slots + s] = NoSample;
            }
            CurrentDay = day;
            _samplesToday = 0;
        }

        /// <summary>
        /// The highest inactivity seen at boundaries <paramref name="firstSlot"/>..+<paramref name="count"/>-1 (wrapping)
        /// on the previous days, or -1 when none. Today is left out: the quiet going on now must not raise its own line.
        /// </summary>
        public int MaxMinutes(int firstSlot, int count)
        {
            int max = -1;
            int today = CurrentDay < 0 ? -1 : Row(CurrentDay);
            for (int d = 0; d < Days; d++)
            {
                if (d == today) continue;
                for (int k = 0; k < count; k++)
                {
                    int slot = ((firstSlot + k) % Slots + Slots) % Slots;
                    int v = _samples[d * Slots + slot];
                    if (v != NoSample && v > max) max = v;
                }
            }
            return max;
        }

        /// <summary>Records a night's main sleep: a quiet spell of at least 3 h that began between 18:00 and 06:00.</summary>
        public void RecordSleep(int onsetMinuteOfDay, int minutes)
        {
            _sleepOnset[_sleepNext] = (ushort)((onsetMinuteOfDay + 720) % 1440);
            _sleepMinutes[_sleepNext] = (ushort)(minutes > 65000 ? 65000 : minutes);
            _sleepNext = (_sleepNext + 1) % Days;
        }

        /// <summary>
        /// If a quiet spell that began at <paramref name="onsetMinuteOfDay"/> starts within an hour of the
        /// bedtimes of recent nights (at least 3 of them), the longest of those sleeps in minutes; else -1.
        /// </summary>
        public int SleepMinutesIfBedtime(int onsetMinuteOfDay)
        {
            int rel = (onsetMinuteOfDay + 720) % 1440;
            int count = 0, earliest = 1440, latest = -1, longest = -1;
            for (int i = 0; i < Days; i++)
            {
                if (_sleepOnset[i] == NoSample) continue;
                count++;
                if (_sleepOnset[i] < earliest) earliest = _sleepOnset[i];
                if (_sleepOnset[i] > latest) latest = _sleepOnset[i];
                if (_sleepMinutes[i] > longest) longest = _sleepMinutes[i];
            }
            if (count < 3 || rel < earliest - 60 || rel > latest + 60) return -1;
            return longest;
        }

        private static int Row(long day)
        {
            return (int)(((day % Days) + Days) % Days);
        }

        public const int PersistedBytes = 8 + 2 + 2 + Days * Slots * 2 + Days * 4 + 1;

        public void WriteTo(byte[] b)
        {
            Storage.ByteCodec.PutInt64(b, 0, CurrentDay);
            b[8] = (byte)DaysLearned;
            b[9] = 0;
            b[10] = (byte)_samplesToday;
            b[11] = (byte)(_samplesToday >> 8);
            for (int i = 0; i < _samples.Length; i++)
            {
                b[12 + 2 * i] = (byte)_samples[i];
                b[13 + 2 * i] = (byte)(_samples[i] >> 8);
            }
            int at = 12 + 2 * _samples.Length;
            for (int i = 0; i < Days; i++)
            {
                b[at++] = (byte)_sleepOnset[i];
                b[at++] = (byte)(_sleepOnset[i] >> 8);
                b[at++] = (byte)_sleepMinutes[i];
                b[at++] = (byte)(_sleepMinutes[i] >> 8);
            }
            b[at] = (byte)_sleepNext;
        }

        public bool ReadFrom(byte[] b)
        {
            if (b == null || b.Length != PersistedBytes) return false;
            CurrentDay = Storage.ByteCodec.GetInt64(b, 0);
            DaysLearned = b[8];
            _samplesToday = b[10] | (b[11] << 8);
            for (int i = 0; i < _samples.Length; i++) _samples[i] = (ushort)(b[12 + 2 * i] | (b[13 + 2 * i] << 8));
            int at = 12 + 2 * _samples.Length;
            for (int i = 0; i < Days; i++)
            {
                _sleepOnset[i] = (ushort)(b[at] | (b[at + 1] << 8));
                _sleepMinutes[i] = (ushort)(b[at + 2] | (b[at + 3] << 8));
                at += 4;
            }
            _sleepNext = b[at] % Days;
            return true;
        }
    }
}
