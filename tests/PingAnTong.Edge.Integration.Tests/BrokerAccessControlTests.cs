using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Pat;
using PingAnTong.Edge.Simulator;
using PingAnTong.Edge.Tests;
using Xunit;

namespace PingAnTong.Edge.Integration.Tests;

/// <summary>
/// A batch from <c>pat provision</c> and a real Mosquitto run with the shipped template
/// (docs/broker/mosquitto.conf: TLS only, allow_anonymous false, per-listener settings, client id = user
/// name) and the password and ACL files pat wrote. One broker for the class.
/// </summary>
public sealed class ProvisionedBroker : IAsyncLifetime
{
    public const string Profile = "acl-test";
    public static readonly string[] HubIds = { "hub-a", "hub-b" };

    public TestCertificates Certs { get; private set; }
    public string OutDir { get; private set; }
    public int Port { get; private set; }
    public string Backend { get; private set; }
    public MosquittoTestBroker Broker { get; private set; }
    /// <summary>The Mosquitto config the broker runs: the shipped template with this test's port, certificate and files.</summary>
    public IReadOnlyList<string> ConfigLines { get; private set; }
    /// <summary>Mosquitto's log (every connect, refusal and denial), for a failing test's message.</summary>
    public string Log => File.Exists(Path.Combine(OutDir ?? "", "mosquitto.log")) ? File.ReadAllText(Path.Combine(OutDir, "mosquitto.log")) : "";

    public string AclFile => Path.Combine(OutDir, "broker", Profile, "acl");
    public string PasswordFile => Path.Combine(OutDir, "secret", "broker-" + Profile, "mosquitto.passwd");
    public string Password(string account) => account == Backend
        ? File.ReadAllText(Path.Combine(OutDir, "secret", "broker-" + Profile, "backend-password"))
        : File.ReadAllText(Path.Combine(OutDir, account, "secret", "mqtt-password"));

    public async Task InitializeAsync()
    {
        if (!MosquittoTestBroker.Installed) return;
        Certs = new TestCertificates();
        var (cert, key) = Certs.Server("server", "127.0.0.1", "localhost");
        Port = EmbeddedBroker.FreePort();
        OutDir = Directory.CreateTempSubdirectory("pat-acl-").FullName;
        PatRun.Provision(Path.Combine(OutDir, "input"), OutDir, "hubId,location,board,wifi,brokerProfile\n" +
            string.Join("", HubIds.Select((h, i) => $"{h},350102-009-000{i},esp32-devkitc-v4,Home,{Profile}\n")),
            $$"""{ "{{Profile}}": { "host": "127.0.0.1", "port": {{Port}}, "tls": true, "caFile": "{{Certs.CaFile}}" } }""",
            """{ "wifi": { "Home": "wifi-password-for-the-test" } }""");
        Backend = Provision.DefaultBackendUsername;
        ConfigLines = Render(cert, key);
        Broker = await MosquittoTestBroker.StartWithConfigAsync(ConfigLines, Port);
    }

    private List<string> Render(string cert, string key) => MosquittoTemplate.Render(
        Path.Combine(Paths.RepoRoot, "docs", "broker", "mosquitto.conf"), Port, cert, key, PasswordFile, AclFile, Path.Combine(OutDir, "mosquitto.log"));

    public async Task DisposeAsync()
    {
        if (Broker != null) await Broker.DisposeAsync();
    }
}

/// <summary>
/// Broker-level isolation, rule by rule, against Mosquitto with pat's files: a hub publishes only its own
/// topics and reads only its own commands, only the backend commands, nobody without an account connects.
/// Each "nothing arrives" is closed by a control message sent after it that does arrive, on the same path.
/// The test clients speak MQTT 5 so the broker also names its refusals (the hubs speak 3.1.1, where a refused
/// publish is dropped silently; the delivery checks hold for both).
/// </summary>
public class BrokerAccessControlTests : IClassFixture<ProvisionedBroker>
{
    private readonly ProvisionedBroker _b;
    private static int _marker;

    public BrokerAccessControlTests(ProvisionedBroker broker) => _b = broker;

    private static string Marker(string what) => $"{{\"test\":\"{what}-{Interlocked.Increment(ref _marker)}\"}}";

