using PingAnTong.Edge.Core;

namespace PingAnTong.Edge.Simulator.Adapters;

public sealed class SimHostServices : IHostServices
{
    public string FirmwareVersion => "0.1.0-sim";
    public string ResetReason { get; set; } = "power_on";
    /// <summary>False in replay, so its output is the same on every machine (free memory is then reported as -1, unknown).</summary>
    public bool ReportMemory { get; init; } = true;

    public long FreeMemoryBytes => ReportMemory ? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - GC.GetTotalMemory(false) : -1;
    public int WifiRssi => 0;
    public bool RebootRequested { get; private set; }

    public void Reboot() => RebootRequested = true;
}
