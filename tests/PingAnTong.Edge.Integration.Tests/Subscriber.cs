using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace PingAnTong.Edge.Integration.Tests;

/// <summary>An independent MQTT client (the backend's view): records every message and lets a test await one.</summary>
public sealed class Subscriber : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentQueue<(string Topic, string Payload, bool Retain)> _messages = new();
    private readonly List<(Func<string, string, bool> Match, TaskCompletionSource<string> Done)> _waiters = new();

    public IReadOnlyCollection<(string Topic, string Payload, bool Retain)> Messages => _messages;

    public static async Task<Subscriber> ConnectAsync(int port, string filter = "pat/v1/#")
    {
        var s = new Subscriber();
        s._client.ApplicationMessageReceivedAsync += e =>
        {
            string topic = e.ApplicationMessage.Topic;
            string payload = Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray());
            s._messages.Enqueue((topic, payload, e.ApplicationMessage.Retain));
            lock (s._waiters)
            {
                foreach (var w in s._waiters.Where(w => w.Match(topic, payload)).ToList())
                {
                    w.Done.TrySetResult(payload);
                    s._waiters.Remove(w);
                }
            }
            return Task.CompletedTask;
        };
        await s._client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("test-sub-" + Guid.NewGuid().ToString("N")[..8]).Build());
        await s._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)).Build());
        return s;
    }

    /// <summary>Completes with the payload of the first message (already received or arriving) that matches.</summary>
    public async Task<string> WaitForAsync(Func<string, string, bool> match, int timeoutMs = 20_000, string what = "message")
    {
        var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            foreach (var m in _messages)
            {
                if (match(m.Topic, m.Payload)) return m.Payload;
            }
            _waiters.Add((match, tcs));
        }
        var done = await Task.WhenAny(tcs.Task, Task.Delay(timeoutMs));
        if (done != tcs.Task) throw new TimeoutException($"no {what} within {timeoutMs} ms; received:\n" + string.Join("\n", _messages.Select(m => m.Topic + " " + m.Payload)));
        return await tcs.Task;
    }

    public Task PublishAsync(string topic, string json, bool retain = false) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(json).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build());

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected) await _client.DisconnectAsync();
        _client.Dispose();
    }
}
