namespace PingAnTong.Edge.Simulator.Replay;

/// <summary>One line of a replay CSV: when (ms since the Unix epoch, the file's local time taken as UTC), which sensor, what.</summary>
public sealed record ActivityEvent(int Line, long TimeMs, string Sensor, string Kind, string State)
{
    /// <summary>True for on/open/press: the input becomes active.</summary>
    public bool Active => State is "on" or "open" or "press";
}
