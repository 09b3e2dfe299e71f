using PingAnTong.Edge.Core.Net;

namespace PingAnTong.Edge.Simulator.Adapters;

/// <summary>Lets a transport be created after the hub (MqttNetTransport needs the hub's queue): the hub gets this, then <see cref="Inner"/> is set.</summary>
public sealed class DeferredTransport : IMessageTransport
{
    public IMessageTransport Inner { get; set; }

    public void Connect(ConnectRequest request) => Inner.Connect(request);

    public void Disconnect() => Inner.Disconnect();

    public bool Publish(string topic, byte[] payload, int length, bool retain, int token) => Inner.Publish(topic, payload, length, retain, token);
}
