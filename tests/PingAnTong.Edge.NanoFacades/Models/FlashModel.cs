using System;
using System.Collections;
using System.IO;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// The I:\ drive: the LittleFS partition of a 4 MB module, in RAM. Sources:
    /// nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:targets/ESP32/_IDF/esp32/partitions_nanoclr_4mb.csv
    /// (config, data, littlefs, 0x3C0000, 0x40000: 256 KB, shared with the network configuration and certificates),
    /// targets/ESP32/ESP32/target_FileSystem.cpp (one volume "I:"), targets/ESP32/_littlefs/littlefs_FS_Driver.cpp
    /// (stdio over esp_littlefs; a short fwrite is CLR_E_FILE_IO), joltwallet/esp_littlefs@bde79e13be971a1f06d5e5f55e6f3e8568fa32b5:src/esp_littlefs.c
    /// (4096-byte blocks, so 64 blocks; cache 512 bytes) and littlefs-project/littlefs@adad0fbbcf5382c20978d07f94f9c13be9041c1b:lfs.c:
    /// <list type="bullet">
    /// <item>A file of more than inline_max = min(cache 512, attr_max, block/8 = 512) bytes occupies whole 4 KB
    /// blocks in a CTZ skip list (block i &gt; 0 gives 4 * (ctz(i) + 1) bytes to back-pointers); smaller files live
    /// inline in their directory's metadata pair. The root directory shares blocks 0 and 1 with the superblock;
    /// a metadata pair is split into a new pair (2 more blocks) beyond about half a block of entries
    /// (lfs_dir_splittingcompact). Appending to a file whose last block is partly used copies that block
    /// (lfs_ctz_extend), so it needs one spare block until the file is closed. These are approximations of the
    /// allocator: the entry sizes are estimates.</item>
    /// <item>Writes are committed when the stream is closed (lfs_file_close syncs; fflush only moves stdio's buffer).
    /// A write that needs a block the drive does not have fails with CLR_E_FILE_IO, which nanoCLR has no managed
    /// exception for, so the application sees a plain System.Exception (src/CLR/CorLib/corlib_native_System_Exception.cpp,
    /// c_ExceptionLookup), not an IOException; the file keeps its last committed content. On the device the error
    /// can surface at Write, Flush or Close (the driver ignores fflush's result after fwrite, so a small write may
    /// only fail when the stream is closed); the model fails the Write that needs the block.</item>
    /// <item>The managed checks of nanoframework/System.IO.FileSystem@v1.1.93:System.IO.FileSystem/{File,FileStream}.cs
    /// throw IOException with an IOExceptionErrorCode: File.Move onto an existing name (PathAlreadyExists),
    /// File.Move or FileMode.Open of a missing file (FileNotFound), FileMode.CreateNew of an existing one
    /// (PathAlreadyExists); File.Delete of a missing file does nothing.</item>
    /// </list>
    /// Only files in the root of I:\ are modelled; a path with a folder fails loudly (NotSupportedException).
    /// </summary>
    public sealed class FlashModel
    {
        public const int BlockSize = 4096;
        public const int BlockCount = 0x40000 / BlockSize;
        public const int InlineMax = 512;
        private const int MetadataPairBudget = 2048;
        private const int SuperblockEntryBytes = 40;

        internal const int ErrorFileNotFound = -503316480;
        internal const int ErrorPathAlreadyExists = -402653184;
        internal const int ErrorVolumeNotFound = -469762048;

        private readonly ArrayList _files = new ArrayList();
        private readonly ArrayList _open = new ArrayList();

        /// <summary>Bytes the application wrote (committed or not) since the last reset: flash wear.</summary>
        public long BytesWritten { get; private set; }

        /// <summary>Writes that failed for lack of space since the last reset.</summary>
        public int FailedWrites { get; private set; }

        // ---- test side ----

        /// <summary>Blocks in use (superblock and metadata pairs included).</summary>
        public int UsedBlocks { get { lock (VirtualEsp32.Sync) { return Blocks(null, null, 0); } } }

        public int FreeBlocks { get { return BlockCount - UsedBlocks; } }

        /// <summary>Names of the files in I:\ (without "I:\"), the network configuration files included.</summary>
        public string[] Files
        {
            get
            {
                lock (VirtualEsp32.Sync)
                {
                    string[] names = new string[_files.Count];
                    for (int i = 0; i < _files.Count; i++) names[i] = ((FlashFile)_files[i]).Name;
                    return names;
                }
            }
        }

        public bool Exists(string path)
        {
            lock (VirtualEsp32.Sync) { return Find(NameOf(path)) != null; }
        }

        /// <summary>The committed content of a file, or null.</summary>
        public byte[] ReadFile(string path)
        {
            lock (VirtualEsp32.Sync)
            {
                FlashFile f = Find(NameOf(path));
                if (f == null) return null;
                byte[] copy = new byte[f.Data.Length];
                Array.Copy(f.Data, copy, copy.Length);
                return copy;
            }
        }

        /// <summary>nanoff --filedeployment: puts the file as given (replacing one of that name). Fails (IOException) when it does not fit.</summary>
        public void Deploy(string path, byte[] content)
        {
            lock (VirtualEsp32.Sync)
            {
                string name = NameOf(path);
                if (Blocks(name, content, 0) > BlockCount) throw new IOException("I:\\ is full: " + name + " (" + content.Length.ToString() + " bytes) does not fit");
                Put(name, content, false);
            }
        }

        /// <summary>Removes a file (nanoff --filedeployment with no source), if present.</summary>
        public void Remove(string path)
        {
            lock (VirtualEsp32.Sync)
            {
                FlashFile f = Find(NameOf(path));
                if (f != null) _files.Remove(f);
            }
        }

        /// <summary>Fills the drive with a file of <paramref name="bytes"/> (another user of the partition).</summary>
        public void Fill(string path, int bytes)
        {
            Deploy(path, new byte[bytes]);
        }

        /// <summary>The largest file of that name that would still fit (for tests that fill the drive up to a point).</summary>
        public int LargestThatFits(string path)
        {
            lock (VirtualEsp32.Sync)
            {
                string name = NameOf(path);
                int low = 0, high = BlockCount * BlockSize;
                while (low < high)
                {
                    int mid = (low + high + 1) / 2;
                    if (Blocks(name, new byte[mid], 0) <= BlockCount) low = mid;
                    else high = mid - 1;
                }
                return low;
            }
        }

        // ---- device lifecycle ----

        internal void Erase()
        {
            CutPowerAtWrite = 0;
            lock (VirtualEsp32.Sync)
            {
                _files.Clear();
                _open.Clear();
                BytesWritten = 0;
                FailedWrites = 0;
            }
        }

        /// <summary>A reset closes every stream without committing (what was not closed is lost).</summary>
        internal void CloseAll()
        {
            lock (VirtualEsp32.Sync) { _open.Clear(); }
        }

        internal void PutSystemFile(string name, int size)
        {
            if (Blocks(name, new byte[size], 0) > BlockCount) return; // UpdateConfigurationBlock fails; the old block stays
            Put(name, new byte[size], true);
        }

        // ---- native side, called by the System.IO facades ----

        internal string NameOf(string path)
        {
            if (path == null) throw new ArgumentNullException("path");
            if (path.Length < 3 || (path[0] != 'I' && path[0] != 'i') || path[1] != ':' || (path[2] != '\\' && path[2] != '/'))
            {
                throw new IOException("", ErrorVolumeNotFound);
            }
            string name = path.Substring(3);
            if (name.IndexOf('\\') >= 0 || name.IndexOf('/') >= 0) throw new NotSupportedException("virtual ESP32: folders on I:\\ are not modelled (" + path + ")");
            if (name.Length == 0) throw new IOException("", ErrorFileNotFound);
            return name;
        }

        internal bool FileExists(string name)
        {
            lock (VirtualEsp32.Sync) { return Find(name) != null; }
        }

        internal void DeleteFile(string name)
        {
            lock (VirtualEsp32.Sync)
            {
                FlashFile f = Find(name);
                if (f != null) _files.Remove(f);
            }
        }

        internal void Rename(string from, string to)
        {
            lock (VirtualEsp32.Sync)
            {
                FlashFile f = Find(from);
                if (f == null) throw new IOException("", ErrorFileNotFound);
                if (Find(to) != null) throw new IOException("", ErrorPathAlreadyExists);
                f.Name = to;
            }
        }

        /// <summary>Opens a stream on a file (created empty if missing, as fopen "w+"); Exception when the drive cannot take a new entry.</summary>
        internal FlashStream Open(string name, bool truncate)
        {
            lock (VirtualEsp32.Sync)
            {
                FlashFile f = Find(name);
                if (f == null)
                {
                    if (Blocks(name, new byte[0], 0) > BlockCount) throw FileIoError("no room for a new file " + name);
                    f = Put(name, new byte[0], false);
                }
                FlashStream s = new FlashStream(this, f, truncate ? new byte[0] : f.Data);
                if (truncate) s.Dirty = true;
                _open.Add(s);
                return s;
            }
        }

        /// <summary>
        /// When set to n &gt; 0, the power fails during the n-th write the application makes from now on: that write and
        /// everything not yet committed is lost (LittleFS commits a file atomically at close/sync, so the file keeps its
        /// previous content), the device restarts (<see cref="PowerModel.Cut"/>).
        /// </summary>
        public int CutPowerAtWrite;

        internal void Write(FlashStream s, byte[] buffer, int offset, int count)
        {
            bool cut = false;
            lock (VirtualEsp32.Sync)
            {
                if (CutPowerAtWrite > 0 && --CutPowerAtWrite == 0) cut = true;
                else WriteLocked(s, buffer, offset, count);
            }
            if (cut) VirtualEsp32.Power.Cut("power cut while writing " + s.File.Name);
        }

        private void WriteLocked(FlashStream s, byte[] buffer, int offset, int count)
        {
            if (!_open.Contains(s)) throw new ObjectDisposedException("FileStream");
            if (s.Errored) throw FileIoError("write after a failed write");
            int end = s.Position + count;
            byte[] next = new byte[end > s.Data.Length ? end : s.Data.Length];
            Array.Copy(s.Data, next, s.Data.Length);
            Array.Copy(buffer, offset, next, s.Position, count);
            int cow = s.File.Data.Length > InlineMax && s.File.Data.Length % BlockSize != 0 ? 1 : 0;
            BytesWritten += count;
            if (Blocks(s.File.Name, next, cow) > BlockCount)
            {
                s.Errored = true;
                FailedWrites++;
                throw FileIoError("I:\\ is full (" + UsedBlocks.ToString() + " of " + BlockCount.ToString() + " blocks in use)");
            }
            s.Data = next;
            s.Position = end;
            s.Dirty = true;
        }

        internal void Commit(FlashStream s)
        {
            lock (VirtualEsp32.Sync)
            {
                if (!_open.Contains(s)) return;
                _open.Remove(s);
                if (s.Errored || !s.Dirty) return;
                if (!_files.Contains(s.File)) _files.Add(s.File);
                s.File.Data = s.Data;
            }
        }

        /// <summary>The application's view of CLR_E_FILE_IO.</summary>
        internal static Exception FileIoError(string detail)
        {
            return new Exception("CLR_E_FILE_IO (0xE0000000): " + detail);
        }

        private FlashFile Find(string name)
        {
            for (int i = 0; i < _files.Count; i++)
            {
                FlashFile f = (FlashFile)_files[i];
                if (f.Name == name) return f;
            }
            return null;
        }

        private FlashFile Put(string name, byte[] content, bool system)
        {
            FlashFile f = Find(name);
            if (f == null)
            {
                f = new FlashFile(name, system);
                _files.Add(f);
            }
            f.Data = content;
            return f;
        }

        /// <summary>Blocks in use if file <paramref name="name"/> had <paramref name="content"/> (null: as it is), plus <paramref name="extra"/>.</summary>
        private int Blocks(string name, byte[] content, int extra)
        {
            int metadata = SuperblockEntryBytes;
            int data = 0;
            bool seen = false;
            for (int i = 0; i < _files.Count; i++)
            {
                FlashFile f = (FlashFile)_files[i];
                int size = f.Data.Length;
                if (name != null && f.Name == name)
                {
                    seen = true;
                    if (content != null) size = content.Length;
                }
                metadata += EntryBytes(f.Name, size);
                data += DataBlocks(size);
            }
            if (name != null && !seen && content != null)
            {
                metadata += EntryBytes(name, content.Length);
                data += DataBlocks(content.Length);
            }
            int pairs = (metadata + MetadataPairBudget - 1) / MetadataPairBudget;
            if (pairs < 1) pairs = 1;
            return 2 * pairs + data + extra;
        }

        /// <summary>Name tag and name, struct tag and either the inline data or the CTZ head and size, and the create tag.</summary>
        private static int EntryBytes(string name, int size)
        {
            return 4 + name.Length + 4 + (size <= InlineMax ? size : 8) + 4;
        }

        /// <summary>Blocks of a CTZ skip list holding <paramref name="size"/> bytes (0 for an inline file).</summary>
        public static int DataBlocks(int size)
        {
            if (size <= InlineMax) return 0;
            int blocks = 0;
            long held = 0;
            while (held < size)
            {
                held += blocks == 0 ? BlockSize : BlockSize - 4 * (TrailingZeros(blocks) + 1);
                blocks++;
            }
            return blocks;
        }

        private static int TrailingZeros(int value)
        {
            int n = 0;
            while ((value & 1) == 0)
            {
                value >>= 1;
                n++;
            }
            return n;
        }
    }

    internal sealed class FlashFile
    {
        public string Name;
        public byte[] Data = new byte[0];
        public readonly bool System;

        public FlashFile(string name, bool system)
        {
            Name = name;
            System = system;
        }
    }

    /// <summary>An open file: its own copy of the content until it is committed at close.</summary>
    internal sealed class FlashStream
    {
        public readonly FlashModel Owner;
        public readonly FlashFile File;
        public byte[] Data;
        public int Position;
        public bool Dirty;
        public bool Errored;

        public FlashStream(FlashModel owner, FlashFile file, byte[] data)
        {
            Owner = owner;
            File = file;
            Data = data;
        }
    }
}
