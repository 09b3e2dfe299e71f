using System.Diagnostics;
using System.Text.Json;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Simulator;
using PingAnTong.Edge.Simulator.Adapters;
using PingAnTong.Edge.Tests;
using PingAnTong.Edge.Tests.Contract;
using Xunit;

namespace PingAnTong.Edge.Integration.Tests;

/// <summary>
/// The simulator behaves as a person expects (issue 12): link down/up cut and restore the link and the
/// hub sees it; reboot (typed or the backend's command) restarts the hub from its storage; quit, Ctrl+C
/// and SIGTERM stop cleanly with the retained status offline and leave no temporary folder.
/// Real time, real brokers; every wait is on an event or an output line, with a generous timeout.
/// </summary>
public class SimulatorBehaviourTests : IDisposable
{
    public static IEnumerable<object[]> Brokers()
    {
        yield return new object[] { "mqttnet" };
        if (MosquittoTestBroker.Installed) yield return new object[] { "mosquitto" };
    }

    private static async Task<ITestBroker> StartBroker(string name) =>
        name == "mosquitto" ? await MosquittoTestBroker.StartAsync() : await MqttNetTestBroker.StartAsync();

    /// <summary>The longest a reconnect can take once the link is back: the backoff ceiling, +20 % jitter.</summary>
    private const int BackoffCeilingMs = (int)(ConnectionManager.MaxBackoffMs * 6 / 5);

    private static HubConfig Config(int port)
    {
        var c = SimulatedHub.LoadConfig(null);
        c.HubId = "it-" + Guid.NewGuid().ToString("N")[..8];
        c.Broker.Host = "127.0.0.1";
        c.Broker.Port = port;
        c.Broker.Tls = false;
        return c;
    }

    private static Func<string, string, bool> Status(string hubId, string state, int minSession = 0) => (t, p) =>
        t == $"pat/v1/{hubId}/status" && JsonDocument.Parse(p).RootElement.GetProperty("state").GetString() == state
        && JsonDocument.Parse(p).RootElement.GetProperty("session").GetInt32() >= minSession;

    private static bool IsSos(string topic, string payload) => topic.EndsWith("/event") && payload.Contains("\"kind\":\"sos\"");

    private static JsonElement Json(string payload) => JsonDocument.Parse(payload).RootElement;

