using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Net;

namespace PingAnTong.Edge.Simulator.Adapters;

/// <summary>A transport that connects at once and acknowledges every publish, handing each message to a sink (replay).</summary>
public sealed class AckingTransport : IMessageTransport
{
    private readonly Action<string, byte[], int> _sink;
    private bool _connected;

    public AckingTransport(Action<string, byte[], int> sink) => _sink = sink;

    public LinkEvents Link { get; set; }
    private int _generation;

    public void Connect(ConnectRequest request)
    {
        _generation = request.Generation;
        _connected = true;
        Link.Connected(_generation);
    }

    public void Disconnect() => _connected = false;

    public bool Publish(string topic, byte[] payload, int length, bool retain, int token)
    {
        if (!_connected) return false;
        _sink(topic, payload, length);
        if (token != 0) Link.PublishAcked(_generation, token);
        return true;
    }
}
