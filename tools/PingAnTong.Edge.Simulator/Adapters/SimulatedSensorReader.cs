using System.Collections.Concurrent;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Inputs;

namespace PingAnTong.Edge.Simulator.Adapters;

/// <summary>
/// Simulated I2C/analog sensors: a value per sensor set by the user or a scenario, and injectable
/// faults — no answer, stuck value (a frozen reading whose CRC still checks), noise.
/// </summary>
public sealed class SimulatedSensorReader : ISensorReader
{
    private readonly ConcurrentDictionary<string, int> _values = new();
    private readonly ConcurrentDictionary<string, string> _faults = new();
    private readonly Random _random = new(1);

    public void Set(string id, int value) => _values[id] = value;

    /// <summary>Fault: "none", "no_answer", "stuck", "noise" or "crc".</summary>
    public void Inject(string id, string fault)
    {
        if (fault == "none") _faults.TryRemove(id, out _);
        else _faults[id] = fault;
    }

    public string FaultOf(string id) => _faults.TryGetValue(id, out var f) ? f : "none";

    public int Read(SensorConfig sensor, out int value)
    {
        int nominal = _values.TryGetValue(sensor.Id, out int v) ? v : sensor.Kind == "gas" ? 20 : 235;
        value = 0;
        switch (FaultOf(sensor.Id))
        {
            case "no_answer": return SensorStatus.NoAnswer;
            case "crc": return SensorStatus.ChecksumError;
            case "stuck":
                value = 0x7FFF; // a frozen ADC at full scale: plausible bytes, implausible value
                return SensorStatus.OutOfRange;
            case "noise":
                value = nominal + _random.Next(-nominal / 5 - 5, nominal / 5 + 6);
                return SensorStatus.Ok;
            default:
                value = nominal;
                return SensorStatus.Ok;
        }
    }
}
