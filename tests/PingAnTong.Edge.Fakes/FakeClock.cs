using PingAnTong.Edge.Core;

namespace PingAnTong.Edge.Fakes;

/// <summary>A clock the test moves by hand. Wall time is unknown (-1) until <see cref="SyncWallClock"/>.</summary>
public sealed class FakeClock : IClock
{
    private long _utcAtZeroUptime = -1;

    public long UptimeMs { get; private set; }

    public long UtcMs => _utcAtZeroUptime < 0 ? -1 : _utcAtZeroUptime + UptimeMs;

    public void Advance(long ms) => UptimeMs += ms;

    public void SyncWallClock(long utcMsNow) => _utcAtZeroUptime = utcMsNow - UptimeMs;

    public void SyncWallClock(DateTime utc) => SyncWallClock(new DateTimeOffset(utc, TimeSpan.Zero).ToUnixTimeMilliseconds());
}
