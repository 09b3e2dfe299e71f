using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Integration.Tests;

public sealed class PowerCut : Exception
{
    public PowerCut() : base("power cut (simulated)") { }
}

/// <summary>Wraps a real store; at a chosen write step the power fails, leaving a prefix of the append on disk.</summary>
public sealed class PowerCutStore(IDurableStore inner) : IDurableStore
{
    private int _stepsUntilCut = -1;
    private int _bytesKept;

    public void CutPowerAt(int step, int bytesKept)
    {
        _stepsUntilCut = step;
        _bytesKept = bytesKept;
    }

    public int GetLength(string name) => inner.GetLength(name);

    public int Read(string name, int position, byte[] buffer, int offset, int count) => inner.Read(name, position, buffer, offset, count);

    public void Append(string name, byte[] data, int offset, int count)
    {
        if (Cut())
        {
            if (_bytesKept > 0) inner.Append(name, data, offset, Math.Min(_bytesKept, count));
            throw new PowerCut();
        }
        inner.Append(name, data, offset, count);
    }

    public void Delete(string name)
    {
        if (Cut()) throw new PowerCut();
        inner.Delete(name);
    }

    private bool Cut()
    {
        if (_stepsUntilCut < 0) return false;
        if (_stepsUntilCut-- > 0) return false;
        _stepsUntilCut = -1;
        return true;
    }
}