    [Fact]
    public async Task Nobody_without_a_provisioned_account_connects()
    {
        if (_b.Broker == null) return; // .ci/run installs mosquitto, so CI always runs this
        var refused = new[] { MqttClientConnectResultCode.NotAuthorized, MqttClientConnectResultCode.BadUserNameOrPassword }; // 2.0.11 answers NotAuthorized to both
        Assert.Contains(await Probe.ConnectFailsAsync(_b, null, null), refused);
        Assert.Contains(await Probe.ConnectFailsAsync(_b, "hub-a", null), refused);
        Assert.Contains(await Probe.ConnectFailsAsync(_b, "hub-a", "wrong-password"), refused);
        // One hub's password is not another's, nor the backend's: each account has its own.
        Assert.Contains(await Probe.ConnectFailsAsync(_b, "hub-a", _b.Password("hub-b")), refused);
        Assert.Contains(await Probe.ConnectFailsAsync(_b, _b.Backend, _b.Password("hub-a")), refused);
        Assert.Contains(await Probe.ConnectFailsAsync(_b, "hub-c", _b.Password("hub-a")), refused);
    }

    /// <summary>
    /// The template refuses anonymous clients twice: <c>allow_anonymous false</c>, and <c>use_username_as_clientid
    /// true</c>, which also disconnects a client without a user name. Each alone must hold, so that editing one of
    /// them away on a production broker does not open it (with both removed, <see cref="Nobody_without_a_provisioned_account_connects"/>
    /// fails: checked for the audit in docs/security.md). A second Mosquitto runs the template with one of the
    /// two switched off.
    /// </summary>
    [Theory]
    [InlineData("use_username_as_clientid true", "use_username_as_clientid false")]
    [InlineData("allow_anonymous false", "allow_anonymous true")]
    public async Task Either_of_the_templates_two_anonymous_refusals_alone_keeps_anonymous_clients_out(string line, string replacement)
    {
        if (_b.Broker == null) return;
        int port = EmbeddedBroker.FreePort();
        var lines = _b.ConfigLines.Select(l => l == line ? replacement : l.StartsWith("listener ") ? $"listener {port} 127.0.0.1" : l.StartsWith("log_dest ") ? "log_dest stderr" : l).ToList();
        Assert.Contains(replacement, lines);
        await using var weakened = await MosquittoTestBroker.StartWithConfigAsync(lines, port);
        Assert.NotEqual(MqttClientConnectResultCode.Success, await Probe.TryConnectAsync(_b, null, null, port));
        Assert.NotEqual(MqttClientConnectResultCode.Success, await Probe.TryConnectAsync(_b, "", "", port));
        Assert.Equal(MqttClientConnectResultCode.Success, await Probe.TryConnectAsync(_b, "hub-b", _b.Password("hub-b"), port)); // the control: accounts still work
    }

