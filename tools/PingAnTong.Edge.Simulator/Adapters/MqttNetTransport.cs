using System.Buffers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Protocol;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Net;

namespace PingAnTong.Edge.Simulator.Adapters;

/// <summary>
/// The core's transport on MQTTnet. Every outcome goes to the hub through <see cref="LinkEvents"/>,
/// tagged with the generation of the connect attempt, as the device's M2Mqtt adapter does; reconnect
/// decisions stay with the core's ConnectionManager. Every end of a connection that was reported up is
/// reported as lost exactly once, however it ends: the broker goes away, the socket is closed
/// (<see cref="Sever"/>), a publish fails. A connect that completes after the hub moved on is closed
/// and not reported. The host's clean stop (<see cref="Close"/>) reports nothing.
/// </summary>
public sealed class MqttNetTransport : IMessageTransport, IDisposable
{
    /// <summary>One MQTTnet client and what has been reported about it.</summary>
    private sealed class Connection(IMqttClient client, int generation)
    {
        public readonly IMqttClient Client = client;
        public readonly int Generation = generation;
        public volatile bool Up;
        private int _ended;

        /// <summary>True the first time only: the caller reports the end.</summary>
        public bool End() => Interlocked.Exchange(ref _ended, 1) == 0;
    }

    private readonly LinkEvents _link;
    private readonly TextWriter _log;
    private Connection _current;
    private volatile bool _blocked;

    public MqttNetTransport(LinkEvents link, TextWriter log)
    {
        _link = link;
        _log = log;
    }

    /// <summary>When set, TLS trusts only this CA (PEM) and checks the server name, as the device does.</summary>
    public string CaFile { get; set; }

    /// <summary>How long MQTTnet waits for a broker's answer (CONNACK, SUBACK, PUBACK) before it gives up.</summary>
    public TimeSpan CommunicationTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Outbox publishes (not the birth) the broker acknowledged (PUBACK), since this transport was made.</summary>
    public int AcknowledgedPublishes => _acknowledged;

    /// <summary>Messages received on subscribed topics, since this transport was made.</summary>
    public int ReceivedMessages => _received;

    private int _acknowledged;
    private int _received;

    /// <summary>True while the current connection is up.</summary>
    public bool IsConnected => _current is { Up: true } c && c.Client.IsConnected;

    private long _publishCalls;
    private long _connectCalls;

    /// <summary>Publishes the hub asked for (accepted or refused), since this transport was made: how a test sees that nothing spins.</summary>
    public long PublishCalls => Interlocked.Read(ref _publishCalls);

    /// <summary>Connect attempts the hub asked for, since this transport was made.</summary>
    public long ConnectCalls => Interlocked.Read(ref _connectCalls);

    /// <summary>
    /// The simulator's "link down": the connection is cut (as a pulled cable: no DISCONNECT, the broker
    /// publishes the will) and connects fail until <see cref="Unblock"/>.
    /// </summary>
    public void Block()
    {
        _blocked = true;
        Sever();
    }

    public void Unblock() => _blocked = false;

