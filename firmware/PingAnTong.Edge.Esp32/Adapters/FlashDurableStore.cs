using System;
using System.IO;
using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Esp32.Adapters
{
    /// <summary>
    /// The core's storage on the ESP32's internal flash drive (I:\). Files are only appended to or
    /// deleted, as the interface requires; every append is flushed before returning, so a record the
    /// core has written survives a power cut from then on. I/O errors become <see cref="StorageException"/>,
    /// which the core reports as a storage fault while keeping messages in RAM.
    /// </summary>
    public sealed class FlashDurableStore : IDurableStore
    {
        private readonly string _prefix;

        /// <param name="prefix">Path prefix of every file, e.g. <c>I:\pat-</c>.</param>
        public FlashDurableStore(string prefix)
        {
            _prefix = prefix;
        }

        public int GetLength(string name)
        {
            string path = _prefix + name;
            try
            {
                if (!File.Exists(path)) return -1;
                using (FileStream fs = new FileStream(path, FileMode.Open, FileAccess.Read))
                {
                    return (int)fs.Length;
                }
            }
            catch (Exception e)
            {
                throw new StorageException("length of " + path + ": " + e.Message);
            }
        }

        public int Read(string name, int position, byte[] buffer, int offset, int count)
        {
            string path = _prefix + name;
            try
            {
                if (!File.Exists(path)) return 0;
                using (FileStream fs = new FileStream(path, FileMode.Open, FileAccess.Read))
                {
                    if (position >= fs.Length) return 0;
                    fs.Seek(position, SeekOrigin.Begin);
                    int total = 0;
                    while (total < count)
                    {
                        int n = fs.Read(buffer, offset + total, count - total);
                        if (n <= 0) break;
                        total += n;
                    }
                    return total;
                }
            }
            catch (Exception e)
            {
                throw new StorageException("read of " + path + ": " + e.Message);
            }
        }

        public void Append(string name, byte[] data, int offset, int count)
        {
            string path = _prefix + name;
            try
            {
                using (FileStream fs = new FileStream(path, FileMode.Append, FileAccess.Write))
                {
                    fs.Write(data, offset, count);
                    fs.Flush();
                }
            }
            catch (Exception e)
            {
                throw new StorageException("append to " + path + ": " + e.Message);
            }
        }

        public void Delete(string name)
        {
            string path = _prefix + name;
            try
            {
                if (File.Exists(path)) File.Delete(path);
            }
            catch (Exception e)
            {
                throw new StorageException("delete of " + path + ": " + e.Message);
            }
        }
    }
}
