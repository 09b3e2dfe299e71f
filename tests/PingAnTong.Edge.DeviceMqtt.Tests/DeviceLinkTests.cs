using PingAnTong.Edge.Core;
using PingAnTong.Edge.Integration.Tests;
using PingAnTong.Edge.Simulator;
using Xunit;

namespace PingAnTong.Edge.DeviceMqtt.Tests;

/// <summary>
/// The device's M2MqttTransport on the M2Mqtt model, against MQTTnet in-process and Mosquitto (when installed), through a TCP
/// relay that can cut the link (issue 12 item 2, issue 13 item 2): it reports Connected with the request's generation,
/// PublishAcked(generation, token), commands with their retain flag, and every end of a connection it reported up exactly
/// once as Lost(generation), and connects again when asked.
/// </summary>
public class DeviceLinkTests
{
    public static IEnumerable<object[]> Brokers()
    {
        yield return new object[] { "mqttnet" };
        if (MosquittoTestBroker.Installed) yield return new object[] { "mosquitto" };
    }

    public static IEnumerable<object[]> Cuts()
    {
        foreach (var broker in Brokers())
        {
            foreach (var cut in new[] { "broker-stop", "socket-close", "restart-session-lost", "half-open" }) yield return new[] { broker[0], cut };
            if ((string)broker[0] == "mosquitto") yield return new[] { broker[0], "restart-session-kept" };
        }
    }

    /// <summary>A broker on a fixed port (so it can restart there), optionally persistent (Mosquitto).</summary>
    private sealed class BrokerOnPort : IAsyncDisposable
    {
        public readonly string Name;
        public readonly int Port = EmbeddedBroker.FreePort();
        public readonly string PersistFolder;
        private IAsyncDisposable _broker;

        public BrokerOnPort(string name, bool persist)
        {
            Name = name;
            if (persist) PersistFolder = Directory.CreateTempSubdirectory("pat-dm-persist-").FullName;
        }

        public async Task StartAsync() => _broker = Name == "mosquitto"
            ? await MosquittoTestBroker.StartAsync(fixedPort: Port, persistFolder: PersistFolder)
            : await EmbeddedBroker.StartAsync(Port);

        public async Task StopAsync()
        {
            var b = _broker;
            _broker = null;
            if (b != null) await b.DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            if (PersistFolder != null) try { Directory.Delete(PersistFolder, true); } catch (IOException) { }
        }
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task Connects_with_the_generation_publishes_with_acks_and_receives_commands_with_their_retain_flag(string brokerName)
    {
        await using var broker = new BrokerOnPort(brokerName, false);
        await broker.StartAsync();
        await using var backend = await Backend.ConnectAsync(broker.Port);
        using var rig = new DeviceRig();
        Assert.False(rig.Publish("{\"n\":0}", 1)); // not connected: refused, the core retries
        // A retained command waiting on the broker is delivered at subscribe with the retain flag set (the hub refuses it).
        await backend.PublishAsync(rig.CommandTopic, "{\"id\":\"retained\"}", retain: true);

        int generation = rig.Connect(rig.Request(broker.Port, cleanSession: true));
        var up = rig.NextLinkOutcome();
        Assert.Equal((HubInput.Connected, generation), (up.Type, up.Generation));
        Assert.True(rig.Transport.IsConnected);
        Assert.Equal(("{\"id\":\"retained\"}", true), rig.ExpectMessage("{\"id\":\"retained\"}"));

        for (int token = 41; token <= 44; token++) Assert.True(rig.Publish("{\"n\":" + token + "}", token));
        for (int token = 41; token <= 44; token++) rig.ExpectAck(generation, token);
        backend.WaitFor(rig.EventTopic, "{\"n\":44}");

        await backend.PublishAsync(rig.CommandTopic, "{\"id\":\"live\"}");
        Assert.Equal(("{\"id\":\"live\"}", false), rig.ExpectMessage("{\"id\":\"live\"}"));
        await backend.PublishAsync(rig.CommandTopic, "", retain: true); // clears the retained command

        // The hub drops the link on purpose and connects again: nothing is reported for the old generation.
        rig.Transport.Disconnect();
        int second = rig.Connect(rig.Request(broker.Port, cleanSession: true));
        var back = rig.NextLinkOutcome();
        Assert.Equal((HubInput.Connected, second), (back.Type, back.Generation));
        Assert.True(rig.Publish("{\"n\":45}", 45));
        rig.ExpectAck(second, 45);
    }

