using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Fakes;

/// <summary>Thrown by <see cref="MemoryStore"/> when its simulated power is cut.</summary>
public sealed class PowerCutException : Exception
{
    public PowerCutException() : base("power cut (simulated)") { }
}

/// <summary>
/// An in-memory <see cref="IDurableStore"/> that can cut the power at a chosen write step: the
/// <c>n</c>-th append or delete fails, and an append may leave only a prefix of its bytes, as flash
/// does when power drops mid-write. After the cut every call throws until <see cref="PowerOn"/>.
/// </summary>
public sealed class MemoryStore : IDurableStore
{
    private readonly Dictionary<string, List<byte>> _files = new();
    private readonly int _initialFileCapacity;
    private readonly Stack<List<byte>> _freed = new();

    /// <summary>Bytes this fake allocated for a new file's reserve (a benchmark subtracts them: they are not the core's).</summary>
    public long OwnAllocatedBytes { get; private set; }

    /// <param name="initialFileCapacity">Bytes reserved per file, so benchmarks do not count the fake's own growth.</param>
    public MemoryStore(int initialFileCapacity = 0)
    {
        _initialFileCapacity = initialFileCapacity;
    }
    private int _stepsUntilCut = -1;
    private int _bytesKeptAtCut;
    private bool _off;

    /// <summary>Write steps (appends and deletes) performed so far.</summary>
    public int WriteSteps { get; private set; }

    public long BytesWritten { get; private set; }

    public IEnumerable<string> Names => _files.Keys;

    /// <summary>Cuts power at write step <paramref name="step"/> from now (0 = the next one), keeping <paramref name="bytesKept"/> bytes of an append.</summary>
    public void CutPowerAt(int step, int bytesKept)
    {
        _stepsUntilCut = step;
        _bytesKeptAtCut = bytesKept;
    }

    /// <summary>While true every append and delete fails with a StorageException (flash full or worn out).</summary>
    public bool Failing { get; set; }

    /// <summary>Total bytes the drive holds (all files); an append beyond it fails as a full LittleFS drive does. 0 = unlimited.</summary>
    public long CapacityBytes { get; set; }

    /// <summary>Files (by name prefix) whose appends and deletes fail, e.g. "counters".</summary>
    public HashSet<string> FailingFiles { get; } = new();

    public long UsedBytes => _files.Values.Sum(f => (long)f.Count);

    public void PowerOn()
    {
        _off = false;
        _stepsUntilCut = -1;
    }

    public MemoryStore Clone()
    {
        var copy = new MemoryStore();
        foreach (var kv in _files) copy._files[kv.Key] = new List<byte>(kv.Value);
        return copy;
    }

    public byte[] Snapshot(string name) => _files.TryGetValue(name, out var f) ? f.ToArray() : null;

    public void Put(string name, byte[] bytes) => _files[name] = new List<byte>(bytes);

    /// <summary>Flips one bit, as a worn flash cell would.</summary>
    public void Corrupt(string name, int position) => _files[name][position] ^= 0x10;

    public int GetLength(string name)
    {
        ThrowIfOff();
        return _files.TryGetValue(name, out var f) ? f.Count : -1;
    }

    public int Read(string name, int position, byte[] buffer, int offset, int count)
    {
        ThrowIfOff();
        if (!_files.TryGetValue(name, out var f) || position >= f.Count) return 0;
        int n = Math.Min(count, f.Count - position);
        f.CopyTo(position, buffer, offset, n);
        return n;
    }

    public void Append(string name, byte[] data, int offset, int count)
    {
        ThrowIfOff();
        if (Failing || FailingFiles.Any(name.StartsWith)) throw new StorageException("simulated flash write error on " + name);
        if (CapacityBytes > 0 && UsedBytes + count > CapacityBytes) throw new StorageException("drive full writing " + name);
        if (!_files.TryGetValue(name, out var f))
        {
            if (_freed.Count > 0) f = _freed.Pop();
            else { f = new List<byte>(_initialFileCapacity); OwnAllocatedBytes += _initialFileCapacity; }
            _files[name] = f;
        }
        if (Step())
        {
            int kept = Math.Min(_bytesKeptAtCut, count);
            for (int i = 0; i < kept; i++) f.Add(data[offset + i]);
            BytesWritten += kept;
            throw new PowerCutException();
        }
        for (int i = 0; i < count; i++) f.Add(data[offset + i]);
        BytesWritten += count;
    }

    public void Delete(string name)
    {
        ThrowIfOff();
        if (Failing || FailingFiles.Any(name.StartsWith)) throw new StorageException("simulated flash write error on " + name);
        if (Step()) throw new PowerCutException();
        if (_files.Remove(name, out var f) && _initialFileCapacity > 0)
        {
            // Reused by the next new file, so a benchmark counts the core's allocations, not this fake's.
            f.Clear();
            _freed.Push(f);
        }
    }

    private bool Step()
    {
        WriteSteps++;
        if (_stepsUntilCut < 0) return false;
        if (_stepsUntilCut-- > 0) return false;
        _off = true;
        return true;
    }

    private void ThrowIfOff()
    {
        if (_off) throw new PowerCutException();
    }
}
