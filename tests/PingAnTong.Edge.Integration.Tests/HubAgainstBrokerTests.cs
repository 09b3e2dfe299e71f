using System.Text.Json;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Simulator;
using PingAnTong.Edge.Simulator.Adapters;
using PingAnTong.Edge.Tests.Contract;
using Xunit;

namespace PingAnTong.Edge.Integration.Tests;

/// <summary>The simulator's hub (the real core, real time) against real brokers.</summary>
public class HubAgainstBrokerTests
{
    public static IEnumerable<object[]> Brokers()
    {
        yield return new object[] { "mqttnet" };
        if (MosquittoTestBroker.Installed) yield return new object[] { "mosquitto" };
    }

    private static async Task<ITestBroker> StartBroker(string name) =>
        name == "mosquitto" ? await MosquittoTestBroker.StartAsync() : await MqttNetTestBroker.StartAsync();

    private static HubConfig Config(int port, bool tls = false, string caFile = null)
    {
        var c = SimulatedHub.LoadConfig(null);
        c.HubId = "it-" + Guid.NewGuid().ToString("N")[..8];
        c.Broker.Host = "127.0.0.1";
        c.Broker.Port = port;
        c.Broker.Tls = tls;
        c.Broker.CaFile = caFile;
        return c;
    }

    private static Task WaitForIndication(SimulatedHub hub, int indication, int timeoutMs = 20_000)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Indicator.Changed += i => { if (i == indication) tcs.TrySetResult(); };
        if (hub.Indicator.Current == indication) tcs.TrySetResult();
        return tcs.Task.WaitAsync(TimeSpan.FromMilliseconds(timeoutMs));
    }

    private static Func<string, string, bool> Status(string hubId, string state, int minSession = 0) => (t, p) =>
        t == $"pat/v1/{hubId}/status" && JsonDocument.Parse(p).RootElement.GetProperty("state").GetString() == state
        && JsonDocument.Parse(p).RootElement.GetProperty("session").GetInt32() >= minSession;

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task Sos_reaches_an_independent_subscriber_and_the_backend_ack_turns_the_indication_to_help_coming(string brokerName)
    {
        await using var broker = await StartBroker(brokerName);
        await using var backend = await Subscriber.ConnectAsync(broker.Port);
        var config = Config(broker.Port);
        var key = CentreKey.For(config); // the hub and its centre share a key, as pat provision gives them
        using var hub = new SimulatedHub(config, Directory.CreateTempSubdirectory("pat-it-").FullName, TextWriter.Null, secretFiles: CentreKey.SecretFilesFor(key));
        await backend.WaitForAsync(Status(config.HubId, "online"), what: "birth");

        hub.Press("sos", 100);
        string sos = await backend.WaitForAsync((t, p) => t.EndsWith("/event") && p.Contains("\"kind\":\"sos\""), what: "SOS event");
        Assert.Empty(ContractSchemas.Validate("event", sos));
        string alarmId = JsonDocument.Parse(sos).RootElement.GetProperty("id").GetString();

        await backend.PublishAsync($"pat/v1/{config.HubId}/cmd", key.Sign(config.HubId, $$"""{"id":"it-ack","cmd":"ack","alarmId":"{{alarmId}}"}""", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        await WaitForIndication(hub, Indication.HelpComing);
        string reply = await backend.WaitForAsync((t, p) => t.EndsWith("/reply") && p.Contains("\"commandId\":\"it-ack\""), what: "reply");
        Assert.Empty(ContractSchemas.Validate("reply", reply));
        Assert.Equal(0, JsonDocument.Parse(reply).RootElement.GetProperty("status").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task Killing_the_hub_makes_the_broker_publish_lost_and_a_restart_a_new_birth_with_the_next_session(string brokerName)
    {
        await using var broker = await StartBroker(brokerName);
        await using var backend = await Subscriber.ConnectAsync(broker.Port);
        var config = Config(broker.Port);
        string data = Directory.CreateTempSubdirectory("pat-it-").FullName;
        var hub = new SimulatedHub(config, data, TextWriter.Null);
        string birth = await backend.WaitForAsync(Status(config.HubId, "online"), what: "birth");
        int session = JsonDocument.Parse(birth).RootElement.GetProperty("session").GetInt32();

        hub.Stop(abrupt: true); // power cut: no DISCONNECT, the broker publishes the will
        string lost = await backend.WaitForAsync(Status(config.HubId, "lost"), timeoutMs: 60_000, what: "lost will");
        Assert.Empty(ContractSchemas.Validate("status", lost));
        Assert.Equal(session, JsonDocument.Parse(lost).RootElement.GetProperty("session").GetInt32());

        // The lost status is retained: a backend that connects later still sees it.
        await using (var late = await Subscriber.ConnectAsync(broker.Port, $"pat/v1/{config.HubId}/status"))
        {
            await late.WaitForAsync(Status(config.HubId, "lost"), what: "retained lost");
            Assert.Contains(late.Messages, m => m.Retain);
        }

        using var again = new SimulatedHub(config, data, TextWriter.Null);
        string rebirth = await backend.WaitForAsync(Status(config.HubId, "online", session + 1), what: "new birth");
        var r = JsonDocument.Parse(rebirth).RootElement;
        Assert.Equal(session + 1, r.GetProperty("session").GetInt32());
        Assert.Equal(2, r.GetProperty("bootCount").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task An_alarm_raised_while_the_broker_is_down_arrives_after_it_comes_back(string brokerName)
    {
        int port = EmbeddedBroker.FreePort();
        var config = Config(port);
        using var hub = new SimulatedHub(config, Directory.CreateTempSubdirectory("pat-it-").FullName, TextWriter.Null);
        hub.Press("sos", 100); // stored; no broker yet
        await using var broker = brokerName == "mosquitto" ? await StartMosquittoOn(port) : await StartMqttNetOn(port);
        await using var backend = await Subscriber.ConnectAsync(broker.Port);
        string sos = await backend.WaitForAsync((t, p) => t.EndsWith("/event") && p.Contains("\"kind\":\"sos\""), timeoutMs: 30_000, what: "SOS after outage");
        Assert.Empty(ContractSchemas.Validate("event", sos));
    }

    /// <summary>
    /// Issue 17, finding 3: a retained reboot command ran again at every boot (a reboot loop) because the
    /// transports dropped the retain flag. Here a signed, fresh reboot waits retained on a real broker; the
    /// broker hands it to the hub at subscribe with the flag set, and the hub refuses it (status 8) instead of
    /// rebooting. This exercises the simulator's transport (MqttNetTransport); the device's M2MqttTransport has
    /// DeviceLinkTests.Connects_with_the_generation_publishes_with_acks_and_receives_commands_with_their_retain_flag.
    /// </summary>
    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task A_retained_reboot_command_waiting_on_the_broker_is_refused_and_the_hub_does_not_reboot(string brokerName)
    {
        await using var broker = await StartBroker(brokerName);
        await using var backend = await Subscriber.ConnectAsync(broker.Port);
        var config = Config(broker.Port);
        var key = CentreKey.For(config);
        string topic = $"pat/v1/{config.HubId}/cmd";
        await backend.PublishAsync(topic, key.Sign(config.HubId, """{"id":"retained-reboot","cmd":"reboot"}""", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), retain: true);
        await backend.WaitForAsync((t, p) => t == topic && p.Contains("retained-reboot"), what: "the retained command on the broker");
        try
        {
            using var hub = new SimulatedHub(config, Directory.CreateTempSubdirectory("pat-it-").FullName, TextWriter.Null, secretFiles: CentreKey.SecretFilesFor(key));
            string reply = await backend.WaitForAsync((t, p) => t.EndsWith("/reply") && p.Contains("\"commandId\":\"retained-reboot\""), what: "reply to the retained reboot");
            var r = JsonDocument.Parse(reply).RootElement;
            Assert.True(CommandStatus.Refused == r.GetProperty("status").GetInt32(), reply);
            Assert.Contains("retained commands are ignored", r.GetProperty("reason").GetString());
            Assert.Equal(1, hub.Boots);
            Assert.Equal(1, hub.Hub.Commands.RetainedIgnored);
        }
        finally
        {
            await backend.PublishAsync(topic, "", retain: true); // clears it
        }
    }

    private static async Task<ITestBroker> StartMqttNetOn(int port) => new PortBroker(await EmbeddedBroker.StartAsync(port), port);
    private static async Task<ITestBroker> StartMosquittoOn(int port) => await MosquittoOnPort.StartAsync(port);

    private sealed class PortBroker(EmbeddedBroker broker, int port) : ITestBroker
    {
        public string Name => "mqttnet";
        public int Port => port;
        public ValueTask DisposeAsync() => broker.DisposeAsync();
    }

    private static class MosquittoOnPort
    {
        public static async Task<ITestBroker> StartAsync(int port) => await MosquittoTestBroker.StartAsync(fixedPort: port);
    }
}