    public void Connect(ConnectRequest request)
    {
        Interlocked.Increment(ref _connectCalls);
        int generation = request.Generation;
        var conn = new Connection(new MqttClientFactory().CreateMqttClient(), generation);
        Connection old = Interlocked.Exchange(ref _current, conn);
        if (old != null) { old.End(); Dispose(old, polite: true); }
        if (_blocked)
        {
            conn.End();
            _link.ConnectFailed(generation, "link down (simulator)");
            return;
        }
        conn.Client.ApplicationMessageReceivedAsync += e =>
        {
            Interlocked.Increment(ref _received);
            _link.Message(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), e.ApplicationMessage.Retain);
            return Task.CompletedTask;
        };
        conn.Client.DisconnectedAsync += e =>
        {
            if (conn.Up && conn.End()) _link.Lost(generation, "disconnected: " + e.Reason);
            return Task.CompletedTask;
        };
        _ = Task.Run(async () =>
        {
            try
            {
                var options = BuildOptions(request);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await conn.Client.ConnectAsync(options, timeout.Token);
                await conn.Client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                    .WithTopicFilter(f => f.WithTopic(request.CommandTopic).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                    .Build(), timeout.Token);
                if (!ReferenceEquals(_current, conn))
                {
                    // The hub gave up on this attempt (timeout, new attempt, disconnect) while it completed.
                    Dispose(conn, polite: true);
                    return;
                }
                conn.Up = true;
                _link.Connected(generation);
                if (!conn.Client.IsConnected && conn.End()) _link.Lost(generation, "disconnected while subscribing");
            }
            catch (Exception e)
            {
                if (conn.End()) _link.ConnectFailed(generation, e.GetBaseException().Message);
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
            .WithTimeout(CommunicationTimeout);
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
    public static bool Validate(X509Certificate certificate, SslPolicyErrors errors, string caFile)
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
        Connection conn = Interlocked.Exchange(ref _current, null);
        if (conn == null) return;
        conn.End(); // asked for by the hub: nothing to report
        Dispose(conn, polite: true);
    }

    /// <summary>
    /// A clean stop, for the host (not the hub): when connected, publishes <paramref name="payload"/>
    /// retained on <paramref name="topic"/> (QoS 1, unless <paramref name="topic"/> is null) and waits for
    /// the broker's acknowledgement, then sends DISCONNECT and waits until the connection is closed, so
    /// the broker discards the will and a new connection with the same client id cannot race the old
    /// one. Nothing is reported to the hub. Returns true when the message was acknowledged (or none was
    /// asked for) and the disconnect completed, all within <paramref name="timeoutMs"/>.
    /// </summary>
    public bool Close(string topic, byte[] payload, int timeoutMs)
    {
        Connection conn = Interlocked.Exchange(ref _current, null);
        if (conn == null) return false;
        conn.End(); // asked for by the host: nothing to report
        bool up = conn.Up && conn.Client.IsConnected;
        var close = Task.Run(async () =>
        {
            bool ok = up;
            using var timeout = new CancellationTokenSource(timeoutMs);
            try
            {
                if (up && topic != null)
                {
                    var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(true).Build();
                    ok = (await conn.Client.PublishAsync(message, timeout.Token)).IsSuccess;
                }
                if (conn.Client.IsConnected) await conn.Client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token);
            }
            catch (Exception e)
            {
                _log.WriteLine("[mqtt] clean disconnect failed: " + e.GetBaseException().Message);
                ok = false;
            }
            finally
            {
                conn.Client.Dispose();
            }
            return ok;
        });
        // Not awaited: the hub loop thread calls this at a reboot; MQTTnet does not need this thread.
        return close.Wait(timeoutMs + 1000) && close.Result;
    }

    /// <summary>Drops the TCP connection without a DISCONNECT packet, so the broker publishes the will (a
    /// power cut or a pulled cable, seen from the broker). The hub is told the link is lost.</summary>
    public void Sever()
    {
        Connection conn = Interlocked.Exchange(ref _current, null);
        if (conn == null) return;
        if (conn.End()) _link.Lost(conn.Generation, conn.Up ? "link cut" : "link cut while connecting");
        conn.Client.Dispose();
    }

    private static void Dispose(Connection conn, bool polite)
    {
        _ = Task.Run(async () =>
        {
            try { if (polite && conn.Client.IsConnected) await conn.Client.DisconnectAsync(); } catch { }
            conn.Client.Dispose();
        });
    }

    public bool Publish(string topic, byte[] payload, int length, bool retain, int token)
    {
        Interlocked.Increment(ref _publishCalls);
        Connection conn = _current;
        if (conn == null || !conn.Up || !conn.Client.IsConnected) return false;
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
                var result = await conn.Client.PublishAsync(message);
                if (result.IsSuccess)
                {
                    if (token != 0) Interlocked.Increment(ref _acknowledged);
                    _link.PublishAcked(conn.Generation, token);
                }
                else if (conn.End()) _link.Lost(conn.Generation, "broker refused a publish: " + result.ReasonCode);
            }
            catch (Exception e)
            {
                // A QoS 1 publish that fails (no PUBACK in time, connection gone) means this connection is dead.
                _log.WriteLine("[mqtt] publish failed: " + e.GetBaseException().Message);
                if (conn.End()) _link.Lost(conn.Generation, "publish failed: " + e.GetBaseException().Message);
            }
        });
        return true;
    }

    public void Dispose() => Sever();
}
