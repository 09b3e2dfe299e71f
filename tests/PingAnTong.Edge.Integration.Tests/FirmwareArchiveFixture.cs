using System.IO.Compression;
using System.Text.Json;

namespace PingAnTong.Edge.Tests;

/// <summary>
/// A nanoff firmware archive folder as nanoff --updatearchive leaves it (nanoFirmwareFlasher v2.5.162,
/// FirmwareArchiveManager.DownloadFirmwareFromRepository): TARGET-VERSION.zip and TARGET-VERSION.zip.json with the
/// package information; the zip holds the ESP32 package's files at its root.
/// </summary>
public static class FirmwareArchiveFixture
{
    public static readonly string[] Esp32Rev3Files = { "bootloader.bin", "nanoCLR.bin", "partitions_2mb.bin", "partitions_4mb.bin", "partitions_8mb.bin", "partitions_16mb.bin" };

    /// <summary>Writes the package information and, unless <paramref name="entries"/> is null, the zip with those entries.</summary>
    public static string Write(string dir, string target, string version, string[] entries, bool info = true)
    {
        Directory.CreateDirectory(dir);
        string zip = Path.Combine(dir, $"{target}-{version}.zip");
        if (entries != null)
        {
            using var archive = ZipFile.Open(zip, ZipArchiveMode.Create);
            foreach (var e in entries)
            {
                using var s = archive.CreateEntry(e).Open();
                s.Write(new byte[] { 0xE9, 0x03, 0x02, 0x20 });
            }
        }
        if (info)
            File.WriteAllText(zip + ".json", JsonSerializer.Serialize(new { IsPreview = false, Name = target, Version = version, Platform = "esp32" }));
        return zip;
    }
}
