namespace PingAnTong.Edge.Core
{
    /// <summary>
    /// Time as the hub sees it: a monotonic uptime that always works, and wall time that is
    /// unknown until SNTP (device) or the host (simulator) has set it. The core never reads a
    /// system clock directly; tests use a fake.
    /// </summary>
    public interface IClock
    {
        long UptimeMs { get; }

        /// <summary>Milliseconds since 1970-01-01 UTC, or -1 while the clock is not synchronised.</summary>
        long UtcMs { get; }
    }
}
