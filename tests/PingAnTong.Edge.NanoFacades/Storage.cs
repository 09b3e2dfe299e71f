// Mirrors nanoFramework.System.IO.Streams 1.1.96 (Stream, SeekOrigin) and nanoFramework.System.IO.FileSystem 1.1.93
// (FileStream, FileMode, FileAccess, File). Signatures: tests/api-listings/ of both packages (checked by
// FacadeListingTests). Only the members used.
// Model: the managed checks of nanoframework/System.IO.FileSystem@v1.1.93:System.IO.FileSystem/File.cs and
// nanoframework/System.IO.FileSystem@v1.1.93:System.IO.FileSystem/FileStream.cs over the virtual I:\ drive
// (Models/FlashModel.cs: LittleFS in the 256 KB partition of nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:targets/ESP32/_IDF/esp32/partitions_nanoclr_4mb.csv,
// driven through nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:targets/ESP32/_littlefs/littlefs_FS_Driver.cpp).
using System;
using PingAnTong.Edge.NanoFacades;

namespace System.IO
{
    [Mirrors("nanoFramework.System.IO.Streams", "1.1.96")]
    public enum SeekOrigin { Begin = 0, Current = 1, End = 2 }

    [Mirrors("nanoFramework.System.IO.FileSystem", "1.1.93")]
    public enum FileMode { CreateNew = 1, Create = 2, Open = 3, OpenOrCreate = 4, Truncate = 5, Append = 6 }

    [Mirrors("nanoFramework.System.IO.FileSystem", "1.1.93")]
    [Flags]
    public enum FileAccess { Read = 1, Write = 2, ReadWrite = 3 }

    [Mirrors("nanoFramework.System.IO.Streams", "1.1.96")]
    public abstract class Stream : MarshalByRefObject, IDisposable
    {
        protected Stream() { }
        public abstract long Length { get; }
        public abstract long Seek(long offset, SeekOrigin origin);
        public abstract int Read(byte[] buffer, int offset, int count);
        public abstract void Write(byte[] buffer, int offset, int count);
        public abstract void Flush();
        public void Dispose() { ModelClose(); }
        internal virtual void ModelClose() { }
    }

    [Mirrors("nanoFramework.System.IO.FileSystem", "1.1.93")]
    public class FileStream : Stream
    {
        private readonly FlashStream _stream;
        private readonly int _generation;
        private readonly bool _canRead;
        private readonly bool _canWrite;
        private readonly long _seekLimit;
        private bool _disposed;

        public FileStream(string path, FileMode mode, FileAccess access)
        {
            if (mode < FileMode.CreateNew || mode > FileMode.Append || access < FileAccess.Read || access > FileAccess.ReadWrite) throw new ArgumentOutOfRangeException();
            bool wantsRead = (access & FileAccess.Read) == FileAccess.Read;
            bool wantsWrite = (access & FileAccess.Write) == FileAccess.Write;
            if (mode != FileMode.Open && mode != FileMode.OpenOrCreate && !wantsWrite) throw new ArgumentException("this FileMode needs write access");
            _generation = VirtualEsp32.CurrentGeneration;
            FlashModel flash = VirtualEsp32.Flash;
            string name = flash.NameOf(path);
            bool exists = flash.FileExists(name);
            switch (mode)
            {
                case FileMode.CreateNew:
                    if (exists) throw new IOException("", FlashModel.ErrorPathAlreadyExists);
                    break;
                case FileMode.Open:
                case FileMode.Truncate:
                    if (!exists) throw new IOException("", FlashModel.ErrorFileNotFound);
                    break;
                case FileMode.Append:
                    if (access != FileAccess.Write) throw new ArgumentException("Append needs FileAccess.Write");
                    break;
            }
            bool truncate = (mode == FileMode.Create && exists) || mode == FileMode.Truncate;
            _stream = flash.Open(name, truncate);
            if (mode == FileMode.Append)
            {
                _stream.Position = _stream.Data.Length;
                _seekLimit = _stream.Position;
            }
            _canRead = wantsRead;
            _canWrite = wantsWrite;
        }

        public override long Length
        {
            get
            {
                Check();
                return _stream.Data.Length;
            }
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            Check();
            long position = origin == SeekOrigin.Begin ? offset : origin == SeekOrigin.Current ? _stream.Position + offset : _stream.Data.Length + offset;
            if (position < _seekLimit) throw new IOException();
            _stream.Position = (int)position;
            return position;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Check();
            if (!_canRead) throw new NotSupportedException();
            int available = _stream.Data.Length - _stream.Position;
            if (available <= 0) return 0;
            int n = count < available ? count : available;
            Array.Copy(_stream.Data, _stream.Position, buffer, offset, n);
            _stream.Position += n;
            return n;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Check();
            if (!_canWrite) throw new NotSupportedException();
            if (count == 0) return;
            VirtualEsp32.Flash.Write(_stream, buffer, offset, count);
        }

        public override void Flush()
        {
            Check();
            if (_stream.Errored) throw FlashModel.FileIoError("flush after a failed write");
        }

        internal override void ModelClose()
        {
            if (_disposed) return;
            _disposed = true;
            if (_generation == VirtualEsp32.CurrentGeneration) VirtualEsp32.Flash.Commit(_stream);
        }

        private void Check()
        {
            VirtualEsp32.CheckAlive(_generation);
            if (_disposed) throw new ObjectDisposedException("FileStream");
        }
    }

    [Mirrors("nanoFramework.System.IO.FileSystem", "1.1.93")]
    public static class File
    {
        public static bool Exists(string path)
        {
            try
            {
                return VirtualEsp32.Flash.FileExists(VirtualEsp32.Flash.NameOf(path));
            }
            catch (Exception)
            {
                return false; // like the library: no exception, false
            }
        }

        public static void Delete(string path)
        {
            FlashModel flash = VirtualEsp32.Flash;
            string name = flash.NameOf(path);
            if (!flash.FileExists(name)) return; // no-op on a missing file
            flash.DeleteFile(name);
        }

        public static byte[] ReadAllBytes(string path)
        {
            using (FileStream fs = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                byte[] bytes = new byte[(int)fs.Length];
                int index = 0;
                while (index < bytes.Length)
                {
                    int n = fs.Read(bytes, index, bytes.Length - index);
                    if (n <= 0) break;
                    index += n;
                }
                return bytes;
            }
        }

        public static void Move(string sourceFileName, string destFileName)
        {
            FlashModel flash = VirtualEsp32.Flash;
            string from = flash.NameOf(sourceFileName);
            string to = flash.NameOf(destFileName);
            if (!flash.FileExists(from)) throw new IOException("", FlashModel.ErrorFileNotFound);
            if (flash.FileExists(to)) throw new IOException("", FlashModel.ErrorPathAlreadyExists);
            flash.Rename(from, to);
        }
    }
}
