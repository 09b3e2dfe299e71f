using System.Text;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Core.Security;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Hub;

/// <summary>
/// Issue 17, "Only the call centre can command a hub": every finding has a test here that failed before the
/// fix. Commands are signed (HMAC-SHA256 under the hub's command key) and fresh; nothing from the network
/// closes an unanswered alarm, silences the hub for good, or moves it to another broker without a trial.
/// </summary>
public class CommandSecurityTests
{
    private const string OtherKeyHex = "1111111111111111111111111111111111111111111111111111111111111111";

    private static TestBench Connected()
    {
        var b = new TestBench();
        b.Clock.SyncWallClock(new DateTime(2026, 6, 1, 2, 0, 0, DateTimeKind.Utc));
        b.Connect();
        return b;
    }

    private static (int Status, string Reason) ReplyTo(TestBench b, string commandId)
    {
        var r = b.Replies().Last(x => x.Str("commandId") == commandId);
        return (r.GetProperty("status").GetInt32(), r.Str("reason"));
    }

    /// <summary>Every message published so far (refusals 9-13, trial, rollback, expiry included) is valid against docs/schemas.</summary>
    private static void AllValid(TestBench b)
    {
        foreach (var p in b.Transport.Publishes)
        {
            var errors = Contract.ContractSchemas.Validate(Contract.ContractSchemas.ChannelOf(p.Topic), p.Payload);
            Assert.True(errors.Count == 0, $"{p.Topic} {p.Payload}\n" + string.Join("\n", errors));
        }
    }

    private static string RaiseSos(TestBench b)
    {
        b.Press("sos");
        return b.Hub.Alarms.NewestOpen().Id;
    }

    // ---- Signatures ----

    [Fact]
    public void An_unsigned_command_is_refused_and_changes_nothing()
    {
        var b = Connected();
        string id = RaiseSos(b);
        b.SendRaw($$"""{"id":"u1","cmd":"ack","alarmId":"{{id}}"}""");
        b.SendRaw($$"""{"id":"u2","cmd":"heartbeat","minutes":1,"issuedAt":{{b.CentreUtcMs}}}""");
        Assert.Equal(CommandStatus.Unsigned, ReplyTo(b, "u1").Status);
        Assert.Contains("$.sig: missing", ReplyTo(b, "u1").Reason);
        Assert.Equal(CommandStatus.Unsigned, ReplyTo(b, "u2").Status);
        Assert.Contains("$.sig: missing", ReplyTo(b, "u2").Reason);
        Assert.False(b.Hub.Alarms.Find(id).IsAcknowledged);
        Assert.Equal(5, b.Hub.HeartbeatMinutes);
    }

    [Fact]
    public void A_command_signed_with_another_key_or_changed_after_signing_is_refused()
    {
        var b = Connected();
        string id = RaiseSos(b);
        b.SendRaw(b.Sign($$"""{"id":"k1","cmd":"ack","alarmId":"{{id}}"}""", keyHex: OtherKeyHex));
        Assert.Equal(CommandStatus.BadSignature, ReplyTo(b, "k1").Status);
        // Signed for another hub: the hub id is part of what is signed.
        b.SendRaw(b.Sign($$"""{"id":"k2","cmd":"ack","alarmId":"{{id}}"}""", hubId: "hub-0002"));
        Assert.Equal(CommandStatus.BadSignature, ReplyTo(b, "k2").Status);
        // One byte changed after signing: the heartbeat of 10 becomes 11.
        string signed = b.Sign("""{"id":"k3","cmd":"heartbeat","minutes":10}""");
        b.SendRaw(signed.Replace("\"minutes\":10", "\"minutes\":11"));
        Assert.Equal(CommandStatus.BadSignature, ReplyTo(b, "k3").Status);
        // The signature must be the last member, as signed.
        string moved = "{\"sig\":\"" + signed[(signed.IndexOf(",\"sig\":\"") + 8)..^2] + "\"," + signed[1..signed.IndexOf(",\"sig\":\"")] + "}";
        b.SendRaw(moved);
        Assert.Equal(CommandStatus.BadSignature, ReplyTo(b, "k3").Status);
        Assert.Contains("the last member", ReplyTo(b, "k3").Reason);
        Assert.False(b.Hub.Alarms.Find(id).IsAcknowledged);
        Assert.Equal(5, b.Hub.HeartbeatMinutes);
        // The same commands, signed properly, work.
        b.SendCommand($$"""{"id":"k4","cmd":"ack","alarmId":"{{id}}"}""");
        Assert.Equal(CommandStatus.Ok, ReplyTo(b, "k4").Status);
        AllValid(b);
    }

