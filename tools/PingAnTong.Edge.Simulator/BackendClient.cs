using System.Buffers;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace PingAnTong.Edge.Simulator;

/// <summary>
/// An independent MQTT client standing in for the call centre: prints what hubs publish and, when
/// <see cref="AutoAck"/> is on, acknowledges every alarm it receives, as an operator would. Every command
/// it sends is signed with the hub's command key and stamped with the current time (docs/mqtt-contract.md,
/// "Signed commands"); without a key it sends them unsigned, and the hub refuses them.
/// </summary>
public sealed class BackendClient : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly TextWriter _out;
    private int _commandNo;

    private readonly CentreKey _key;

    public BackendClient(TextWriter output, CentreKey key = null)
    {
        _out = output;
        _key = key;
    }

    public bool AutoAck { get; set; }

    public event Action<string, string> Received;

    /// <param name="tls">mqtts: the broker's certificate must chain to <paramref name="caFile"/> (PEM), or to the system's roots without one.</param>
    public async Task ConnectAsync(string host, int port, string prefix, bool tls = false, string caFile = null)
    {
        _client.ApplicationMessageReceivedAsync += OnMessage;
        var options = new MqttClientOptionsBuilder().WithTcpServer(host, port).WithClientId("pat-demo-centre-" + Guid.NewGuid().ToString("N")[..6]).WithCleanSession(true);
        if (tls) options = options.WithTlsOptions(t => t.UseTls(true).WithCertificateValidationHandler(ctx => Adapters.MqttNetTransport.Validate(ctx.Certificate, ctx.SslPolicyErrors, caFile)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _client.ConnectAsync(options.Build(), timeout.Token);
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(prefix + "/+/+").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)).Build());
    }

    private async Task OnMessage(MqttApplicationMessageReceivedEventArgs e)
    {
        string topic = e.ApplicationMessage.Topic;
        string payload = Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray());
        if (topic.EndsWith("/cmd")) return;
        _out.WriteLine($"[broker] {topic} {payload}");
        Received?.Invoke(topic, payload);
        if (!AutoAck || !topic.EndsWith("/event")) return;
        using var doc = JsonDocument.Parse(payload);
        var root = doc.RootElement;
        if (root.GetProperty("state").GetString() != "raised") return;
        string cls = root.GetProperty("class").GetString();
        if (cls != "alarm" && cls != "test") return;
        string cmdTopic = topic[..topic.LastIndexOf('/')] + "/cmd";
        await SendAsync(cmdTopic, $$"""{"id":"centre-{{Interlocked.Increment(ref _commandNo)}}","cmd":"ack","alarmId":"{{root.GetProperty("id").GetString()}}"}""");
    }

    /// <summary>Signs <paramref name="json"/> (see <see cref="CentreKey.Sign"/>) and publishes it on the command topic.</summary>
    public Task SendAsync(string topic, string json) =>
        SendRawAsync(topic, _key == null ? json : _key.Sign(CentreKey.HubIdOf(topic), json, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    /// <summary>Publishes exactly <paramref name="payload"/> (QoS 1, not retained).</summary>
    public async Task SendRawAsync(string topic, string payload)
    {
        string json = payload;
        _out.WriteLine($"[centre] {topic} {json}");
        await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(json)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected) await _client.DisconnectAsync();
        _client.Dispose();
    }
}
