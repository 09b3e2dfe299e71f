using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Alarms;

namespace PingAnTong.Edge.Fakes;

/// <summary>Remembers every indication the hub showed.</summary>
public sealed class RecordingIndicator : IIndicator
{
    public List<int> Shown { get; } = new();

    public int Current => Shown.Count == 0 ? Indication.Idle : Shown[^1];

    public string CurrentName => Indication.Name(Current);

    public void Show(int indication) => Shown.Add(indication);
}