    [Theory]
    [MemberData(nameof(Cuts))]
    public async Task Every_cut_of_the_link_is_reported_once_and_the_link_comes_back(string brokerName, string cut)
    {
        await using var broker = new BrokerOnPort(brokerName, cut == "restart-session-kept");
        await broker.StartAsync();
        await using var relay = new TcpRelay(broker.Port);
        using var rig = new DeviceRig();
        int first = rig.Connect(rig.Request(relay.Port, keepAliveSeconds: 1));
        var up = rig.NextLinkOutcome();
        Assert.Equal((HubInput.Connected, first), (up.Type, up.Generation));

        switch (cut)
        {
            case "broker-stop":
                await broker.StopAsync();
                break;
            case "socket-close":
                relay.CloseAll();
                break;
            case "restart-session-lost":
            case "restart-session-kept":
                await broker.StopAsync();
                await broker.StartAsync();
                break;
            case "half-open":
                // Nothing answers any more: M2Mqtt's keepalive (PINGREQ after 1 s without sending, PINGRESP due within 1 s) finds it.
                relay.Freeze();
                break;
        }
        var lost = rig.NextLinkOutcome(15_000);
        Assert.Equal((HubInput.Disconnected, first), (lost.Type, lost.Generation));
        Assert.False(rig.Transport.IsConnected);
        Assert.False(rig.Publish("{}", 9));

        if (cut == "broker-stop") await broker.StartAsync();
        if (cut == "half-open") relay.Thaw();
        await using var backend = await Backend.ConnectAsync(broker.Port);
        // Published while the hub is away: with the session kept, the broker delivers it at reconnect.
        if (cut == "restart-session-kept") await backend.PublishAsync(rig.CommandTopic, "{\"id\":\"while-away\"}");
        int second = rig.Connect(rig.Request(relay.Port, keepAliveSeconds: 1));
        var back = rig.NextLinkOutcome();
        Assert.Equal((HubInput.Connected, second), (back.Type, back.Generation));
        await backend.PublishAsync(rig.CommandTopic, "{\"id\":\"after\"}");
        rig.ExpectMessage("{\"id\":\"after\"}"); // fails on any further link outcome: the loss was reported once
        Assert.True(rig.Publish("{\"n\":1}", 1));
        rig.ExpectAck(second, 1);
        if (cut == "restart-session-kept") Assert.Contains(("{\"id\":\"while-away\"}", false), rig.Messages);
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task A_publish_the_broker_never_acknowledges_ends_the_link_at_once(string brokerName)
    {
        await using var broker = new BrokerOnPort(brokerName, false);
        await broker.StartAsync();
        await using var relay = new TcpRelay(broker.Port);
        using var rig = new DeviceRig();
        // Keepalive 60 s: only the unacknowledged publish can reveal the dead link within this test.
        int first = rig.Connect(rig.Request(relay.Port, keepAliveSeconds: 60));
        Assert.Equal((HubInput.Connected, first), Outcome(rig.NextLinkOutcome()));
        relay.Freeze();
        var sent = DateTime.UtcNow;
        Assert.True(rig.Publish("{\"n\":7}", 7));
        var lost = rig.NextLinkOutcome(10_000); // M2Mqtt gives up after 3 tries 1 s apart; the hub's own ack timeout is 30 s
        Assert.Equal((HubInput.Disconnected, first), (lost.Type, lost.Generation));
        Assert.Contains("PUBACK", lost.Reason);
        Assert.InRange((DateTime.UtcNow - sent).TotalSeconds, 2.5, 8);
        Assert.False(rig.Transport.IsConnected);

        relay.Thaw();
        int second = rig.Connect(rig.Request(relay.Port, keepAliveSeconds: 60));
        Assert.Equal((HubInput.Connected, second), Outcome(rig.NextLinkOutcome()));
        Assert.True(rig.Publish("{\"n\":8}", 8));
        rig.ExpectAck(second, 8); // fails on any late outcome of the first connection
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task A_connection_that_ends_right_after_the_connack_fails_the_attempt_instead_of_passing_for_up(string brokerName)
    {
        await using var broker = new BrokerOnPort(brokerName, false);
        await broker.StartAsync();
        await using var relay = new TcpRelay(broker.Port) { CutAfterBrokerBytes = 4 }; // CONNACK is 4 bytes
        using var rig = new DeviceRig();
        int first = rig.Connect(rig.Request(relay.Port, keepAliveSeconds: 60, cleanSession: true));
        var outcome = rig.NextLinkOutcome();
        Assert.True(outcome.Type == HubInput.ConnectFailed && outcome.Generation == first, $"{DeviceRig.Name(outcome.Type)}({outcome.Generation}) {outcome.Reason}");

        relay.CutAfterBrokerBytes = 0;
        int second = rig.Connect(rig.Request(relay.Port, keepAliveSeconds: 60, cleanSession: true));
        Assert.Equal((HubInput.Connected, second), Outcome(rig.NextLinkOutcome()));
        Assert.True(rig.Publish("{}", 3));
        rig.ExpectAck(second, 3);
    }

    private static (int, int) Outcome((int Type, int Generation, string Reason) o) =>
        o.Type == HubInput.Connected ? (o.Type, o.Generation) : throw new InvalidOperationException($"{DeviceRig.Name(o.Type)}({o.Generation}): {o.Reason}");
}
