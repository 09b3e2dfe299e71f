using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Inputs;

namespace PingAnTong.Edge.Fakes;

/// <summary>Sensor values set by the test; a sensor with a status other than Ok fails its reads.</summary>
public sealed class FakeSensorReader : ISensorReader
{
    private readonly Dictionary<string, int> _values = new();
    private readonly Dictionary<string, int> _status = new();

    public int Reads { get; private set; }

    public void Set(string id, int value) => _values[id] = value;

    public void Fail(string id, int status) => _status[id] = status;

    public void Heal(string id) => _status.Remove(id);

    public int Read(SensorConfig sensor, out int value)
    {
        Reads++;
        value = 0;
        if (_status.TryGetValue(sensor.Id, out int st)) return st;
        if (!_values.TryGetValue(sensor.Id, out value)) value = sensor.Kind == "gas" ? 0 : 220;
        return SensorStatus.Ok;
    }
}
