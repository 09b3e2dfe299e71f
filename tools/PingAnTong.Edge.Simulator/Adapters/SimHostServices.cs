using PingAnTong.Edge.Core;

namespace PingAnTong.Edge.Simulator.Adapters;

public sealed class SimHostServices : IHostServices
{
    public string FirmwareVersion => "0.1.0-sim";
    public string ResetReason { get; set; } = "power_on";
    public long FreeMemoryBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - GC.GetTotalMemory(false);
    public int WifiRssi => 0;
    public bool RebootRequested { get; private set; }

    public void Reboot() => RebootRequested = true;
}
