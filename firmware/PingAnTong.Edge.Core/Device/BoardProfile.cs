namespace PingAnTong.Edge.Core.Device
{
    /// <summary>
    /// What a board gives the hub: flash (which sets the size of <c>I:\</c>) and PSRAM (which sets the
    /// managed heap), and the hub's budgets and limits derived from them. Declared per board in
    /// hardware/boards/*.json (<c>flashMegabytes</c>, <c>psramMegabytes</c>) and passed to the Hub, so the
    /// outbox never grows past what the board can hold.
    /// <para>
    /// Sources: <c>I:\</c> is the LittleFS partition <c>config</c> of nanoFramework's partition tables,
    /// nf-interpreter targets/ESP32/_IDF/esp32/partitions_nanoclr_4mb.csv (0x40000 = 256 KB),
    /// _8mb.csv (0x200000 = 2 MB), _16mb.csv (0x300000 = 3 MB), shared with the network configuration
    /// and certificates, in 4 KB blocks. The managed heap is what internal RAM has left (~100 KB on a
    /// WROOM-32E), or the PSRAM when there is some (targets/ESP32/_nanoCLR/Memory.cpp); the ESP32 maps
    /// at most 4 MB of PSRAM.
    /// </para>
    /// <para>
    /// Budgets: without PSRAM the hub's own objects may take 48 KB, leaving about half the heap to
    /// TLS, MQTT, Wi-Fi and the GC's slack; <c>I:\</c> may hold 5/8 of the partition (160 KB of 256 KB),
    /// leaving the rest to network config, certificates and LittleFS's copy-on-write headroom.
    /// Limits: the outbox's entry limit is what the heap budget has left after the hub's measured
    /// baseline, at the measured cost of an entry; its byte capacity is what <c>I:\</c> has left after the
    /// other files, divided by 3.25 (one generation may grow to 1.5 × capacity before compaction,
    /// and compaction writes the next one beside it: the capacity counts bodies, and the records' headers
    /// and framing add about 40 %, measured). The figures are checked by
    /// tests/PingAnTong.Edge.Tests/Budget against nanoCLR's heap and LittleFS block models.
    /// </para>
    /// </summary>
    public sealed class BoardProfile
    {
        /// <summary>
        /// Managed heap of a started, connected hub with an empty outbox, plus a day's growth and a margin: 33.2 KB idle and
        /// 33.7 KB after the reference day in the heap model on 2026-12-01 (the model counts more than the 21-23 KB measured
        /// on the real interpreter). Was 32 KB, which let the 8 and 16 MB boards' worst case reach 49 KB.
        /// </summary>
        public const int HubBaselineHeapBytes = 35 * 1024;

        /// <summary>Heap per outbox entry: 7 blocks for the packed OutboxEntry, 1 for its ArrayList slot, 1 for ArrayList growth and the compaction's position array.</summary>
        public const int OutboxEntryHeapBytes = 9 * 12;

        /// <summary>Whole blocks of the small files (config, counters and inactivity profile in two slots each, boot history, the directory's metadata pair).</summary>
        public const int FixedFilesBytes = 8 * 4096;

        /// <summary>Bytes one event-log record takes on flash (measured: 250 records fill 52 KB).</summary>
        public const int EventLogRecordBytes = 210;

        public const int KB = 1024;

        public string Name;
        public int FlashMegabytes;
        public int PsramMegabytes;
        public int FileSystemBytes;
        public int ManagedHeapBytes;
        public int HeapBudgetBytes;
        public int FileSystemBudgetBytes;
        public int EventLogPerFile;
        public int OutboxCapacityBytes;
        public int OutboxMaxEntries;

        /// <summary>The pilot's reference board: ESP32-DevKitC V4 with a WROOM-32E, 4 MB flash, no PSRAM.</summary>
        public static BoardProfile Reference { get { return For("esp32-devkitc-v4", 4, 0); } }

        /// <summary>Derives the budgets and limits for a module with <paramref name="flashMegabytes"/> of flash and <paramref name="psramMegabytes"/> of PSRAM.</summary>
        public static BoardProfile For(string name, int flashMegabytes, int psramMegabytes)
        {
            BoardProfile p = new BoardProfile();
            p.Name = name;
            p.FlashMegabytes = flashMegabytes;
            p.PsramMegabytes = psramMegabytes;
            p.FileSystemBytes = flashMegabytes >= 16 ? 3 * KB * KB : flashMegabytes >= 8 ? 2 * KB * KB : 256 * KB;
            int mappedPsram = psramMegabytes > 4 ? 4 : psramMegabytes;
            p.ManagedHeapBytes = mappedPsram > 0 ? mappedPsram * KB * KB - 256 * KB : 100 * KB;
            p.HeapBudgetBytes = mappedPsram > 0 ? p.ManagedHeapBytes / 2 : 48 * KB;
            p.FileSystemBudgetBytes = p.FileSystemBytes / 8 * 5;
            p.EventLogPerFile = p.FileSystemBytes <= 256 * KB ? 80 : 1000;
            int entries = (p.HeapBudgetBytes - HubBaselineHeapBytes) / OutboxEntryHeapBytes;
            p.OutboxMaxEntries = entries > 2000 ? 2000 : entries;
            int capacity = (p.FileSystemBudgetBytes - p.OtherFilesBytes) * 4 / 13 / 4096 * 4096;
            p.OutboxCapacityBytes = capacity > 256 * KB ? 256 * KB : capacity;
            return p;
        }

        /// <summary>Flash the hub's files other than the outbox may take, in whole blocks: the event log's two files and <see cref="FixedFilesBytes"/>.</summary>
        public int OtherFilesBytes
        {
            get { return 2 * ((EventLogPerFile * EventLogRecordBytes + 4095) / 4096 * 4096) + FixedFilesBytes; }
        }
    }
}