    [Fact]
    public void A_hub_without_its_key_file_refuses_every_command_and_says_why()
    {
        var c = new TestBench(TestBench.DemoConfigJson.Replace("\"command.key\"", "\"missing.key\""));
        c.Connect();
        c.SendCommand("""{"id":"n1","cmd":"rebirth"}""");
        var (status, reason) = ReplyTo(c, "n1");
        Assert.Equal(CommandStatus.BadSignature, status);
        Assert.Contains("command key file missing.key is missing", reason);
        Assert.Contains(c.Console("events 20"), l => l.Contains("WARNING: command key file missing.key is missing"));
        Assert.DoesNotContain(TestBench.CommandKeyHex, string.Join("\n", c.Transport.Publishes.Select(p => p.Payload)));
    }

    [Theory]
    [InlineData("", "8fa0076c")]                                   // too short
    [InlineData("8fa0076cc0ee511d4c2c7ec4507d2264d6c6bb2c4c8b7a5a3e768b3dbb8b72bz", "")] // not hex
    public void A_key_file_that_is_not_32_to_64_bytes_of_hex_is_refused_without_quoting_it(string prefix, string content)
    {
        string text = prefix + content;
        var mac = CommandKey.FromFile("k", Encoding.ASCII.GetBytes(text), out string problem);
        Assert.Null(mac);
        Assert.Equal("command key file k must hold 64 to 128 hex digits and nothing else", problem);
        Assert.NotNull(CommandKey.FromFile("k", Encoding.ASCII.GetBytes("  " + TestBench.CommandKeyHex.ToUpperInvariant() + "\r\n"), out problem));
    }

    // ---- Freshness and replays ----

    [Fact]
    public void A_command_issued_more_than_ten_minutes_from_the_hubs_clock_is_refused_as_stale()
    {
        var b = Connected();
        long now = b.CentreUtcMs;
        b.SendRaw(b.Sign("""{"id":"s1","cmd":"heartbeat","minutes":10}""", now - ReplayGuard.WindowMs - 1000));
        b.SendRaw(b.Sign("""{"id":"s2","cmd":"heartbeat","minutes":10}""", now + ReplayGuard.WindowMs + 1000));
        Assert.Equal(CommandStatus.Stale, ReplyTo(b, "s1").Status);
        Assert.Contains("sign it again with the current time", ReplyTo(b, "s1").Reason);
        Assert.Equal(CommandStatus.Stale, ReplyTo(b, "s2").Status);
        Assert.Equal(5, b.Hub.HeartbeatMinutes);
        // Within the window (a backend clock 9 minutes behind), and the refused id can be sent again: refusals are not remembered.
        b.SendRaw(b.Sign("""{"id":"s1","cmd":"heartbeat","minutes":10}""", now - 9 * 60_000));
        Assert.Equal(CommandStatus.Ok, ReplyTo(b, "s1").Status);
        Assert.Equal(10, b.Hub.HeartbeatMinutes);
        AllValid(b);
    }

