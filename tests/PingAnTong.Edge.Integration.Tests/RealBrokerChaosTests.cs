using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Simulator;
using PingAnTong.Edge.Simulator.Adapters;
using Xunit;
using Xunit.Abstractions;

namespace PingAnTong.Edge.Integration.Tests;

/// <summary>
/// The chaos test against real brokers (MQTTnet in-process, and Mosquitto when installed): 30 simulated
/// days with over 1,000 SOS alarms among motion and door traffic, while the test restarts the broker,
/// drops the link and cuts the hub's power (abrupt stop, torn writes included, restart from the same
/// storage folder) at random moments. The hub runs in virtual time in lockstep with the real network:
/// virtual time only advances once the broker has answered what the hub sent. An independent subscriber
/// acts as the backend (acks and closes, re-sending commands until replied). Every alarm id must reach it.
/// The seed is printed; PAT_CHAOS_SEED=N replays the same sequence of faults.
/// </summary>
public class RealBrokerChaosTests
{
    private readonly ITestOutputHelper _output;

    public RealBrokerChaosTests(ITestOutputHelper output) => _output = output;

    public static IEnumerable<object[]> Brokers() => HubAgainstBrokerTests.Brokers();

    private sealed class Backend : IAsyncDisposable
    {
        private IMqttClient _client;
        public readonly ConcurrentQueue<(string Topic, string Payload)> Inbox = new();

