using PingAnTong.Edge.Core;

namespace PingAnTong.Edge.Simulator.Adapters;

/// <summary>An indicator for headless hosts (replay, scenarios, tests): hands each indication to a callback, or drops it.</summary>
public sealed class CallbackIndicator(Action<int> onShow = null) : IIndicator
{
    public void Show(int indication) => onShow?.Invoke(indication);
}
