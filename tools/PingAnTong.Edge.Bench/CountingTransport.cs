using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Net;

namespace PingAnTong.Edge.Bench;

/// <summary>A transport that connects at once, acknowledges every publish and allocates nothing,
/// so allocation figures are the core's own.</summary>
public sealed class CountingTransport : IMessageTransport
{
    public LinkEvents Link { get; set; }
    private int _generation;
    public long PublishedBytes { get; private set; }
    public int Publishes { get; private set; }
    public bool Connected { get; private set; }

    public void Connect(ConnectRequest request)
    {
        _generation = request.Generation;
        Connected = true;
        Link.Connected(_generation);
    }

    public void Disconnect() => Connected = false;

    public bool Publish(string topic, byte[] payload, int length, bool retain, int token)
    {
        if (!Connected) return false;
        PublishedBytes += length;
        Publishes++;
        Link.PublishAcked(_generation, token);
        return true;
    }
}
