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

    /// <summary>Where outcomes go (the hub's <see cref="Hub.LinkEvents"/>); set by the test bench.</summary>
    public LinkEvents Link { get; set; }


    /// <summary>The generation of the last connect attempt; outcomes are reported with it.</summary>
    public int Generation { get; private set; }

    /// <summary>When set, publishes are refused although the link is up (a transport failing quietly).</summary>
    public bool RefusePublishes { get; set; }

    /// <summary>Publish calls, refused ones included.</summary>
    public int PublishCalls { get; private set; }

    public bool AutoAck { get; set; }

    public List<ConnectRequest> Connects { get; } = new();

    public List<Published> Publishes { get; } = new();

    public bool IsConnected { get; private set; }

    public bool Connecting { get; private set; }

    public void Connect(ConnectRequest request)
    {
        Connects.Add(request);
        Generation = request.Generation;
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
        PublishCalls++;
        if (!IsConnected || RefusePublishes) return false;
        var p = new Published(topic, Encoding.UTF8.GetString(payload, 0, length), retain, token);
        Publishes.Add(p);
        if (AutoAck) Link.PublishAcked(Generation, token);
        else _unacked.Add(p);
        return true;
    }

    public void AcceptConnect()
    {
        Connecting = false;
        IsConnected = true;
        Link.Connected(Generation);
    }

    public void RefuseConnect(string reason)
    {
        Connecting = false;
        Link.ConnectFailed(Generation, reason);
    }

    public void AckAll()
    {
        foreach (var p in _unacked) Link.PublishAcked(Generation, p.Token);
        _unacked.Clear();
    }

    public void Drop(string reason = "link lost")
    {
        IsConnected = false;
        _unacked.Clear();
        Link.Lost(Generation, reason);
    }

    public bool SendCommand(string topic, string json, bool retained = false) =>
        Link.Message(topic, Encoding.UTF8.GetBytes(json), retained);

    /// <summary>The link goes half-open: still "connected" here, but nothing is acknowledged any more.</summary>
    public void GoSilent() => AutoAck = false;

    public IEnumerable<Published> On(string channel) => Publishes.Where(p => p.Topic.EndsWith("/" + channel));
}
