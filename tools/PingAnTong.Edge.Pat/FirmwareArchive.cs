using System.IO.Compression;
using System.Text.Json;

namespace PingAnTong.Edge.Pat;

/// <summary>
/// A nanoff firmware archive (the folder of <c>nanoff --updatearchive --archivepath DIR</c>, flashed from with
/// <c>--fromarchive --archivepath DIR</c>), checked by content the way nanoff reads it, so a wrong folder is refused at
/// the desk and not half-way through a flash on site. Read in nanoframework/nanoFirmwareFlasher at v2.5.162:
/// <list type="bullet">
/// <item><c>FirmwareArchiveManager.GetLatestVersion</c>: the target's version is taken from the package information
/// files <c>{target}-*.json</c> (JSON with Name, Version, Platform, IsPreview; written by <c>DownloadFirmwareFromRepository</c>
/// as <c>{zip}.json</c>), the highest <c>System.Version</c> among those that are not previews;</item>
/// <item><c>FirmwarePackage.DownloadPackageAsync</c>: the package is then <c>{target}-{version}.zip</c> in that folder
/// (missing: E9015), extracted flat (<c>SafeExtractZipToDirectory</c>);</item>
/// <item><c>Esp32Firmware.DownloadAndExtractAsync</c>: it flashes <c>bootloader.bin</c>, <c>nanoCLR.bin</c> and
/// <c>partitions_{N}mb.bin</c> for the flash size detected on the chip (or <c>--partitiontablesize</c>) from the
/// extracted folder.</item>
/// </list>
/// </summary>
public static class FirmwareArchive
{
    /// <summary>The target's package in <paramref name="dir"/>, or null with the one-line <paramref name="problem"/>.</summary>
    public static (string Zip, string Version) Check(string dir, string target, int flashMegabytes, out string problem)
    {
        problem = null;
        if (File.Exists(dir) && dir.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            problem = Text.Get("FlashArchiveIsZip", dir, target);
            return default;
        }
        if (!Directory.Exists(dir))
        {
            problem = Text.Get("FlashArchiveNotFound", dir, target);
            return default;
        }
        Version latest = null;
        string latestText = null;
        foreach (string info in Directory.EnumerateFiles(dir, target + "-*.json"))
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(info));
                // nanoff deserializes these with System.Text.Json's defaults: the names as it writes them.
                var root = doc.RootElement;
                bool preview = root.TryGetProperty("IsPreview", out var p) && p.ValueKind == JsonValueKind.True;
                string version = root.TryGetProperty("Version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                if (!preview && Version.TryParse(version, out var parsed) && (latest == null || parsed > latest))
                {
                    latest = parsed;
                    latestText = version;
                }
            }
            catch (JsonException)
            {
                problem = Text.Get("FlashArchiveBadInfo", dir, Path.GetFileName(info), target);
                return default;
            }
        }
        if (latestText == null)
        {
            problem = Text.Get("FlashArchiveEmpty", dir, target);
            return default;
        }
        string zipName = $"{target}-{latestText}.zip";
        string zip = Path.Combine(dir, zipName);
        if (!File.Exists(zip))
        {
            problem = Text.Get("FlashArchiveZipMissing", dir, zipName, target);
            return default;
        }
        var needed = new[] { "bootloader.bin", "nanoCLR.bin", $"partitions_{flashMegabytes}mb.bin" };
        HashSet<string> entries;
        try
        {
            using var archive = ZipFile.OpenRead(zip);
            entries = archive.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        }
        catch (InvalidDataException)
        {
            problem = Text.Get("FlashArchiveNotZip", dir, zipName, target);
            return default;
        }
        var missing = needed.Where(n => !entries.Contains(n)).ToList();
        if (missing.Count > 0)
        {
            problem = Text.Get("FlashArchiveIncomplete", dir, zipName, string.Join(", ", missing), flashMegabytes, target);
            return default;
        }
        return (zip, latestText);
    }
}
