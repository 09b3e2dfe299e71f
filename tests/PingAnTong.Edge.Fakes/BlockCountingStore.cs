using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Fakes;

/// <summary>
/// A model of the hub's use of <c>I:\</c>: wraps a store and counts every file in whole LittleFS blocks
/// (4 KB on the ESP32's flash: nf-interpreter targets/ESP32 LittleFS config, the partition
/// <c>config, data, littlefs</c> in targets/ESP32/_IDF/esp32/partitions_nanoclr_4mb.csv is 0x40000 =
/// 256 KB), plus the two blocks of the root directory's metadata pair. Tracks the peak after every
/// append and delete, so both outbox generations during a compaction are counted. Small files are
/// counted as a whole block each (conservative: LittleFS may inline very small files in the directory).
/// </summary>
public sealed class BlockCountingStore : IDurableStore
{
    public const int BlockBytes = 4096;
    public const int DirectoryBlocks = 2;

    private readonly IDurableStore _inner;
    private readonly Dictionary<string, int> _lengths = new();
    private long _used;

    public BlockCountingStore(IDurableStore inner) { _inner = inner; }

    /// <summary>Bytes of flash the hub's files take now (whole blocks).</summary>
    public long UsedBytes => _used + DirectoryBlocks * BlockBytes;

    /// <summary>The most <see cref="UsedBytes"/> ever reached.</summary>
    public long PeakBytes { get; private set; }

    /// <summary>The file whose growth set the peak, and every file's length then (for the report).</summary>
    public string PeakFiles { get; private set; } = "";

    public void ResetPeak() { PeakBytes = UsedBytes; }

    public static long Rounded(int length) => length <= 0 ? (length < 0 ? 0 : BlockBytes) : (length + BlockBytes - 1) / BlockBytes * (long)BlockBytes;

    public int GetLength(string name) => _inner.GetLength(name);

    public int Read(string name, int position, byte[] buffer, int offset, int count) => _inner.Read(name, position, buffer, offset, count);

    public void Append(string name, byte[] data, int offset, int count)
    {
        try { _inner.Append(name, data, offset, count); }
        finally { Track(name); }
    }

    public void Delete(string name)
    {
        try { _inner.Delete(name); }
        finally { Track(name); }
    }

    private void Track(string name)
    {
        int before = _lengths.TryGetValue(name, out int b) ? b : -1;
        int after;
        try { after = _inner.GetLength(name); } catch (PowerCutException) { return; }
        _used += Rounded(after) - Rounded(before);
        if (after < 0) _lengths.Remove(name); else _lengths[name] = after;
        if (UsedBytes > PeakBytes)
        {
            PeakBytes = UsedBytes;
            PeakFiles = string.Join(", ", _lengths.OrderBy(kv => kv.Key).Select(kv => kv.Key + " " + (Rounded(kv.Value) / 1024) + "K"));
        }
    }
}
