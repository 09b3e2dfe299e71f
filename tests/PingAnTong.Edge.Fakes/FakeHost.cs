using PingAnTong.Edge.Core;

namespace PingAnTong.Edge.Fakes;

public sealed class FakeHost : IHostServices
{
    public string FirmwareVersion { get; set; } = "0.1.0-test";
    public string ResetReason { get; set; } = "power_on";
    public long FreeMemoryBytes { get; set; } = 100_000;
    public int WifiRssi { get; set; } = -60;
    public int Reboots { get; private set; }

    /// <summary>Secret files by path, as deployed on the device (the core wipes what it is given, so each read is a copy).</summary>
    public Dictionary<string, byte[]> SecretFiles { get; } = new();

    /// <summary>Paths of secret files the core asked for.</summary>
    public List<string> SecretReads { get; } = new();

    public void Reboot() => Reboots++;

    public byte[] ReadSecretFile(string path)
    {
        SecretReads.Add(path);
        return SecretFiles.TryGetValue(path, out var bytes) ? (byte[])bytes.Clone() : null;
    }
}
