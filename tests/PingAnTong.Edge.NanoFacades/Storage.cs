// Mirrors nanoFramework.System.IO.Streams 1.1.96 (Stream, SeekOrigin) and nanoFramework.System.IO.FileSystem 1.1.93
// (FileStream, FileMode, FileAccess, File). Signatures: tests/api-listings/ of both packages (checked by
// FacadeListingTests). Only the members used.
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
        protected Stream() { throw Facade.NotOnDevice(); }
        public abstract long Length { get; }
        public abstract long Seek(long offset, SeekOrigin origin);
        public abstract int Read(byte[] buffer, int offset, int count);
        public abstract void Write(byte[] buffer, int offset, int count);
        public abstract void Flush();
        public void Dispose() { throw Facade.NotOnDevice(); }
    }

    [Mirrors("nanoFramework.System.IO.FileSystem", "1.1.93")]
    public class FileStream : Stream
    {
        public FileStream(string path, FileMode mode, FileAccess access) { throw Facade.NotOnDevice(); }
        public override long Length { get { throw Facade.NotOnDevice(); } }
        public override long Seek(long offset, SeekOrigin origin) { throw Facade.NotOnDevice(); }
        public override int Read(byte[] buffer, int offset, int count) { throw Facade.NotOnDevice(); }
        public override void Write(byte[] buffer, int offset, int count) { throw Facade.NotOnDevice(); }
        public override void Flush() { throw Facade.NotOnDevice(); }
    }

    [Mirrors("nanoFramework.System.IO.FileSystem", "1.1.93")]
    public static class File
    {
        public static bool Exists(string path) { throw Facade.NotOnDevice(); }
        public static void Delete(string path) { throw Facade.NotOnDevice(); }
        public static byte[] ReadAllBytes(string path) { throw Facade.NotOnDevice(); }
        public static void Move(string sourceFileName, string destFileName) { throw Facade.NotOnDevice(); }
    }
}
