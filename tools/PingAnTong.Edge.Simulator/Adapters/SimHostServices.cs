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

    /// <summary>Secret files held in memory (the session's command key, see <see cref="CentreKey"/>); other paths are read from disk.</summary>
    public IReadOnlyDictionary<string, byte[]> SecretFiles { get; init; } = new Dictionary<string, byte[]>();

    public void Reboot() => RebootRequested = true;

    public byte[] ReadSecretFile(string path)
    {
        if (SecretFiles.TryGetValue(path, out var bytes)) return (byte[])bytes.Clone();
        try
        {
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