    [Fact]
    public void Before_clock_sync_only_ack_and_rebirth_are_taken()
    {
        var b = new TestBench();
        b.Press("sos");
        string id = b.Hub.Alarms.NewestOpen().Id;
        b.Connect();
        Assert.True(b.Hub.Clock.UtcMs < 0);
        b.SendRaw(b.Sign($$"""{"id":"p1","cmd":"ack","alarmId":"{{id}}"}"""));
        b.SendRaw(b.Sign($$"""{"id":"p2","cmd":"close","alarmId":"{{id}}"}"""));
        b.SendRaw(b.Sign("""{"id":"p3","cmd":"presence","state":"away"}"""));
        b.SendRaw(b.Sign("""{"id":"p4","cmd":"rebirth"}"""));
        Assert.Equal(CommandStatus.Ok, ReplyTo(b, "p1").Status);
        Assert.Equal(CommandStatus.Stale, ReplyTo(b, "p2").Status);
        Assert.Contains("clock is not synchronised", ReplyTo(b, "p2").Reason);
        Assert.Equal(CommandStatus.Stale, ReplyTo(b, "p3").Status);
        Assert.Equal(CommandStatus.Ok, ReplyTo(b, "p4").Status);
        Assert.False(b.Hub.Alarms.Find(id).Closed);
        Assert.False(b.Hub.Inactivity.ReportedAway);
    }

    [Fact]
    public void A_copy_of_a_command_is_answered_from_memory_then_refused_once_forgotten_and_after_a_reboot()
    {
        var store = new MemoryStore();
        var b = new TestBench(store: store);
        b.Clock.SyncWallClock(new DateTime(2026, 6, 1, 2, 0, 0, DateTimeKind.Utc));
        b.Connect();
        string test = b.Sign("""{"id":"t1","cmd":"test","kind":"sos"}""");
        b.SendRaw(test);
        b.SendRaw(test); // a re-send (or a replay) while remembered: the same reply, no second alarm
        Assert.Equal(1, b.Hub.Alarms.OpenTestCount);
        Assert.Equal(2, b.Replies().Count(r => r.Str("commandId") == "t1" && r.GetProperty("status").GetInt32() == CommandStatus.Ok));
        for (int i = 0; i < CommandProcessor.RememberedCommands; i++)
        {
            b.Step(1);
            b.SendCommand($$"""{"id":"h{{i}}","cmd":"heartbeat","minutes":7}""");
        }
        b.SendRaw(test); // forgotten now, still within the 10 minutes: a replay
        Assert.Equal(CommandStatus.Replayed, ReplyTo(b, "t1").Status);
        Assert.Equal(1, b.Hub.Alarms.OpenTestCount);

        // A reboot empties the memory; the newest issue time taken was stored.
        string late = b.Sign("""{"id":"t2","cmd":"test","kind":"gas"}""");
        b.SendRaw(late);
        Assert.Equal(2, b.Hub.Alarms.OpenTestCount);
        b.Restart();
        b.Clock.SyncWallClock(b.CentreUtcMs);
        b.Connect();
        b.SendRaw(late);
        Assert.Equal(CommandStatus.Replayed, ReplyTo(b, "t2").Status);
        Assert.Equal(2, b.Hub.Alarms.OpenTestCount);
        AllValid(b);
    }

    [Fact]
    public void A_flood_of_forged_commands_gets_ten_replies_a_minute_and_is_counted_in_the_heartbeat()
    {
        var b = Connected();
        int before = b.Replies().Count();
        for (int i = 0; i < 50; i++) { b.SendRaw($$"""{"id":"f{{i}}","cmd":"reboot"}"""); }
        Assert.Equal(CommandProcessor.MaxRefusalsPerMinute, b.Replies().Count() - before);
        Assert.Equal(50, b.Hub.Commands.Unauthenticated);
        Assert.Equal(0, b.Host.Reboots);
        b.Run(6 * 60_000, 1000);
        var beat = b.Transport.On("health").Last().Payload();
        Assert.Equal(50, beat.GetProperty("commandsRefused").GetInt32());
    }

    // ---- Finding: a close from any client ended a live SOS nobody had acknowledged ----

