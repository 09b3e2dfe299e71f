using System.Diagnostics;
using PingAnTong.Edge.Core;

namespace PingAnTong.Edge.Simulator.Adapters;

/// <summary>Real time: a monotonic stopwatch for uptime and the machine's UTC clock (a PC's clock is synchronised).</summary>
public sealed class SystemClock : IClock
{
    private readonly Stopwatch _uptime = Stopwatch.StartNew();

    public long UptimeMs => _uptime.ElapsedMilliseconds;

    public long UtcMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
