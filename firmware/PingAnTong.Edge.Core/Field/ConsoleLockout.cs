using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Core.Field
{
    /// <summary>
    /// How often the installer PIN may be tried, kept on storage so a reboot does not reset it. After a
    /// wrong PIN the next one is checked <see cref="PauseMs"/> later at the earliest (so the hub loop never
    /// spends more than one PIN check in a row); after <see cref="FreeAttempts"/> wrong PINs in a row the
    /// console waits <see cref="FirstLockoutMs"/>, doubling with every further wrong PIN up to
    /// <see cref="MaxLockoutMs"/>. Only a right PIN clears the count. The wait runs on uptime, and a reboot
    /// starts it again from the boot: pulling the plug never shortens it.
    /// </summary>
    public sealed class ConsoleLockout
    {
        public const int FreeAttempts = 5;
        public const long PauseMs = 2000;
        public const long FirstLockoutMs = 5 * 60000L;

        /// <summary>At one guess an hour even a 5-digit PIN takes years; a technician who mistyped waits an hour at most.</summary>
        public const long MaxLockoutMs = 60 * 60000L;

        private readonly DualSlotFile _file;
        private readonly byte[] _buffer = new byte[4];
        private long _lastFailureMs = -1;

        public ConsoleLockout(IDurableStore store)
        {
            _file = new DualSlotFile(store, "console");
        }

        /// <summary>Wrong PINs since the last right one (across reboots).</summary>
        public int Failures { get; private set; }

        public bool FoundDamage { get; private set; }

        public int WriteFailures { get; private set; }

        /// <summary>At boot: restores the count; a pending wait starts again now.</summary>
        public void Load(long nowMs)
        {
            byte[] data = _file.Read();
            FoundDamage = _file.LastReadFoundDamage;
            Failures = data != null && data.Length >= 4 ? (int)ByteCodec.GetUInt32(data, 0) : 0;
            if (Failures < 0) Failures = int.MaxValue;
            _lastFailureMs = Failures > 0 ? nowMs : -1;
        }

        /// <summary>The wait after <paramref name="failures"/> wrong PINs in a row.</summary>
        public static long WaitAfter(int failures)
        {
            if (failures <= 0) return 0;
            if (failures < FreeAttempts) return PauseMs;
            long wait = FirstLockoutMs;
            for (int i = FreeAttempts; i < failures && wait < MaxLockoutMs; i++) wait *= 2;
            return wait > MaxLockoutMs ? MaxLockoutMs : wait;
        }

        /// <summary>How long until the next PIN may be checked (0: now).</summary>
        public long RemainingMs(long nowMs)
        {
            if (_lastFailureMs < 0) return 0;
            long left = _lastFailureMs + WaitAfter(Failures) - nowMs;
            return left > 0 ? left : 0;
        }

        /// <summary>True when the console is locked out (not merely pausing between attempts).</summary>
        public bool LockedOut(long nowMs)
        {
            return Failures >= FreeAttempts && RemainingMs(nowMs) > 0;
        }

        public void OnWrongPin(long nowMs)
        {
            if (Failures < int.MaxValue) Failures++;
            _lastFailureMs = nowMs;
            Save();
        }

        public void OnRightPin()
        {
            _lastFailureMs = -1;
            if (Failures == 0) return;
            Failures = 0;
            Save();
        }

        private void Save()
        {
            ByteCodec.PutUInt32(_buffer, 0, (uint)Failures);
            try
            {
                _file.Write(_buffer, 0, 4);
            }
            catch (StorageException)
            {
                WriteFailures++;
            }
        }
    }
}