    [Fact]
    public void Close_of_an_alarm_nobody_acknowledged_is_refused_until_it_is_acknowledged()
    {
        var b = Connected();
        string id = RaiseSos(b);
        b.SendRaw($$"""{"id":"x1","cmd":"close","alarmId":"{{id}}"}"""); // any client, as before
        Assert.Equal(CommandStatus.Unsigned, ReplyTo(b, "x1").Status);
        b.SendCommand($$"""{"id":"x2","cmd":"close","alarmId":"{{id}}"}"""); // even the centre: ack first
        Assert.Equal(CommandStatus.NotAcknowledged, ReplyTo(b, "x2").Status);
        Assert.Contains("send ack first", ReplyTo(b, "x2").Reason);
        Assert.False(b.Hub.Alarms.Find(id).Closed);
        Assert.DoesNotContain(b.Events(), e => e.Str("state") == "closed");
        b.SendCommand($$"""{"id":"x3","cmd":"ack","alarmId":"{{id}}"}""");
        b.SendCommand($$"""{"id":"x2","cmd":"close","alarmId":"{{id}}"}"""); // the same close again: not remembered, now carried out
        Assert.Equal(CommandStatus.Ok, ReplyTo(b, "x2").Status);
        Assert.Contains(b.Events(), e => e.Str("state") == "closed" && e.Str("alarmId") == id);
        AllValid(b);
    }

    [Fact]
    public void A_close_delivered_on_reconnect_before_the_alarm_went_out_never_hides_the_alarm()
    {
        // Finding 1, second half: the SOS is raised while the link is down; at reconnect the broker hands over
        // the commands it queued before the hub's outbox has sent anything. Forged or not, the backend must see
        // the SOS raised, and before any "closed".
        var b = new TestBench();
        b.Clock.SyncWallClock(new DateTime(2026, 6, 1, 2, 0, 0, DateTimeKind.Utc));
        b.Press("sos");
        string id = b.Hub.Alarms.NewestOpen().Id;
        Assert.DoesNotContain(b.Events(), e => e.Str("kind") == "sos");
        b.Transport.AcceptConnect();
        b.SendRaw($$"""{"id":"q1","cmd":"close","alarmId":"{{id}}"}""");      // anyone's close, queued on the broker
        b.SendCommand($$"""{"id":"q2","cmd":"close","alarmId":"{{id}}"}""");  // the centre's own close, before any ack
        b.SendCommand($$"""{"id":"q3","cmd":"ack","alarmId":"{{id}}"}""");
        b.SendCommand($$"""{"id":"q4","cmd":"close","alarmId":"{{id}}"}""");
        b.Connect();
        var sos = b.Events().Where(e => e.Str("id") == id || e.Str("alarmId") == id).Select(e => e.Str("state")).ToList();
        Assert.True(sos.Count > 0 && sos[0] == "raised", "events for the SOS: " + string.Join(", ", sos));
        Assert.Equal(CommandStatus.Unsigned, ReplyTo(b, "q1").Status);
        Assert.Equal(CommandStatus.NotAcknowledged, ReplyTo(b, "q2").Status);
        AllValid(b);
    }

    // ---- Finding: presence away silenced inactivity alarms indefinitely ----

    private static TestBench QuietHome()
    {
        string json = TestBench.DemoConfigJson
            .Replace("\"kind\": \"motion\", \"pin\": 34", "\"kind\": \"motion\", \"pin\": 34, \"supervisionHours\": 0")
            .Replace("\"kind\": \"door\", \"pin\": 27", "\"kind\": \"door\", \"pin\": 27, \"supervisionHours\": 0")
            .Replace("\"heartbeatMinutes\": 5", "\"heartbeatMinutes\": 60, \"inactivity\": { \"learn\": false, \"ceilingMinutes\": 120, \"promptMinutes\": 5 }");
        var b = new TestBench(json);
        b.Clock.SyncWallClock(new DateTime(2026, 6, 1, 2, 0, 0, DateTimeKind.Utc));
        b.Connect();
        return b;
    }

