using System.Text;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Net;

namespace PingAnTong.Edge.Simulator.Scenarios;

/// <summary>
/// An in-process stand-in for the broker in virtual time: connects and acknowledges at once while the
/// link is up, refuses while it is down, and records every message with its virtual time.
/// </summary>
public sealed class VirtualBroker : IMessageTransport
{
    private readonly Func<long> _now;
    private bool _connected;

    public VirtualBroker(Func<long> now) => _now = now;

    public LinkEvents Link { get; set; }
    private int _generation;

    public bool LinkUp { get; private set; } = true;

    public List<(long TimeMs, string Topic, string Payload)> Published { get; } = new();

    public void Connect(ConnectRequest request)
    {
        _generation = request.Generation;
        if (LinkUp)
        {
            _connected = true;
            Link.Connected(_generation);
        }
        else
        {
            Link.ConnectFailed(_generation, "link down (scenario)");
        }
    }

    public void Disconnect() => _connected = false;

    public bool Publish(string topic, byte[] payload, int length, bool retain, int token)
    {
        if (!_connected) return false;
        Published.Add((_now(), topic, Encoding.UTF8.GetString(payload, 0, length)));
        if (token != 0) Link.PublishAcked(_generation, token);
        return true;
    }

    public void SetLink(bool up)
    {
        LinkUp = up;
        if (!up && _connected)
        {
            _connected = false;
            Link.Lost(_generation, "link down (scenario)");
        }
    }

    public void SendCommand(string topic, string json) =>
        Link.Message(topic, Encoding.UTF8.GetBytes(json), false);
}