        public async Task ConnectAsync(int port)
        {
            _client?.Dispose();
            _client = new MqttClientFactory().CreateMqttClient();
            _client.ApplicationMessageReceivedAsync += e =>
            {
                Inbox.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray())));
                return Task.CompletedTask;
            };
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    await _client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("chaos-backend").WithCleanSession(true).Build());
                    break;
                }
                catch (Exception) when (attempt < 50)
                {
                    await Task.Delay(100); // the restarted broker is still binding its port
                }
            }
            await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic("pat/v1/+/+").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)).Build());
        }

        public bool Connected => _client?.IsConnected == true;

        public void Send(string topic, string json)
        {
            if (!Connected) return;
            _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(json)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()).GetAwaiter().GetResult();
        }

        public async ValueTask DisposeAsync()
        {
            if (Connected) await _client.DisconnectAsync();
            _client?.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task No_alarm_is_lost_with_a_real_broker_restarting_links_dropping_and_power_cuts(string brokerName)
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("PAT_CHAOS_SEED"), out int s) ? s : Environment.TickCount & 0x7FFFFFFF;
        _output.WriteLine($"chaos seed {seed} on {brokerName} (PAT_CHAOS_SEED={seed} to replay)");
        var rng = new Random(seed);
        int port = EmbeddedBroker.FreePort();
        IAsyncDisposable broker = brokerName == "mosquitto" ? await MosquittoTestBroker.StartAsync(fixedPort: port) : await EmbeddedBroker.StartAsync(port);
        await using var backend = new Backend();
        await backend.ConnectAsync(port);

        HubConfig config = SimulatedHub.LoadConfig(null);
        config.HubId = "chaos-" + brokerName;
        config.Broker.Host = "127.0.0.1";
        config.Broker.Port = port;
        config.Broker.Tls = false;
        string folder = Directory.CreateTempSubdirectory("pat-chaos-").FullName;
        var store = new PowerCutStore(new FolderDurableStore(folder));
        long startUtc = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        long offset = 0;
        VirtualClock clock = null;
        Hub hub = null;
        MqttNetTransport transport = null;
        long Now() => offset + clock.UptimeMs;

        void Boot()
        {
            clock = new VirtualClock(startUtc + offset);
            var holder = new DeferredTransport();
            hub = new Hub(config, clock, store, holder, new SimulatedSensorReader(), new CallbackIndicator(), new SimHostServices { ReportMemory = false });
            transport = new MqttNetTransport(hub.LinkEvents, TextWriter.Null);
            holder.Inner = transport;
            hub.Start();
            hub.PostPinEdge(hub.FindInput(InputKind.Mains), true, 0);
        }

        var raisedAt = new Dictionary<string, long>();
        var firstReceipt = new Dictionary<string, long>();
        var receipts = new Dictionary<string, int>();
        var pending = new Dictionary<string, (string Json, long ResendAt)>(); // command id -> command
        var closed = new HashSet<string>();
        int powerCuts = 0, linkDrops = 0, brokerRestarts = 0, presses = 0;
        string cmdTopic = $"pat/v1/{config.HubId}/cmd";

        void Settle()
        {
            // Lockstep: let the real network answer before virtual time moves on.
            for (int i = 0; i < 200 && (hub.Link.State == ConnectionManager.Connecting || hub.Publisher.InFlightCount > 0); i++)
            {
                if (!hub.Queue.Signal.WaitOne(3000)) break;
                hub.RunOnce();
            }
        }

        void Step(long ms)
        {
            try
            {
                clock.AdvanceTo(clock.UptimeMs + ms);
                hub.RunOnce();
                Settle();
                foreach (PingAnTong.Edge.Core.Alarms.Alarm a in hub.Alarms.Alarms)
                {
                    if (a.Kind == "sos" && !raisedAt.ContainsKey(a.Id)) raisedAt[a.Id] = Now();
                }
            }
            catch (PowerCut)
            {
                transport.Sever();
                offset = Now();
                powerCuts++;
                Boot();
            }
        }

        void RunBackend()
        {
            while (backend.Inbox.TryDequeue(out var m))
            {
                var e = JsonDocument.Parse(m.Payload).RootElement;
                if (m.Topic.EndsWith("/reply"))
                {
                    pending.Remove(e.GetProperty("commandId").GetString() ?? "");
                    continue;
                }
                if (!m.Topic.EndsWith("/event") || e.GetProperty("kind").GetString() != "sos" || e.GetProperty("state").GetString() != "raised") continue;
                string id = e.GetProperty("id").GetString();
                receipts[id] = receipts.GetValueOrDefault(id) + 1;
                if (!firstReceipt.ContainsKey(id)) firstReceipt[id] = Now();
                if (closed.Contains(id) && receipts[id] > 1 && !pending.ContainsKey("close-" + id)) closed.Remove(id); // re-sent: our answer was lost
                if (closed.Add(id))
                {
                    pending["ack-" + id] = ($$"""{"id":"ack-{{id}}","cmd":"ack","alarmId":"{{id}}"}""", 0);
                    pending["close-" + id] = ($$"""{"id":"close-{{id}}","cmd":"close","alarmId":"{{id}}"}""", 0);
                }
            }
            foreach (var key in pending.Keys.ToList())
            {
                var c = pending[key];
                if (c.ResendAt > Now()) continue;
                backend.Send(cmdTopic, c.Json);
                pending[key] = (c.Json, Now() + 120_000);
            }
        }

        Boot();
        const long Days = 30;
        try
        {
            while (Now() < Days * 86_400_000L)
            {
                double r = rng.NextDouble();
                if (r < 0.00046) { int sos = hub.FindInput(InputKind.Sos); hub.PostPinEdge(sos, false, clock.UptimeMs); Step(1000); hub.PostPinEdge(sos, true, clock.UptimeMs); presses++; }
                else if (r < 0.004) { int pir = hub.FindInput(InputKind.Motion); hub.PostPinEdge(pir, true, clock.UptimeMs); Step(1000); hub.PostPinEdge(pir, false, clock.UptimeMs); }
                else if (r < 0.0045) { int door = hub.FindInput(InputKind.Door); hub.PostPinEdge(door, true, clock.UptimeMs); Step(1000); hub.PostPinEdge(door, false, clock.UptimeMs); }
                if (rng.NextDouble() < 0.00002) { transport.Sever(); hub.Queue.Post(HubInput.Disconnected, 0, 0, 0, "link dropped (chaos)", null, true); linkDrops++; }
                if (rng.NextDouble() < 0.00001)
                {
                    await broker.DisposeAsync();
                    broker = brokerName == "mosquitto" ? await MosquittoTestBroker.StartAsync(fixedPort: port) : await EmbeddedBroker.StartAsync(port);
                    await backend.ConnectAsync(port);
                    brokerRestarts++;
                }
                if (rng.NextDouble() < 0.00002) store.CutPowerAt(rng.Next(0, 4), rng.Next(0, 80));
                Step(1000);
                RunBackend();
            }
            for (int i = 0; i < 7200 && (hub.Outbox.CountPending() > 0 || raisedAt.Keys.Any(id => !firstReceipt.ContainsKey(id))); i++) { Step(1000); RunBackend(); }
        }
        finally
        {
            transport.Sever();
            await broker.DisposeAsync();
        }

        var lost = raisedAt.Keys.Where(id => !firstReceipt.ContainsKey(id)).ToList();
        int duplicates = receipts.Values.Sum(n => n - 1);
        long maxDelay = raisedAt.Where(kv => firstReceipt.ContainsKey(kv.Key)).Select(kv => firstReceipt[kv.Key] - kv.Value).DefaultIfEmpty(0).Max();
        string figures = $"chaos seed {seed} on {brokerName}: {Days} days, {presses} SOS presses, {raisedAt.Count} alarms, {powerCuts} power cuts, {linkDrops} link drops, {brokerRestarts} broker restarts; lost {lost.Count}, duplicated {duplicates}, max delivery delay {maxDelay / 1000.0:F0} s (virtual)";
        _output.WriteLine(figures);
        Console.WriteLine(figures);
        Assert.True(raisedAt.Count >= 1000, $"only {raisedAt.Count} alarms (seed {seed})");
        Assert.True(powerCuts >= 5 && linkDrops >= 5 && brokerRestarts >= 3, $"not enough chaos (seed {seed})");
        Assert.True(lost.Count == 0, $"lost {lost.Count} alarms (seed {seed}): {string.Join(", ", lost.Take(10))}");
    }
}