    [Fact]
    public void Away_by_command_expires_after_24_hours_then_inactivity_alarms_again()
    {
        var b = QuietHome();
        b.SendCommand("""{"id":"a1","cmd":"presence","state":"away"}""");
        Assert.Contains("24 h at most", ReplyTo(b, "a1").Reason);
        b.Run(23 * 3_600_000L + 50 * 60_000L, 60_000);
        Assert.DoesNotContain(b.Events(), e => e.Str("kind") == "inactivity");
        Assert.DoesNotContain(b.Events(), e => e.Str("kind") == "presence" && e.Str("state") == "expired");
        b.Run(20 * 60_000L, 60_000);
        Assert.Single(b.Events(), e => e.Str("kind") == "presence" && e.Str("state") == "expired");
        Assert.False(b.Hub.Inactivity.ReportedAway);
        // Nobody moved: the ceiling (2 h) after the expiry brings the prompt, then the alarm.
        b.Run(2 * 3_600_000L + 60_000, 60_000);
        Assert.Contains(b.Events(), e => e.Str("kind") == "inactivity" && e.Str("class") == "alarm" && e.Str("state") == "raised");
        AllValid(b);
    }

    [Fact]
    public void Away_by_command_sent_again_renews_the_24_hours()
    {
        var b = QuietHome();
        b.SendCommand("""{"id":"a1","cmd":"presence","state":"away"}""");
        b.Run(20 * 3_600_000L, 60_000);
        b.SendCommand("""{"id":"a2","cmd":"presence","state":"away"}""");
        b.Run(20 * 3_600_000L, 60_000);
        Assert.DoesNotContain(b.Events(), e => e.Str("kind") == "presence" && e.Str("state") == "expired");
        Assert.True(b.Hub.Inactivity.ReportedAway);
        b.Run(5 * 3_600_000L, 60_000);
        Assert.Contains(b.Events(), e => e.Str("kind") == "presence" && e.Str("state") == "expired");
    }

    // ---- Finding: a config command moved the hub, changed the PIN and disabled inactivity detection ----

    private static string ConfigCommand(string id, int version, string host = "127.0.0.1", string extra = "") =>
        $$"""{"id":"{{id}}","cmd":"config","config":{{TestBench.DemoConfigJson.Replace("\"version\": 1", $"\"version\": {version}").Replace("\"host\": \"127.0.0.1\"", $"\"host\": \"{host}\"").Replace("\"heartbeatMinutes\": 5", "\"heartbeatMinutes\": 5" + extra)}}}""";

    [Fact]
    public void An_unsigned_config_cannot_move_the_hub_nor_disable_inactivity_detection()
    {
        var b = Connected();
        b.SendRaw(ConfigCommand("c1", 2, "evil.example.org", ", \"inactivity\": { \"enabled\": false }"));
        Assert.Equal(CommandStatus.Unsigned, ReplyTo(b, "c1").Status);
        Assert.Equal(1, b.Hub.Config.Version);
        Assert.True(b.Hub.Config.Inactivity.Enabled);
        Assert.All(b.Transport.Connects, c => Assert.Equal("127.0.0.1", c.Host));
    }

    [Theory]
    [InlineData(", \"console\": { \"pinSalt\": \"abcdefgh\", \"pinHash\": \"" + "0000000000000000000000000000000000000000000000000000000000000000" + "\" }", "$.config.console.pinSalt")]
    [InlineData(", \"commandKey\": \"8fa0076cc0ee511d4c2c7ec4507d2264d6c6bb2c4c8b7a5a3e768b3dbb8b72b3\"", "$.config.commandKey")]
    [InlineData(", \"mqttPassword\": \"hunter2\"", "$.config.mqttPassword")]
    [InlineData(", \"notes\": \"-----BEGIN PRIVATE KEY-----\"", "$.config.notes")]
    public void A_config_command_carrying_a_secret_is_refused_without_echoing_it(string extra, string path)
    {
        var b = Connected();
        b.SendCommand(ConfigCommand("c1", 2, extra: extra));
        var (status, reason) = ReplyTo(b, "c1");
        Assert.Equal(CommandStatus.Refused, status);
        Assert.StartsWith(path, reason);
        Assert.Contains("secrets are never taken in a command", reason);
        Assert.DoesNotContain("hunter2", reason);
        Assert.Equal(1, b.Hub.Config.Version);
    }

