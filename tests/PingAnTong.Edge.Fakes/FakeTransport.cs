using System.Text;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Net;

namespace PingAnTong.Edge.Fakes;

/// <summary>One publish the hub handed to the transport.</summary>
public sealed record Published(string Topic, string Payload, bool Retain, int Token);

/// <summary>
/// Records what the hub asks of MQTT. The test decides the outcome: <see cref="AcceptConnect"/>,
/// <see cref="AckAll"/>, <see cref="Drop"/>, <see cref="SendCommand"/> post into the hub's queue,
/// as a real transport's callbacks would. With <see cref="AutoAck"/> every publish and connect succeeds.
/// </summary>
public sealed class FakeTransport : IMessageTransport
{
    private readonly List<Published> _unacked = new();

    public HubQueue Queue { get; set; }

    public bool AutoAck { get; set; }

    public List<ConnectRequest> Connects { get; } = new();

    public List<Published> Publishes { get; } = new();

    public bool IsConnected { get; private set; }

    public bool Connecting { get; private set; }

    public void Connect(ConnectRequest request)
    {
        Connects.Add(request);
        Connecting = true;
        if (AutoAck) AcceptConnect();
    }

    public void Disconnect()
    {
        IsConnected = false;
        Connecting = false;
        _unacked.Clear();
    }

    public bool Publish(string topic, byte[] payload, int length, bool retain, int token)
    {
        if (!IsConnected) return false;
        var p = new Published(topic, Encoding.UTF8.GetString(payload, 0, length), retain, token);
        Publishes.Add(p);
        if (AutoAck) Queue.Post(HubInput.PublishAcked, token, 0, 0, null, null, true);
        else _unacked.Add(p);
        return true;
    }

    public void AcceptConnect()
    {
        Connecting = false;
        IsConnected = true;
        Queue.Post(HubInput.Connected, 0, 0, 0, null, null, true);
    }

    public void RefuseConnect(string reason)
    {
        Connecting = false;
        Queue.Post(HubInput.ConnectFailed, 0, 0, 0, reason, null, true);
    }

    public void AckAll()
    {
        foreach (var p in _unacked) Queue.Post(HubInput.PublishAcked, p.Token, 0, 0, null, null, true);
        _unacked.Clear();
    }

    public void Drop(string reason = "link lost")
    {
        IsConnected = false;
        _unacked.Clear();
        Queue.Post(HubInput.Disconnected, 0, 0, 0, reason, null, true);
    }

    public void SendCommand(string topic, string json) =>
        Queue.Post(HubInput.Message, 0, 0, 0, topic, Encoding.UTF8.GetBytes(json), true);

    public IEnumerable<Published> On(string channel) => Publishes.Where(p => p.Topic.EndsWith("/" + channel));
}
