using PingAnTong.Edge.Core;

namespace PingAnTong.Edge.Fakes;

public sealed class FakeHost : IHostServices
{
    public string FirmwareVersion { get; set; } = "0.1.0-test";
    public string ResetReason { get; set; } = "power_on";
    public long FreeMemoryBytes { get; set; } = 100_000;
    public int WifiRssi { get; set; } = -60;
    public int Reboots { get; private set; }

    public void Reboot() => Reboots++;
}