    [Fact]
    public void A_remote_config_keeps_the_installer_pin_set_on_site()
    {
        var b = new TestBench(Field.ConsoleInterpreterTests.PinConfigJson, storeConfig: true);
        b.Clock.SyncWallClock(new DateTime(2026, 6, 1, 2, 0, 0, DateTimeKind.Utc));
        b.Connect();
        b.SendCommand(ConfigCommand("c1", 2, extra: ", \"okLongPressMs\": 3000"));
        Assert.Equal(CommandStatus.Ok, ReplyTo(b, "c1").Status);
        Assert.Equal(2, b.Hub.Config.Version);
        Assert.Equal(Field.ConsoleInterpreterTests.PinHash, b.Hub.Config.ConsolePinHash);
        Assert.Equal("unlocked for 10 min", b.Console("unlock " + Field.ConsoleInterpreterTests.Pin).Single());
        b.Restart();
        Assert.Equal(Field.ConsoleInterpreterTests.PinHash, b.Hub.Config.ConsolePinHash);
    }

    [Fact]
    public void A_remote_config_without_console_language_keeps_the_language_set_on_site()
    {
        var b = new TestBench(Field.ConsoleLanguageTests.ChineseConfigJson, storeConfig: true);
        b.Clock.SyncWallClock(new DateTime(2026, 6, 1, 2, 0, 0, DateTimeKind.Utc));
        b.Connect();
        // No console at all, then a console without language: the hub keeps speaking Chinese (and keeps its PIN).
        b.SendCommand(ConfigCommand("c1", 2, extra: ", \"okLongPressMs\": 3000"));
        Assert.Equal(CommandStatus.Ok, ReplyTo(b, "c1").Status);
        Assert.Equal(2, b.Hub.Config.Version);
        Assert.Equal("zh-CN", b.Hub.Config.ConsoleLanguage);
        b.SendCommand(ConfigCommand("c2", 3, extra: ", \"console\": { \"unlockMinutes\": 5 }"));
        Assert.Equal(CommandStatus.Ok, ReplyTo(b, "c2").Status);
        Assert.Equal(3, b.Hub.Config.Version);
        Assert.Equal(5, b.Hub.Config.ConsoleUnlockMinutes);
        Assert.Equal("zh-CN", b.Hub.Config.ConsoleLanguage);
        Assert.Equal("已解锁 5 分钟", b.Console("unlock " + Field.ConsoleInterpreterTests.Pin).Single());
        b.Restart();
        Assert.Equal("zh-CN", b.Hub.Config.ConsoleLanguage);

        // A remote config that says the language sets it.
        b.Connect();
        b.SendCommand(ConfigCommand("c3", 4, extra: ", \"console\": { \"language\": \"en\" }"));
        Assert.Equal(CommandStatus.Ok, ReplyTo(b, "c3").Status);
        Assert.Equal("en", b.Hub.Config.ConsoleLanguage);
        Assert.Equal(Field.ConsoleInterpreterTests.PinHash, b.Hub.Config.ConsolePinHash);
    }

