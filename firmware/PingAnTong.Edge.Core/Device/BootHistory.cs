using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Core.Device
{
    /// <summary>
    /// What the device remembers across resets to tell a crash loop from ordinary power cuts, and
    /// to report why it restarted. Before an intentional reboot the host records the reason
    /// (<see cref="RecordReboot"/>); a boot that finds no reason and whose predecessor never became
    /// stable was a crash, a hard fault or a power cut, which the hardware cannot tell apart. After
    /// <see cref="CrashBootsForSafeMode"/> such boots in a row the device starts in safe mode and stays
    /// there until someone reboots it on purpose (console, backend command), so a fault that needs a
    /// technician is not hidden by an automatic retry. Settings and stored messages are never touched.
    /// Two small writes per boot.
    /// </summary>
    public sealed class BootHistory
    {
        public const int CrashBootsForSafeMode = 5;
        /// <summary>Uptime after which a boot counts as stable (the host calls <see cref="MarkStable"/>).</summary>
        public const long StableAfterMs = 10 * 60 * 1000;

        public const string ReasonPowerOn = "power_on";
        public const string ReasonSoftware = "software";
        public const string ReasonWatchdog = "watchdog";
        public const string ReasonCrash = "crash";
        public const string ReasonUnknown = "unknown";

        private readonly DualSlotFile _file;
        private int _streak;
        private bool _stable;
        private bool _safeMode;

        public BootHistory(IDurableStore store)
        {
            _file = new DualSlotFile(store, "boot-history");
            ResetReason = ReasonUnknown;
        }

        /// <summary>Why this boot happened: power_on, software, watchdog, crash, or unknown (an unstable predecessor that left no reason).</summary>
        public string ResetReason { get; private set; }
        /// <summary>Boots in a row that ended without becoming stable and without a deliberate reboot, this one included when it followed one.</summary>
        public int CrashStreak { get { return _streak; } }
        public bool SafeMode { get { return _safeMode; } }
        public bool FoundDamage { get; private set; }

        /// <summary>Call once, first thing at boot.</summary>
        public void Begin()
        {
            byte[] data = _file.Read();
            FoundDamage = _file.LastReadFoundDamage;
            int streak = 0;
            bool wasStable = true;
            bool wasSafe = false;
            string reason = "";
            if (data != null && data.Length >= 6)
            {
                streak = (int)ByteCodec.GetUInt32(data, 0);
                wasStable = data[4] != 0;
                wasSafe = data[5] != 0;
                int at = 6;
                if (data.Length > 6) reason = ByteCodec.GetString(data, ref at);
            }
            else if (data == null)
            {
                reason = ReasonPowerOn; // first boot ever, or history lost: start clean
            }

            if (reason == ReasonSoftware)
            {
                streak = 0; // someone rebooted it on purpose: leave safe mode
                wasSafe = false;
            }
            else if (reason == ReasonWatchdog || reason == ReasonCrash || (reason.Length == 0 && !wasStable))
            {
                streak++;
            }
            else if (!wasSafe)
            {
                streak = 0;
            }
            ResetReason = reason.Length > 0 ? reason : (wasStable ? ReasonPowerOn : ReasonUnknown);
            _streak = streak;
            _safeMode = wasSafe || streak >= CrashBootsForSafeMode;
            _stable = false;
            Save("");
        }

        /// <summary>The boot has run long enough to count as healthy. In safe mode the streak is kept (safe mode holds until a deliberate reboot).</summary>
        public void MarkStable()
        {
            if (_stable) return;
            _stable = true;
            if (!_safeMode) _streak = 0;
            Save("");
        }

        /// <summary>Records why the device is about to reboot on purpose (software, watchdog, crash).</summary>
        public void RecordReboot(string reason)
        {
            Save(reason);
        }

        private void Save(string reason)
        {
            byte[] data = new byte[6 + ByteCodec.StringBytes(reason)];
            ByteCodec.PutUInt32(data, 0, (uint)_streak);
            data[4] = (byte)(_stable ? 1 : 0);
            data[5] = (byte)(_safeMode ? 1 : 0);
            int n = ByteCodec.PutString(data, 6, reason);
            _file.Write(data, 0, n);
        }
    }
}