    [Fact]
    public async Task Plain_tcp_is_not_offered()
    {
        if (_b.Broker == null) return;
        // The only listener is TLS: a plain MQTT CONNECT to it never gets a CONNACK.
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _b.Port).WithCredentials("hub-a", _b.Password("hub-a")).WithTimeout(TimeSpan.FromSeconds(5)).Build();
        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(options));
        client.Dispose();
    }

    [Fact]
    public async Task A_hub_publishes_its_own_topics_and_the_backend_reads_them()
    {
        if (_b.Broker == null) return;
        await using var backend = await Probe.ConnectAsync(_b, _b.Backend);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await backend.SubscribeAsync("pat/v1/#"));
        await using var hub = await Probe.ConnectAsync(_b, "hub-a");
        foreach (var channel in BrokerFiles.HubPublishes)
        {
            string payload = Marker(channel);
            Assert.Equal(MqttClientPublishReasonCode.Success, await hub.PublishAsync($"pat/v1/hub-a/{channel}", payload, retain: channel == "status"));
            await backend.WaitForAsync($"pat/v1/hub-a/{channel}", payload);
        }
        await hub.PublishAsync("pat/v1/hub-a/status", "", retain: true); // clear the retained message
    }

    [Fact]
    public async Task Only_the_backend_commands_a_hub_and_only_that_hub_reads_its_commands()
    {
        if (_b.Broker == null) return;
        await using var hubA = await Probe.ConnectAsync(_b, "hub-a");
        await using var hubB = await Probe.ConnectAsync(_b, "hub-b");
        await using var backend = await Probe.ConnectAsync(_b, _b.Backend);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await hubA.SubscribeAsync("pat/v1/hub-a/cmd"));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await hubB.SubscribeAsync("pat/v1/hub-b/cmd"));
        // hub-b tries to listen to hub-a's commands, directly and by wildcard. Mosquitto 2.0.11 grants the
        // subscription and then withholds every message the ACL does not let hub-b read (checked below).
        await hubB.SubscribeAsync("pat/v1/hub-a/cmd");
        await hubB.SubscribeAsync("pat/v1/+/cmd");

        string command = Marker("cmd");
        Assert.Equal(MqttClientPublishReasonCode.Success, await backend.PublishAsync("pat/v1/hub-a/cmd", command));
        await hubA.WaitForAsync("pat/v1/hub-a/cmd", command);

        // A hub cannot command itself nor another hub.
        string selfCommand = Marker("self"), otherCommand = Marker("other");
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await hubA.PublishAsync("pat/v1/hub-a/cmd", selfCommand));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await hubB.PublishAsync("pat/v1/hub-a/cmd", otherCommand));
        string control = Marker("control");
        await backend.PublishAsync("pat/v1/hub-a/cmd", control);
        await hubA.WaitForAsync("pat/v1/hub-a/cmd", control);
        string controlB = Marker("control");
        await backend.PublishAsync("pat/v1/hub-b/cmd", controlB);
        await hubB.WaitForAsync("pat/v1/hub-b/cmd", controlB);
        Assert.DoesNotContain(hubA.Received, m => m.Payload == selfCommand || m.Payload == otherCommand);
        Assert.DoesNotContain(hubB.Received, m => m.Topic == "pat/v1/hub-a/cmd");
    }

    [Fact]
    public async Task A_hub_can_neither_read_nor_write_another_hubs_topics()
    {
        if (_b.Broker == null) return;
        await using var backend = await Probe.ConnectAsync(_b, _b.Backend);
        await backend.SubscribeAsync("pat/v1/#");
        await using var hubA = await Probe.ConnectAsync(_b, "hub-a");
        await using var hubB = await Probe.ConnectAsync(_b, "hub-b");
        await hubA.SubscribeAsync("pat/v1/hub-a/cmd");
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await hubB.SubscribeAsync("pat/v1/hub-b/cmd"));

        // Read: hub-a asks for hub-b's topics every way it can (Mosquitto 2.0.11 grants the subscriptions and
        // withholds every message hub-a may not read: that is what is checked below).
        foreach (var filter in new[] { "pat/v1/hub-b/event", "pat/v1/hub-b/status", "pat/v1/hub-b/#", "pat/v1/+/event", "pat/v1/#", "#", "$SYS/#" })
            await hubA.SubscribeAsync(filter);
        string retained = Marker("retained");
        await hubB.PublishAsync("pat/v1/hub-b/status", retained, retain: true);
        string eventB = Marker("event-b");
        await hubB.PublishAsync("pat/v1/hub-b/event", eventB);
        await backend.WaitForAsync("pat/v1/hub-b/event", eventB);

        // Write: hub-a forges hub-b's messages (an alarm, a reply, a retained status) and the backend's.
        string[] forged = { Marker("forged-event"), Marker("forged-reply"), Marker("forged-status"), Marker("forged-other") };
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await hubA.PublishAsync("pat/v1/hub-b/event", forged[0]));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await hubA.PublishAsync("pat/v1/hub-b/reply", forged[1]));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await hubA.PublishAsync("pat/v1/hub-b/status", forged[2], retain: true));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await hubA.PublishAsync("pat/v1/hub-a/other", forged[3]));

        // Controls: hub-a's own event reaches the backend after the forgeries, hub-b's command reaches hub-b.
        string own = Marker("own");
        await hubA.PublishAsync("pat/v1/hub-a/event", own);
        await backend.WaitForAsync("pat/v1/hub-a/event", own);
        string control = Marker("control");
        await backend.PublishAsync("pat/v1/hub-a/cmd", control);
        await hubA.WaitForAsync("pat/v1/hub-a/cmd", control);
        Assert.DoesNotContain(backend.Received, m => forged.Contains(m.Payload));
        Assert.DoesNotContain(hubA.Received, m => m.Topic.StartsWith("pat/v1/hub-b/") || m.Payload == retained || m.Payload == eventB);

        // The retained status hub-b left is still hub-b's own, not hub-a's forgery.
        await using var late = await Probe.ConnectAsync(_b, _b.Backend, "late");
        await late.SubscribeAsync("pat/v1/hub-b/status");
        Assert.Equal(retained, await late.WaitForAsync("pat/v1/hub-b/status", null));
        await hubB.PublishAsync("pat/v1/hub-b/status", "", retain: true);
    }

    [Fact]
    public async Task The_backend_cannot_pose_as_a_hub()
    {
        if (_b.Broker == null) return;
        await using var backend = await Probe.ConnectAsync(_b, _b.Backend);
        await backend.SubscribeAsync("pat/v1/#");
        string forged = Marker("forged");
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await backend.PublishAsync("pat/v1/hub-a/event", forged));
        string command = Marker("cmd");
        await backend.PublishAsync("pat/v1/hub-a/cmd", command);
        await backend.WaitForAsync("pat/v1/hub-a/cmd", command); // the backend reads commands too (audit)
        Assert.DoesNotContain(backend.Received, m => m.Payload == forged);
    }

    [Fact]
    public async Task A_hub_cannot_push_another_hub_off_the_broker_with_its_client_id()
    {
        if (_b.Broker == null) return;
        await using var hubA = await Probe.ConnectAsync(_b, "hub-a", clientId: "pat-hub-a");
        // hub-b connects with hub-a's client id: the broker uses hub-b's user name as its client id instead.
        await using var hubB = await Probe.ConnectAsync(_b, "hub-b", clientId: "pat-hub-a");
        await using var backend = await Probe.ConnectAsync(_b, _b.Backend);
        string command = Marker("still-there");
        await hubA.SubscribeAsync("pat/v1/hub-a/cmd");
        await backend.PublishAsync("pat/v1/hub-a/cmd", command);
        await hubA.WaitForAsync("pat/v1/hub-a/cmd", command);
        Assert.True(hubA.Connected && hubB.Connected);
    }

    [Fact]
    public async Task A_provisioned_hub_runs_its_whole_contract_under_the_acl()
    {
        if (_b.Broker == null) return;
        await using var backend = await Probe.ConnectAsync(_b, _b.Backend);
        await backend.SubscribeAsync("pat/v1/#");
        string hubDir = Path.Combine(_b.OutDir, "hub-a");
        var config = ConfigParser.Parse(File.ReadAllBytes(Path.Combine(hubDir, "config.json")));
        Assert.Equal("hub-a", config.Broker.Username);
        config.Broker.PasswordFile = Path.Combine(hubDir, "secret", "mqtt-password"); // I:\mqtt-password on the device
        config.CommandKeyFile = Path.Combine(hubDir, "secret", "command-key");           // I:\command-key on the device
        var centre = CentreKey.For(config); // the backend's copy of the same key (secret/broker-lab/command-keys.csv)
        using var hub = new SimulatedHub(config, Directory.CreateTempSubdirectory("pat-acl-hub-").FullName, TextWriter.Null, _b.Certs.CaFile);
        await backend.WaitForAsync("pat/v1/hub-a/status", null, "\"online\"");
        hub.Press("sos", 300);
        string alarm = await backend.WaitForAsync("pat/v1/hub-a/event", null, "\"kind\":\"sos\"");
        string alarmId = System.Text.Json.JsonDocument.Parse(alarm).RootElement.GetProperty("id").GetString();
        await backend.PublishAsync("pat/v1/hub-a/cmd", centre.Sign("hub-a", $$"""{"id":"acl-ack-1","cmd":"ack","alarmId":"{{alarmId}}"}""", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        string reply = await backend.WaitForAsync("pat/v1/hub-a/reply", null, "acl-ack-1");
        Assert.Contains("\"status\":0", reply);
        hub.Stop(abrupt: false);
    }

    /// <summary>
    /// The simulator as an operator runs it against the provisioned broker: its hub with hub-a's config,
    /// password and command key, its stand-in centre with the backend account and the backend's key list, both
    /// from the files pat provision wrote. The SOS reaches the centre through the ACL, the centre's signed ack
    /// reaches the hub, and the hub's reply comes back to the centre (the demo exits 0 only then).
    /// </summary>
    [Fact]
    public async Task The_simulators_hub_and_stand_in_centre_run_under_the_acl_with_their_own_accounts()
    {
        if (_b.Broker == null) return;
        string hubDir = Path.Combine(_b.OutDir, "hub-a");
        string brokerSecrets = Path.Combine(_b.OutDir, "secret", "broker-" + ProvisionedBroker.Profile);
        await using var sim = SimulatorProcess.Start("demo", "--broker", $"mqtts://127.0.0.1:{_b.Port}", "--ca", _b.Certs.CaFile,
            "--config", Path.Combine(hubDir, "config.json"),
            "--password-file", Path.Combine(hubDir, "secret", "mqtt-password"),
            "--command-key-file", Path.Combine(hubDir, "secret", "command-key"),
            "--centre-username", _b.Backend,
            "--centre-password-file", Path.Combine(brokerSecrets, "backend-password"),
            "--centre-keys", Path.Combine(brokerSecrets, "command-keys.csv"));
        int rc = await sim.WaitForExitAsync(60_000);
        string output = sim.Output;
        Assert.True(rc == 0, $"the demo exited with {rc}:\n{output}\nmosquitto:\n{_b.Log}");
        var lines = output.Split('\n');
        // The SOS reached the centre through the broker, the centre's ack went out signed, the hub's reply came back.
        Assert.Contains(lines, l => l.StartsWith("[broker] pat/v1/hub-a/event ") && l.Contains("\"kind\":\"sos\"") && l.Contains("\"state\":\"raised\""));
        Assert.Contains(lines, l => l.StartsWith("[centre] pat/v1/hub-a/cmd ") && l.Contains("\"cmd\":\"ack\"") && l.Contains("\"sig\":\""));
        Assert.Contains(lines, l => l.StartsWith("[broker] pat/v1/hub-a/reply ") && l.Contains("\"commandId\":\"centre-") && l.Contains("\"status\":0"));
        Assert.Contains("Demo done", output);
        Assert.DoesNotContain("WARNING: the hub and the centre hold different command keys", output);
        // Each logged in with its own account: the broker names them (client id = user name).
        Assert.Contains($"u'{_b.Backend}'", _b.Log);
        Assert.Contains("u'hub-a'", _b.Log);
        // No password, PIN or key in what the simulator printed.
        foreach (var secret in new[] { _b.Password("hub-a"), _b.Password(_b.Backend), File.ReadAllText(Path.Combine(hubDir, "secret", "command-key")).Trim() })
            Assert.DoesNotContain(secret, output);
    }

    /// <summary>
    /// The stand-in centre as it was before it had an account (anonymous), and with a wrong password: the broker
    /// refuses it and the simulator says so and what to give, instead of hanging or printing a stack trace.
    /// </summary>
    [Fact]
    public async Task The_stand_in_centre_without_the_backend_account_is_refused_and_told_what_to_give()
    {
        if (_b.Broker == null) return;
        string hubDir = Path.Combine(_b.OutDir, "hub-a");
        string[] common = { "demo", "--broker", $"mqtts://127.0.0.1:{_b.Port}", "--ca", _b.Certs.CaFile, "--config", Path.Combine(hubDir, "config.json"),
            "--password-file", Path.Combine(hubDir, "secret", "mqtt-password"), "--command-key-file", Path.Combine(hubDir, "secret", "command-key") };
        await using (var anonymous = SimulatorProcess.Start(common))
        {
            Assert.Equal(1, await anonymous.WaitForExitAsync(60_000));
            Assert.Contains("stderr: error: the broker at mqtts://127.0.0.1:" + _b.Port + " refused the stand-in centre's login anonymously (no --centre-username)", anonymous.Output);
            Assert.Contains("--centre-username pat.backend --centre-password-file secret/broker-PROFILE/backend-password", anonymous.Output);
            Assert.DoesNotContain("   at ", anonymous.Output); // no stack trace
        }
        string wrong = Path.Combine(_b.OutDir, "wrong-backend-password");
        File.WriteAllText(wrong, _b.Password("hub-a")); // a real password, but another account's
        await using (var wrongPassword = SimulatorProcess.Start(common.Concat(new[] { "--centre-username", _b.Backend, "--centre-password-file", wrong }).ToArray()))
        {
            Assert.Equal(1, await wrongPassword.WaitForExitAsync(60_000));
            Assert.Contains($"refused the stand-in centre's login as {_b.Backend}", wrongPassword.Output);
            Assert.Contains("Check --centre-username and --centre-password-file", wrongPassword.Output);
            Assert.DoesNotContain(_b.Password("hub-a"), wrongPassword.Output);
        }
    }

    /// <summary>A test client over TLS trusting the test CA, MQTT 5, recording what it receives.</summary>
    private sealed class Probe : IAsyncDisposable
    {
        private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
        private readonly ConcurrentQueue<(string Topic, string Payload)> _received = new();
        private readonly SemaphoreSlim _arrived = new(0);

        public IReadOnlyCollection<(string Topic, string Payload)> Received => _received;
        public bool Connected => _client.IsConnected;

        private static MqttClientOptions Options(ProvisionedBroker b, string user, string password, string clientId, int port = 0)
        {
            var builder = new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port != 0 ? port : b.Port)
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId(clientId)
                .WithCleanSession(true)
                .WithTimeout(TimeSpan.FromSeconds(10))
                .WithTlsOptions(o => o.UseTls(true).WithCertificateValidationHandler(ctx => PingAnTong.Edge.Simulator.Adapters.MqttNetTransport.Validate(ctx.Certificate, ctx.SslPolicyErrors, b.Certs.CaFile)));
            if (user != null) builder = builder.WithCredentials(user, password);
            return builder.Build();
        }

        public static async Task<Probe> ConnectAsync(ProvisionedBroker b, string account, string clientId = null)
        {
            var p = new Probe();
            p._client.ApplicationMessageReceivedAsync += e =>
            {
                p._received.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray())));
                p._arrived.Release();
                return Task.CompletedTask;
            };
            await p._client.ConnectAsync(Options(b, account, b.Password(account), clientId ?? account + "-" + Guid.NewGuid().ToString("N")[..6]));
            return p;
        }

        /// <summary>Connects and expects the broker to refuse; returns its reason.</summary>
        public static async Task<MqttClientConnectResultCode> ConnectFailsAsync(ProvisionedBroker b, string user, string password, int port = 0)
        {
            var result = await TryConnectAsync(b, user, password, port);
            return result == MqttClientConnectResultCode.Success ? throw new InvalidOperationException($"{user ?? "anonymous"} connected") : result;
        }

        /// <summary>Connects, disconnects, and returns the broker's CONNACK code.</summary>
        public static async Task<MqttClientConnectResultCode> TryConnectAsync(ProvisionedBroker b, string user, string password, int port = 0)
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            // MQTTnet 5 returns the broker's CONNACK code rather than throwing.
            var result = await client.ConnectAsync(Options(b, user, password, "probe-" + Guid.NewGuid().ToString("N")[..6], port));
            if (client.IsConnected) await client.DisconnectAsync();
            return result.ResultCode;
        }

        public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string filter)
        {
            var result = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)).Build());
            return result.Items.Single().ResultCode;
        }

        public async Task<MqttClientPublishReasonCode> PublishAsync(string topic, string payload, bool retain = false)
        {
            var result = await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build());
            return result.ReasonCode;
        }

        /// <summary>Waits for a message on <paramref name="topic"/> equal to <paramref name="payload"/> (or, when null, containing <paramref name="containing"/>).</summary>
        public async Task<string> WaitForAsync(string topic, string payload, string containing = "")
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (true)
            {
                foreach (var m in _received)
                {
                    if (m.Topic == topic && (payload != null ? m.Payload == payload : m.Payload.Length > 0 && m.Payload.Contains(containing))) return m.Payload;
                }
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
                    throw new TimeoutException($"nothing on {topic} ({payload ?? containing}); received:\n" + string.Join("\n", _received.Select(m => m.Topic + " " + m.Payload)));
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_client.IsConnected) await _client.DisconnectAsync();
            _client.Dispose();
        }
    }
}

/// <summary>
/// Issue 17, finding 10: the contract said only "per-device credentials and TLS". Its ACL guidance, and
/// security.md's, must be the rules pat provision writes (and the Mosquitto tests above enforce), rule for rule.
/// </summary>
public class BrokerAccessControlDocsTests
{
    [Theory]
    [InlineData("mqtt-contract.md")]
    [InlineData("security.md")]
    public void The_documented_acl_is_the_one_pat_writes(string doc)
    {
        var rules = BrokerFiles.Acl("pat/v1", Provision.DefaultBackendUsername).Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Equal(9, rules.Count);
        string text = File.ReadAllText(Path.Combine(Paths.RepoRoot, "docs", doc));
        var blocks = text.Split("```").Where((_, i) => i % 2 == 1)
            .Select(b => b.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList()).ToList();
        Assert.Contains(blocks, b => b.SequenceEqual(rules));
        Assert.Contains("allow_anonymous false", text);
    }
}
