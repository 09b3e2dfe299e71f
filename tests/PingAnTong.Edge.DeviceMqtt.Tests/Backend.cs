using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace PingAnTong.Edge.DeviceMqtt.Tests;

/// <summary>The backend's side: an MQTTnet client that sees everything under pat/v1/# and sends commands (retained or not).</summary>
public sealed class Backend : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentQueue<(string Topic, string Payload)> _messages = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public static async Task<Backend> ConnectAsync(int port)
    {
        var b = new Backend();
        b._client.ApplicationMessageReceivedAsync += e =>
        {
            b._messages.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray())));
            b._arrived.Release();
            return Task.CompletedTask;
        };
        await b._client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("backend-" + Guid.NewGuid().ToString("N")[..8]).Build());
        await b._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(f => f.WithTopic("pat/v1/#").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)).Build());
        return b;
    }

    public Task PublishAsync(string topic, string payload, bool retain = false) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    /// <summary>Waits for a message on <paramref name="topic"/> with <paramref name="payload"/> (already received or arriving).</summary>
    public void WaitFor(string topic, string payload, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!_messages.Any(m => m.Topic == topic && m.Payload == payload))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_arrived.Wait(left)) throw new TimeoutException($"the backend did not see {payload} on {topic}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected) await _client.DisconnectAsync();
        _client.Dispose();
    }
}