    private static Task WaitForIndication(SimulatedHub hub, int indication, int timeoutMs = 20_000)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Indicator.Changed += i => { if (i == indication) tcs.TrySetResult(); };
        if (hub.Indicator.Current == indication) tcs.TrySetResult();
        return tcs.Task.WaitAsync(TimeSpan.FromMilliseconds(timeoutMs));
    }

    /// <summary>Completes when <paramref name="condition"/> holds for the hub's link, checked at every link change the hub loop reports.</summary>
    private static async Task WaitForLink(SimulatedHub hub, Func<Hub, bool> condition, int timeoutMs = 30_000)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Action<Hub> check = h => { if (condition(h)) tcs.TrySetResult(); };
        hub.LinkChanged += check;
        try
        {
            check(hub.Hub);
            await tcs.Task.WaitAsync(TimeSpan.FromMilliseconds(timeoutMs));
        }
        finally
        {
            hub.LinkChanged -= check;
        }
    }

    /// <summary>A line typed on the hub's technician console, and its reply.</summary>
    private static async Task<string> HubConsole(SimulatedHub hub, string line)
    {
        var text = new StringWriter();
        var output = new TextConsoleOutput(TextWriter.Synchronized(text));
        Assert.True(hub.Hub.PostConsoleLine(line, output));
        Assert.True(await Task.Run(() => output.WaitDone(20_000)), "the hub console did not answer " + line);
        return text.ToString();
    }

    private readonly List<string> _folders = new();

    /// <summary>A storage folder for this test, removed after it.</summary>
    private string TempData()
    {
        string folder = Directory.CreateTempSubdirectory("pat-it-").FullName;
        _folders.Add(folder);
        return folder;
    }

    public void Dispose()
    {
        foreach (var f in _folders)
        {
            try { Directory.Delete(f, true); } catch (IOException) { }
        }
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task Link_down_is_seen_by_the_hub_an_sos_waits_without_busy_publishing_and_link_up_delivers_it_within_the_backoff(string brokerName)
    {
        await using var broker = await StartBroker(brokerName);
        await using var backend = await Subscriber.ConnectAsync(broker.Port);
        var config = Config(broker.Port);
        using var hub = new SimulatedHub(config, TempData(), TextWriter.Null);
        await backend.WaitForAsync(Status(config.HubId, "online"), what: "birth");

        // link down: the hub sees the loss at once, the broker publishes the will.
        var seen = WaitForLink(hub, h => h.Link.State == ConnectionManager.Disconnected);
        hub.LinkDown();
        await seen;
        Assert.Equal("disconnected", ConnectionManager.StateName(hub.Hub.Link.State));
        string console = await HubConsole(hub, "status");
        Assert.Contains("mqtt disconnected", console);
        Assert.DoesNotContain("mqtt connected", console);
        await backend.WaitForAsync(Status(config.HubId, "lost"), what: "the will after the link was cut");

        // An SOS meanwhile is raised and stored, not delivered; the hub does not spin on the dead link.
        long publishCalls = hub.Transport.PublishCalls, connectCalls = hub.Transport.ConnectCalls, refused = hub.Hub.Publisher.Refused;
        int attempts = hub.Hub.Link.Attempts;
        var outage = Stopwatch.StartNew();
        hub.Press("sos", 100);
        await WaitForIndication(hub, Indication.Raised);
        // The outage lasts until the hub has tried to reconnect and was refused: one whole backoff period.
        await WaitForLink(hub, h => h.Link.Attempts > attempts && h.Link.State == ConnectionManager.Disconnected, timeoutMs: BackoffCeilingMs);
        outage.Stop();
        Assert.Equal("link down (simulator)", hub.Hub.Link.LastError);
        Assert.DoesNotContain(backend.Messages, m => IsSos(m.Topic, m.Payload));
        Assert.True(hub.Hub.Outbox.CountPending() >= 1, "the SOS waits in the outbox");
        long published = hub.Transport.PublishCalls - publishCalls;
        long refusals = hub.Hub.Publisher.Refused - refused;
        long connects = hub.Transport.ConnectCalls - connectCalls;
        string paced = $"over a {outage.Elapsed.TotalSeconds:F1} s outage: {published} publish calls, {refusals} refused, {connects} connect attempts";
        Assert.True(published <= OutboxPublisher.MaxRefusals, paced);
        Assert.True(refusals <= OutboxPublisher.MaxRefusals, paced);
        Assert.True(connects is >= 1 and <= 2, paced);

        // link up: the hub reconnects at its next attempt, within the backoff ceiling, and the SOS arrives.
        long dueInMs = Math.Max(0, hub.Hub.Link.NextAttemptMs - hub.Hub.Clock.UptimeMs);
        var back = Stopwatch.StartNew();
        hub.LinkUp();
        string sos = await backend.WaitForAsync(IsSos, timeoutMs: BackoffCeilingMs, what: "the SOS after link up");
        back.Stop();
        Assert.Empty(ContractSchemas.Validate("event", sos));
        Assert.True(back.ElapsedMilliseconds <= BackoffCeilingMs);
        Assert.True(back.ElapsedMilliseconds <= dueInMs + 10_000, $"delivered {back.Elapsed.TotalSeconds:F1} s after link up; the next attempt was due in {dueInMs / 1000.0:F1} s");
        await backend.WaitForAsync(Status(config.HubId, "online", minSession: 2), what: "the birth after link up");
        Assert.Equal(ConnectionManager.Connected, hub.Hub.Link.State);
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task The_backend_reboot_command_restarts_the_hub_from_its_storage_after_the_reply_with_its_open_alarm(string brokerName)
    {
        await using var broker = await StartBroker(brokerName);
        await using var backend = await Subscriber.ConnectAsync(broker.Port);
        var config = Config(broker.Port);
        string data = TempData();
        var key = CentreKey.For(config);
        using var hub = new SimulatedHub(config, data, TextWriter.Null, secretFiles: CentreKey.SecretFilesFor(key));
        string Signed(string json) => key.Sign(config.HubId, json, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        int session = Json(await backend.WaitForAsync(Status(config.HubId, "online"), what: "birth")).GetProperty("session").GetInt32();
        hub.Press("sos", 100);
        string alarmId = Json(await backend.WaitForAsync(IsSos, what: "SOS")).GetProperty("id").GetString();
        await WaitForIndication(hub, Indication.Delivered);
        Hub before = hub.Hub;

        var rebooted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Rebooted += () => rebooted.TrySetResult();
        var sinceCommand = Stopwatch.StartNew();
        await backend.PublishAsync($"pat/v1/{config.HubId}/cmd", Signed("""{"id":"it-reboot","cmd":"reboot"}"""));
        string reply = await backend.WaitForAsync((t, p) => t.EndsWith("/reply") && p.Contains("\"commandId\":\"it-reboot\""), what: "reply");
        Assert.Empty(ContractSchemas.Validate("reply", reply));
        Assert.Equal(0, Json(reply).GetProperty("status").GetInt32());
        await rebooted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        string rebirth = await backend.WaitForAsync(Status(config.HubId, "online", session + 1), what: "the birth after the reboot");
        Assert.Empty(ContractSchemas.Validate("status", rebirth));

        // A new hub on the same folder: boot count +1, uptime from zero, a software reset.
        var r = Json(rebirth);
        Assert.Equal(2, r.GetProperty("bootCount").GetInt32());
        Assert.Equal("software", r.GetProperty("resetReason").GetString());
        Assert.True(r.GetProperty("uptimeMs").GetInt64() <= sinceCommand.ElapsedMilliseconds, "uptime counted from the new boot");
        Assert.NotSame(before, hub.Hub);
        Assert.True(hub.Hub.Clock.UptimeMs < before.Clock.UptimeMs);
        Assert.Equal(2, hub.Hub.Counters.BootCount);
        Assert.Equal(data, hub.Store.Folder);
        // After the reply was delivered, and with a clean disconnect: the broker published no will.
        var order = backend.Messages.Select(m => m.Payload).ToList();
        Assert.True(order.IndexOf(reply) < order.IndexOf(rebirth));
        Assert.DoesNotContain(backend.Messages, m => Status(config.HubId, "lost")(m.Topic, m.Payload));

        // The open alarm was restored from storage and is live: the centre's ack reaches it.
        Assert.Equal(alarmId, hub.Hub.Alarms.NewestOpen()?.Id);
        await backend.PublishAsync($"pat/v1/{config.HubId}/cmd", Signed($$"""{"id":"it-ack","cmd":"ack","alarmId":"{{alarmId}}"}"""));
        await WaitForIndication(hub, Indication.HelpComing);
        string ack = await backend.WaitForAsync((t, p) => t.EndsWith("/reply") && p.Contains("\"commandId\":\"it-ack\""), what: "ack reply");
        Assert.Equal(0, Json(ack).GetProperty("status").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task Stopping_the_simulated_hub_cleanly_leaves_the_retained_status_offline_for_the_session_it_ends(string brokerName)
    {
        await using var broker = await StartBroker(brokerName);
        await using var backend = await Subscriber.ConnectAsync(broker.Port);
        var config = Config(broker.Port);
        var hub = new SimulatedHub(config, TempData(), TextWriter.Null);
        int session = Json(await backend.WaitForAsync(Status(config.HubId, "online"), what: "birth")).GetProperty("session").GetInt32();

        Assert.True(hub.Stop(abrupt: false));
        string offline = await backend.WaitForAsync(Status(config.HubId, "offline"), what: "offline");
        Assert.Empty(ContractSchemas.Validate("status", offline));
        Assert.Equal(session, Json(offline).GetProperty("session").GetInt32());
        await using var late = await Subscriber.ConnectAsync(broker.Port, $"pat/v1/{config.HubId}/status");
        await late.WaitForAsync(Status(config.HubId, "offline"), what: "retained offline");
        Assert.All(late.Messages, m => Assert.True(m.Retain));
        Assert.DoesNotContain(backend.Messages, m => Status(config.HubId, "lost")(m.Topic, m.Payload));
    }

    private static string StorageOf(string line) => line[(line.IndexOf("storage in ") + "storage in ".Length)..].Split(" (")[0];

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task Run_mode_as_typed_link_down_up_reboot_and_quit_ends_with_retained_offline_and_no_temporary_folder(string brokerName)
    {
        const string hubId = "hub-0001"; // the demo config; the broker is this test's own
        await using var broker = await StartBroker(brokerName);
        await using var backend = await Subscriber.ConnectAsync(broker.Port);
        await using var sim = SimulatorProcess.Start("run", "--broker", $"mqtt://127.0.0.1:{broker.Port}");
        string storage = StorageOf(await sim.WaitForLineAsync(l => l.Contains("storage in "), "the storage line"));
        Assert.StartsWith(sim.TempRoot, storage);
        await backend.WaitForAsync(Status(hubId, "online"), what: "birth");
        Assert.True(Directory.Exists(storage));

        sim.Type("link down");
        await sim.WaitForLineAsync(l => l.StartsWith("[link] lost"), "the hub seeing the link lost");
        await backend.WaitForAsync(Status(hubId, "lost"), what: "the will after link down");
        sim.Type("status");
        Assert.StartsWith("link disconnected", await sim.WaitForLineAsync(l => l.StartsWith("link "), "the status line"));
        sim.Type("link up");
        await backend.WaitForAsync(Status(hubId, "online", 2), timeoutMs: BackoffCeilingMs, what: "the birth after link up");

        sim.Type("reboot");
        var rebirth = Json(await backend.WaitForAsync(Status(hubId, "online", 3), what: "the birth after reboot"));
        Assert.Equal(2, rebirth.GetProperty("bootCount").GetInt32());
        Assert.Equal("software", rebirth.GetProperty("resetReason").GetString());

        sim.Type("quit");
        Assert.Equal(0, await sim.WaitForExitAsync());
        Assert.Contains("[sim] status offline published; disconnected", sim.Output);
        Assert.False(Directory.Exists(storage), "the temporary storage folder is removed");
        Assert.Empty(Directory.EnumerateFileSystemEntries(sim.TempRoot));

        await using var late = await Subscriber.ConnectAsync(broker.Port, $"pat/v1/{hubId}/status");
        string offline = await late.WaitForAsync(Status(hubId, "offline"), what: "retained offline");
        Assert.Empty(ContractSchemas.Validate("status", offline));
        Assert.Equal(3, Json(offline).GetProperty("session").GetInt32());
        Assert.All(late.Messages, m => Assert.True(m.Retain));
        // Only link down dropped the connection; the reboot and the quit disconnected cleanly.
        Assert.Single(backend.Messages, m => Status(hubId, "lost")(m.Topic, m.Payload));
    }

    [Fact]
    public async Task Sigterm_in_run_mode_stops_as_quit_does_and_keeps_a_data_folder_given_with_data()
    {
        if (OperatingSystem.IsWindows()) return; // no SIGTERM to send there
        const string hubId = "hub-0001";
        await using var broker = await MqttNetTestBroker.StartAsync();
        await using var backend = await Subscriber.ConnectAsync(broker.Port);
        string data = TempData();
        await using var sim = SimulatorProcess.Start("run", "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--data", data);
        await backend.WaitForAsync(Status(hubId, "online"), what: "birth");

        sim.Terminate();
        Assert.Equal(0, await sim.WaitForExitAsync());
        await backend.WaitForAsync(Status(hubId, "offline"), what: "offline");
        Assert.DoesNotContain(backend.Messages, m => Status(hubId, "lost")(m.Topic, m.Payload));
        Assert.NotEmpty(Directory.EnumerateFiles(data)); // --data: kept
        Assert.Empty(Directory.EnumerateFileSystemEntries(sim.TempRoot));
    }

    [Fact]
    public async Task Demo_and_scenario_modes_leave_no_temporary_folder()
    {
        await using (var demo = SimulatorProcess.Start("demo"))
        {
            Assert.Equal(0, await demo.WaitForExitAsync(60_000));
            Assert.Contains("Demo done", demo.Output);
            Assert.Contains("[sim] status offline published; disconnected", demo.Output);
            Assert.Empty(Directory.EnumerateFileSystemEntries(demo.TempRoot));
        }
        await using (var scenario = SimulatorProcess.Start("scenario", Path.Combine(Paths.RepoRoot, "tools", "scenarios", "sos-acknowledged.scenario")))
        {
            Assert.Equal(0, await scenario.WaitForExitAsync(60_000));
            Assert.Contains("PASS", scenario.Output);
            Assert.Empty(Directory.EnumerateFileSystemEntries(scenario.TempRoot));
        }
    }
}
