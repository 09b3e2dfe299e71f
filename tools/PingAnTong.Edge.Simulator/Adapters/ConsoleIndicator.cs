using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Alarms;

namespace PingAnTong.Edge.Simulator.Adapters;

/// <summary>Renders the LED/buzzer indication as a line in the terminal.</summary>
public sealed class ConsoleIndicator : IIndicator
{
    private readonly TextWriter _out;

    public ConsoleIndicator(TextWriter output) => _out = output;

    public int Current { get; private set; }

    public event Action<int> Changed;

    public void Show(int indication)
    {
        Current = indication;
        _out.WriteLine($"[indicator] {Indication.Name(indication),-14} LED {IndicationPattern.LedOnMs(indication)}/{IndicationPattern.LedOffMs(indication)} ms, buzzer {IndicationPattern.BuzzerOnMs(indication)}/{IndicationPattern.BuzzerOffMs(indication)} ms");
        Changed?.Invoke(indication);
    }
}