    [Fact]
    public void A_new_broker_is_a_trial_the_hub_leaves_the_old_broker_with_offline_and_rolls_back_without_a_signed_command()
    {
        var b = Connected();
        b.SendCommand(ConfigCommand("c1", 2, "10.0.0.9"));
        var (status, reason) = ReplyTo(b, "c1");
        Assert.Equal(CommandStatus.Ok, status);
        Assert.Contains("on trial", reason);
        Assert.Contains(b.Events(), e => e.Str("kind") == "config" && e.Str("state") == "trial");
        b.Run(20_000, 100);
        // On the old broker: the reply, then offline (retained), then a clean disconnect; then a connect to the new one.
        int replyAt = b.Transport.Publishes.FindIndex(p => p.Topic.EndsWith("/reply") && p.Payload.Contains("\"commandId\":\"c1\""));
        int offlineAt = b.Transport.Publishes.FindIndex(p => p.Topic.EndsWith("/status") && p.Payload.Contains("\"state\":\"offline\""));
        Assert.True(replyAt >= 0 && offlineAt > replyAt, $"reply at {replyAt}, offline at {offlineAt}");
        Assert.True(b.Transport.Publishes[offlineAt].Retain);
        Assert.Equal("10.0.0.9", b.Transport.Connects.Last().Host);
        Assert.True(b.Hub.ConfigTrialActive);

        b.Run(Core.Hub.TrialMs, 1000);
        Assert.False(b.Hub.ConfigTrialActive);
        Assert.Equal(1, b.Hub.Config.Version);
        Assert.Equal("127.0.0.1", b.Transport.Connects.Last().Host);
        Assert.Equal(2, b.Transport.Publishes.Count(p => p.Topic.EndsWith("/status") && p.Payload.Contains("\"state\":\"offline\"")));
        var rolledBack = b.Events().Single(e => e.Str("kind") == "config" && e.Str("state") == "rolled_back");
        Assert.Contains("no signed command on 10.0.0.9:1883", rolledBack.Str("reason"));
        AllValid(b);
        b.Restart();
        Assert.Equal(1, b.Hub.Config.Version);
    }

    [Fact]
    public void A_signed_command_on_the_new_broker_confirms_the_trial_and_the_config_is_kept()
    {
        var b = Connected();
        b.SendCommand(ConfigCommand("c1", 2, "10.0.0.9"));
        b.Run(20_000, 100);
        Assert.Equal("10.0.0.9", b.Transport.Connects.Last().Host);
        b.SendRaw("""{"id":"hello","cmd":"rebirth"}"""); // unsigned: not a confirmation
        Assert.True(b.Hub.ConfigTrialActive);
        b.SendCommand("""{"id":"hello","cmd":"rebirth"}""");
        Assert.False(b.Hub.ConfigTrialActive);
        Assert.Contains(b.Events(), e => e.Str("kind") == "config" && e.Str("state") == "applied" && e.Str("reason").Contains("confirmed"));
        AllValid(b);
        b.Run(Core.Hub.TrialMs + 60_000, 1000);
        Assert.Equal("10.0.0.9", b.Transport.Connects.Last().Host);
        b.Restart();
        Assert.Equal(2, b.Hub.Config.Version);
        Assert.Equal("10.0.0.9", b.Hub.Config.Broker.Host);
    }

    [Fact]
    public void A_reboot_during_the_trial_boots_the_last_good_config_and_reports_the_rollback()
    {
        var b = new TestBench(storeConfig: true);
        b.Clock.SyncWallClock(new DateTime(2026, 6, 1, 2, 0, 0, DateTimeKind.Utc));
        b.Connect();
        b.SendCommand(ConfigCommand("c1", 2, "10.0.0.9"));
        b.Run(20_000, 100);
        b.Restart();
        Assert.Equal(1, b.Hub.Config.Version);
        Assert.Equal("127.0.0.1", b.Hub.Config.Broker.Host);
        b.Connect();
        Assert.Contains(b.Events(), e => e.Str("kind") == "config" && e.Str("state") == "rolled_back" && e.Str("reason").Contains("restarted during its trial"));
    }

    [Fact]
    public void A_new_command_key_file_the_hub_cannot_read_is_refused_before_any_trial()
    {
        var b = Connected();
        b.SendCommand(ConfigCommand("c1", 2).Replace("\"command.key\"", "\"new.key\""));
        var (status, reason) = ReplyTo(b, "c1");
        Assert.Equal(CommandStatus.InvalidValue, status);
        Assert.StartsWith("$.config.security.commandKeyFile: command key file new.key is missing", reason);
        Assert.False(b.Hub.ConfigTrialActive);
    }
}
