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

    /// <summary>
    /// Connects and subscribes to every hub's topics under <paramref name="prefix"/>. With <paramref name="tls"/> (mqtts)
    /// the broker must present a certificate for <paramref name="host"/> that chains to <paramref name="caFile"/> (PEM),
    /// or to the system's roots without one. Without <paramref name="username"/> the centre connects anonymously (the
    /// embedded broker, a lab broker); a broker with accounts and an ACL needs the backend's account (pat provision's
    /// pat.backend). A broker that refuses the login or the subscription throws <see cref="CentreConnectException"/>,
    /// saying what to check; a broker that cannot be reached (nothing listening, TLS refused, no answer within 10 s)
    /// throws MQTTnet's or the socket's exception, for the caller to name the broker.
    /// </summary>
    public async Task ConnectAsync(string host, int port, string prefix, bool tls = false, string caFile = null, string username = null, string password = null)
    {
        _client.ApplicationMessageReceivedAsync += OnMessage;
        var builder = new MqttClientOptionsBuilder().WithTcpServer(host, port)
            .WithClientId("pat-demo-centre-" + Guid.NewGuid().ToString("N")[..6]) // a broker with use_username_as_clientid uses the user name instead
            .WithCleanSession(true)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (username != null) builder = builder.WithCredentials(username, password);
        if (tls) builder = builder.WithTlsOptions(t => t.UseTls(true).WithCertificateValidationHandler(ctx => Adapters.MqttNetTransport.Validate(ctx.Certificate, ctx.SslPolicyErrors, caFile)));
        string who = username == null ? "anonymously (no --centre-username)" : "as " + username;
        string where = $"{(tls ? "mqtts" : "mqtt")}://{host}:{port}";
        MqttClientConnectResultCode code;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            code = (await _client.ConnectAsync(builder.Build(), timeout.Token)).ResultCode;
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException e) when (e.InnerException is not (MQTTnet.Exceptions.MqttCommunicationTimedOutException or OperationCanceledException))
        {
            // The connection was made and the broker answered the login with a refusal (or closed it).
            throw new CentreConnectException($"the broker at {where} refused the stand-in centre's login {who}: {e.Message}. " + LoginHint(username));
        }
        if (code != MqttClientConnectResultCode.Success)
        {
            throw new CentreConnectException($"the broker at {where} refused the stand-in centre's login {who}: {code}. " + LoginHint(username));
        }
        var subscribed = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(prefix + "/+/+").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)).Build());
        foreach (var item in subscribed.Items)
        {
            if (item.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2)
                throw new CentreConnectException($"the broker at {where} refused the stand-in centre's subscription to {item.TopicFilter.Topic} {who}: {item.ResultCode}; the backend account must be allowed to read {prefix}/#");
        }
    }

    private static string LoginHint(string username) => username == null
        ? "A broker with accounts (docs/broker/mosquitto.conf: allow_anonymous false) needs the backend account: --centre-username pat.backend --centre-password-file secret/broker-PROFILE/backend-password"
        : "Check --centre-username and --centre-password-file (pat provision's secret/broker-PROFILE/backend-password)";

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

/// <summary>The stand-in centre could not connect or log in; the message says what to check.</summary>
public sealed class CentreConnectException : Exception
{
    public CentreConnectException(string message) : base(message) { }
}
