using System.Text;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Simulator;
using PingAnTong.Edge.Simulator.Adapters;
using Xunit;

namespace PingAnTong.Edge.Integration.Tests;

/// <summary>
/// The simulator's MQTTnet transport must report the end of every connection it reported up, through
/// the hub's LinkEvents, however the link is cut (issue 12): the broker stops, the socket closes, the
/// broker restarts with the hub's session kept or lost, or the link goes half-open and nothing answers.
/// Each case runs against the in-process MQTTnet broker and against Mosquitto. The device's M2Mqtt
/// adapter reports through the same LinkEvents; it is covered by the unit tests' fake transport until
/// the virtual ESP32 can run it.
/// </summary>
public class TransportLinkFaultTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (var broker in HubAgainstBrokerTests.Brokers())
        {
            foreach (var fault in new[] { "broker-stop", "socket-close", "restart-session-lost", "half-open" }) yield return new[] { broker[0], fault };
            if ((string)broker[0] == "mosquitto") yield return new[] { broker[0], "restart-session-kept" };
        }
    }

    private sealed class Rig : IAsyncDisposable
    {
        public readonly HubQueue Queue = new(64);
        public MqttNetTransport Transport;
        public IAsyncDisposable Broker;
        public TcpRelay Relay;
        public int BrokerPort;
        public string PersistFolder;
        public string HubId = "lf-" + Guid.NewGuid().ToString("N")[..8];
        private int _generation;

        /// <summary>Payloads of every message the transport delivered, in order.</summary>
        public readonly List<string> Messages = new();

        public string CommandTopic => $"pat/v1/{HubId}/cmd";

        public async Task StartBroker(string name)
        {
            Broker = name == "mosquitto"
                ? await MosquittoTestBroker.StartAsync(fixedPort: BrokerPort, persistFolder: PersistFolder)
                : await EmbeddedBroker.StartAsync(BrokerPort);
        }

        public void Connect()
        {
            _generation++;
            Transport.Connect(new ConnectRequest
            {
                ClientId = "pat-" + HubId, Host = "127.0.0.1", Port = Relay.Port, KeepAliveSeconds = 2, CleanSession = false,
                WillTopic = $"pat/v1/{HubId}/status", WillPayload = Encoding.UTF8.GetBytes("{\"state\":\"lost\"}"), CommandTopic = CommandTopic,
                Generation = _generation,
            });
        }

        public int Generation => _generation;

        /// <summary>The next item the transport posted, waiting up to <paramref name="timeoutMs"/>.</summary>
        public (int Type, int A, int B, object Obj, object Obj2) Next(int timeoutMs = 20_000)
        {
            var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
            while (true)
            {
                if (Queue.TryTake(out int type, out int a, out int b, out _, out object obj, out object obj2))
                {
                    if (type == HubInput.Message) Messages.Add(Encoding.UTF8.GetString((byte[])obj2));
                    return (type, a, b, obj, obj2);
                }
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !Queue.Signal.WaitOne(left)) throw new TimeoutException("the transport reported nothing");
            }
        }

        /// <summary>Skips acks and messages until a link outcome arrives.</summary>
        public (int Type, int Generation, string Reason) NextLinkOutcome(int timeoutMs = 20_000)
        {
            while (true)
            {
                var item = Next(timeoutMs);
                if (item.Type is HubInput.Connected or HubInput.ConnectFailed or HubInput.Disconnected) return (item.Type, item.A, item.Obj as string);
            }
        }

        public async ValueTask DisposeAsync()
        {
            Transport?.Disconnect();
            if (Relay != null) await Relay.DisposeAsync();
            if (Broker != null) await Broker.DisposeAsync();
            if (PersistFolder != null) try { Directory.Delete(PersistFolder, true); } catch (IOException) { }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_cut_of_the_link_is_reported_once_and_the_link_comes_back(string brokerName, string fault)
    {
        await using var rig = new Rig { BrokerPort = EmbeddedBroker.FreePort() };
        if (fault == "restart-session-kept") rig.PersistFolder = Directory.CreateTempSubdirectory("pat-mosq-persist-").FullName;
        await rig.StartBroker(brokerName);
        rig.Relay = new TcpRelay(rig.BrokerPort);
        rig.Transport = new MqttNetTransport(new LinkEvents(rig.Queue), TextWriter.Null) { CommunicationTimeout = TimeSpan.FromSeconds(3) };
        rig.Connect();
        var up = rig.NextLinkOutcome();
        Assert.Equal((HubInput.Connected, 1), (up.Type, up.Generation));
        Assert.True(rig.Transport.IsConnected);

        switch (fault)
        {
            case "broker-stop":
                await rig.Broker.DisposeAsync();
                rig.Broker = null;
                break;
            case "socket-close":
                rig.Relay.CloseAll();
                break;
            case "restart-session-lost":
            case "restart-session-kept":
                await rig.Broker.DisposeAsync();
                await rig.StartBroker(brokerName);
                break;
            case "half-open":
                rig.Relay.Freeze();
                Assert.True(rig.Transport.Publish($"pat/v1/{rig.HubId}/event", Encoding.UTF8.GetBytes("{}"), 2, false, 7));
                break;
        }
        var lost = rig.NextLinkOutcome(30_000);
        Assert.Equal(HubInput.Disconnected, lost.Type);
        Assert.Equal(1, lost.Generation);
        Assert.False(rig.Transport.IsConnected);

        if (fault == "broker-stop") await rig.StartBroker(brokerName);
        if (fault == "half-open") rig.Relay.Thaw();
        await using var backend = await Subscriber.ConnectAsync(rig.BrokerPort);
        if (fault == "restart-session-kept")
        {
            // Published while the hub is away: the broker kept the hub's session, so it is delivered on reconnect.
            await backend.PublishAsync(rig.CommandTopic, "{\"id\":\"while-away\"}");
        }
        rig.Connect();
        var back = rig.NextLinkOutcome();
        Assert.Equal((HubInput.Connected, 2), (back.Type, back.Generation));
        await backend.PublishAsync(rig.CommandTopic, "{\"id\":\"after\"}");
        while (!rig.Messages.Contains("{\"id\":\"after\"}"))
        {
            var item = rig.Next();
            Assert.NotEqual(HubInput.Disconnected, item.Type); // exactly one loss was reported
        }
        if (fault == "restart-session-kept") Assert.Contains("{\"id\":\"while-away\"}", rig.Messages);
    }
}
