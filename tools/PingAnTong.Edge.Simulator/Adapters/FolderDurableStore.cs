using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Simulator.Adapters;

/// <summary>The hub's durable storage as files in a folder; the simulator's counterpart of the device's I:\ drive.</summary>
public sealed class FolderDurableStore : IDurableStore
{
    private readonly string _folder;
    private readonly bool _syncWrites;

    /// <param name="syncWrites">Flush every append to the disk (a power cut must not lose it); false only for
    /// throw-away folders such as replay runs, where speed matters and nothing survives anyway.</param>
    public FolderDurableStore(string folder, bool syncWrites = true)
    {
        _folder = folder;
        _syncWrites = syncWrites;
        Directory.CreateDirectory(folder);
    }

    public string Folder => _folder;

    private string PathOf(string name)
    {
        if (name.Contains('/') || name.Contains('\\') || name.Contains("..")) throw new StorageException("invalid file name " + name);
        return Path.Combine(_folder, name);
    }

    public int GetLength(string name)
    {
        var info = new FileInfo(PathOf(name));
        return info.Exists ? (int)info.Length : -1;
    }

    public int Read(string name, int position, byte[] buffer, int offset, int count)
    {
        try
        {
            using var f = new FileStream(PathOf(name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            f.Position = position;
            int total = 0;
            while (total < count)
            {
                int n = f.Read(buffer, offset + total, count - total);
                if (n == 0) break;
                total += n;
            }
            return total;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
        catch (IOException e)
        {
            throw new StorageException("read " + name + ": " + e.Message, e);
        }
    }

    public void Append(string name, byte[] data, int offset, int count)
    {
        try
        {
            using var f = new FileStream(PathOf(name), FileMode.Append, FileAccess.Write, FileShare.Read);
            f.Write(data, offset, count);
            f.Flush(_syncWrites);
        }
        catch (IOException e)
        {
            throw new StorageException("append " + name + ": " + e.Message, e);
        }
    }

    public void Delete(string name) => File.Delete(PathOf(name));
}
