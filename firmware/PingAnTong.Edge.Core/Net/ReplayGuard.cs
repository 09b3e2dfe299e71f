using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Core.Net
{
    /// <summary>
    /// Refuses old and replayed commands. A signed command is fresh when its <c>issuedAt</c> is within
    /// <see cref="WindowMs"/> of the hub's SNTP clock. Within that window a copy of a command the hub has
    /// carried out is either answered from the processor's memory of recent replies (a re-send: same reply,
    /// not carried out again) or refused here: every command issued at or before <see cref="FloorMs"/> is a
    /// replay. The floor rises to a command's issue time when the memory forgets it (so memory stays
    /// bounded), and a reboot, which empties the memory, starts it at the newest issue time ever accepted
    /// (kept in a two-slot file, written once per command). Issue times are only trusted to move the floor
    /// when the hub's clock checked them, so a command accepted before clock sync cannot push it ahead.
    /// </summary>
    public sealed class ReplayGuard
    {
        /// <summary>±10 minutes: wide enough for clock drift and a broker's queue after a short outage, short enough that a captured command soon dies.</summary>
        public const long WindowMs = 600000L;

        /// <summary>The issue time recorded for a command accepted while the hub's clock was not synced: it never moves the floor.</summary>
        public const long Unchecked = long.MinValue;

        private readonly DualSlotFile _file;
        private readonly byte[] _buffer = new byte[8];
        private long _newestMs = Unchecked;

        public ReplayGuard(IDurableStore store)
        {
            _file = new DualSlotFile(store, "cmdtime");
            FloorMs = Unchecked;
        }

        /// <summary>Commands issued at or before this time (Unix ms) are refused as replays.</summary>
        public long FloorMs { get; private set; }

        public bool FoundDamage { get; private set; }

        /// <summary>Writes of the newest issue time that failed (the hub reports a storage fault; the floor holds in RAM).</summary>
        public int WriteFailures { get; private set; }

        /// <summary>At boot: the floor starts at the newest issue time accepted before the reboot.</summary>
        public void Load()
        {
            byte[] data = _file.Read();
            FoundDamage = _file.LastReadFoundDamage;
            if (data != null && data.Length >= 8)
            {
                _newestMs = ByteCodec.GetInt64(data, 0);
                FloorMs = _newestMs;
            }
        }

        /// <summary>
        /// Null when a command issued at <paramref name="issuedAtMs"/> is fresh by the hub's clock
        /// (<paramref name="utcNowMs"/>, -1 when not synced), else why not.
        /// </summary>
        public static string CheckFresh(long issuedAtMs, long utcNowMs)
        {
            if (utcNowMs < 0) return "the hub's clock is not synchronised yet, so it cannot tell a fresh command from an old one";
            long age = utcNowMs - issuedAtMs;
            if (age > WindowMs) return "issued " + (age / 1000).ToString() + " s ago by the hub's clock, more than the " + (WindowMs / 1000).ToString() + " s allowed: sign it again with the current time";
            if (-age > WindowMs) return "issued " + (-age / 1000).ToString() + " s in the future by the hub's clock, more than the " + (WindowMs / 1000).ToString() + " s allowed: check the backend's clock";
            return null;
        }

        public bool IsReplay(long issuedAtMs)
        {
            return issuedAtMs <= FloorMs;
        }

        /// <summary>A command was accepted; <paramref name="checkedIssuedAtMs"/> is its issue time, or <see cref="Unchecked"/>.</summary>
        public void OnAccepted(long checkedIssuedAtMs)
        {
            if (checkedIssuedAtMs == Unchecked || checkedIssuedAtMs <= _newestMs) return;
            _newestMs = checkedIssuedAtMs;
            ByteCodec.PutInt64(_buffer, 0, _newestMs);
            try
            {
                _file.Write(_buffer, 0, 8);
            }
            catch (StorageException)
            {
                WriteFailures++;
            }
        }

        /// <summary>The reply memory forgot a command: from now on its copies are refused here.</summary>
        public void OnForgotten(long checkedIssuedAtMs)
        {
            if (checkedIssuedAtMs != Unchecked && checkedIssuedAtMs > FloorMs) FloorMs = checkedIssuedAtMs;
        }
    }
}
