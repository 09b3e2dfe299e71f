using System.Buffers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Protocol;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Net;

namespace PingAnTong.Edge.Simulator.Adapters;

/// <summary>
/// The core's transport on MQTTnet. Every outcome is posted into the hub's queue, as the device's
/// M2Mqtt adapter does; reconnect decisions stay with the core's ConnectionManager.
/// </summary>
public sealed class MqttNetTransport : IMessageTransport, IDisposable
{
    private readonly HubQueue _queue;
    private readonly TextWriter _log;
    private IMqttClient _client;
    private volatile bool _connected;

    public MqttNetTransport(HubQueue queue, TextWriter log)
    {
        _queue = queue;
        _log = log;
    }

    /// <summary>When set, TLS trusts only this CA (PEM) and checks the server name, as the device does.</summary>
    public string CaFile { get; set; }

    public void Connect(ConnectRequest request)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var old = Interlocked.Exchange(ref _client, client);
        old?.Dispose();
        client.ApplicationMessageReceivedAsync += e =>
        {
            _queue.Post(HubInput.Message, 0, 0, 0, e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), true);
            return Task.CompletedTask;
        };
        client.DisconnectedAsync += e =>
        {
            if (_connected && ReferenceEquals(_client, client))
            {
                _connected = false;
                _queue.Post(HubInput.Disconnected, 0, 0, 0, "disconnected: " + e.Reason, null, true);
            }
            return Task.CompletedTask;
        };
        _ = Task.Run(async () =>
        {
            try
            {
                var options = BuildOptions(request);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await client.ConnectAsync(options, timeout.Token);
                await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                    .WithTopicFilter(f => f.WithTopic(request.CommandTopic).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                    .Build(), timeout.Token);
                _connected = true;
                _queue.Post(HubInput.Connected, 0, 0, 0, null, null, true);
            }
            catch (Exception e)
            {
                _queue.Post(HubInput.ConnectFailed, 0, 0, 0, e.GetBaseException().Message, null, true);
            }
        });
    }

    private MqttClientOptions BuildOptions(ConnectRequest r)
    {
        var b = new MqttClientOptionsBuilder()
            .WithTcpServer(r.Host, r.Port)
            .WithClientId(r.ClientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithCleanSession(r.CleanSession)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(r.KeepAliveSeconds))
            .WithWillTopic(r.WillTopic)
            .WithWillPayload(r.WillPayload)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTimeout(TimeSpan.FromSeconds(15));
        if (r.Username != null)
        {
            string password = r.PasswordFile != null ? File.ReadAllText(r.PasswordFile).Trim() : null;
            b = b.WithCredentials(r.Username, password);
        }
        if (r.Tls)
        {
            string caFile = CaFile ?? r.CaFile;
            b = b.WithTlsOptions(o => o.UseTls(true).WithCertificateValidationHandler(ctx => Validate(ctx.Certificate, ctx.SslPolicyErrors, caFile)));
        }
        return b.Build();
    }

    /// <summary>Trusts a server certificate only when it chains to the configured CA and its name matches.</summary>
    internal static bool Validate(X509Certificate certificate, SslPolicyErrors errors, string caFile)
    {
        if (certificate == null) return false;
        if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0) return false;
        if (caFile == null) return errors == SslPolicyErrors.None;
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    }

    public void Disconnect()
    {
        _connected = false;
        var client = Interlocked.Exchange(ref _client, null);
        if (client == null) return;
        _ = Task.Run(async () =>
        {
            try { await client.DisconnectAsync(); } catch { }
            client.Dispose();
        });
    }

    /// <summary>Drops the TCP connection without a DISCONNECT packet, so the broker publishes the will (a power cut, seen from the broker).</summary>
    public void Sever()
    {
        _connected = false;
        var client = Interlocked.Exchange(ref _client, null);
        client?.Dispose();
    }

    public bool Publish(string topic, byte[] payload, int length, bool retain, int token)
    {
        var client = _client;
        if (!_connected || client == null || !client.IsConnected) return false;
        var copy = new byte[length];
        Array.Copy(payload, copy, length);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(copy)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        _ = Task.Run(async () =>
        {
            try
            {
                var result = await client.PublishAsync(message);
                if (result.IsSuccess && token != 0) _queue.Post(HubInput.PublishAcked, token, 0, 0, null, null, true);
            }
            catch (Exception e)
            {
                _log.WriteLine("[mqtt] publish failed: " + e.GetBaseException().Message);
            }
        });
        return true;
    }

    public void Dispose() => Sever();
}
