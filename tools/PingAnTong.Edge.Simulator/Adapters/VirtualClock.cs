using PingAnTong.Edge.Core;

namespace PingAnTong.Edge.Simulator.Adapters;

/// <summary>Virtual time for replay and scenarios: runs as fast as the machine allows; the wall clock is always known.</summary>
public sealed class VirtualClock : IClock
{
    private readonly long _utcAtZero;

    public VirtualClock(long utcAtZeroUptimeMs) => _utcAtZero = utcAtZeroUptimeMs;

    public long UptimeMs { get; private set; }

    public long UtcMs => _utcAtZero + UptimeMs;

    public void AdvanceTo(long uptimeMs)
    {
        if (uptimeMs > UptimeMs) UptimeMs = uptimeMs;
    }
}
