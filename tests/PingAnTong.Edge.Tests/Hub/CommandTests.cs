using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Hub;

public class CommandTests
{
    private static (int status, string reason, string commandId) LastReply(TestBench b)
    {
        var r = b.Replies().Last();
        return (r.GetProperty("status").GetInt32(), r.Str("reason"), r.Str("commandId"));
    }

    [Theory]
    [InlineData("{not json", CommandStatus.Malformed, "not valid JSON")]
    [InlineData("[1,2]", CommandStatus.Malformed, "expected an object")]
    [InlineData("""{"cmd":"ack"}""", CommandStatus.Malformed, "$.id")]
    [InlineData("""{"id":"x"}""", CommandStatus.Malformed, "$.cmd")]
    [InlineData("""{"id":"x","cmd":"selfdestruct"}""", CommandStatus.UnknownCommand, "unknown command")]
    [InlineData("""{"id":"x","cmd":"ack"}""", CommandStatus.Malformed, "$.alarmId")]
    [InlineData("""{"id":"x","cmd":"ack","alarmId":"nope"}""", CommandStatus.NotFound, "no open alarm")]
    [InlineData("""{"id":"x","cmd":"heartbeat","minutes":0}""", CommandStatus.InvalidValue, "$.minutes")]
    [InlineData("""{"id":"x","cmd":"heartbeat","minutes":"5"}""", CommandStatus.InvalidValue, "$.minutes")]
    [InlineData("""{"id":"x","cmd":"test","kind":"flood"}""", CommandStatus.InvalidValue, "$.kind")]
    [InlineData("""{"id":"x","cmd":"config","config":{"version":2}}""", CommandStatus.InvalidValue, "$.config.hubId")]
    [InlineData("""{"id":"x","cmd":"config"}""", CommandStatus.Malformed, "$.config")]
    public void Bad_commands_get_an_error_reply_and_change_nothing(string json, int status, string reasonPart)
    {
        var b = new TestBench();
        b.Connect();
        int before = b.Hub.Config.Version;
        b.SendCommand(json);
        b.Run(1000);
        var (st, reason, _) = LastReply(b);
        Assert.Equal(status, st);
        Assert.Contains(reasonPart, reason);
        Assert.Equal(before, b.Hub.Config.Version);
        Assert.Equal(5, b.Hub.HeartbeatMinutes);
    }

    [Fact]
    public void Every_reply_echoes_the_command_id()
    {
        var b = new TestBench();
        b.Connect();
        b.SendCommand("""{"id":"cmd-42","cmd":"rebirth"}""");
        b.Run(1000);
        var (st, _, id) = LastReply(b);
        Assert.Equal(0, st);
        Assert.Equal("cmd-42", id);
        Assert.Equal(2, b.Transport.On("status").Count());
    }

    [Fact]
    public void Heartbeat_interval_is_settable_from_1_to_60_minutes()
    {
        var b = new TestBench();
        b.Connect();
        b.SendCommand("""{"id":"h","cmd":"heartbeat","minutes":1}""");
        int before = b.Transport.On("health").Count();
        b.Run(10 * 60_000, 1000);
        int sent = b.Transport.On("health").Count() - before;
        Assert.InRange(sent, 9, 11);
    }

    [Fact]
    public void Default_heartbeat_every_five_minutes_carries_health()
    {
        var b = new TestBench();
        b.Connect();
        b.Run(30 * 60_000, 1000);
        var beats = b.Transport.On("health").Select(p => p.Payload()).ToList();
        Assert.InRange(beats.Count, 5, 7);
        var last = beats.Last();
        Assert.Equal("on", last.Str("mains"));
        Assert.Equal(7, last.GetProperty("inputs").GetArrayLength());
        Assert.Equal(100_000, last.GetProperty("freeMemoryBytes").GetInt64());
        Assert.True(last.GetProperty("queueOverflows").GetInt32() >= 0);
    }

    [Fact]
    public void Test_command_raises_a_test_alarm_that_the_backend_can_ack()
    {
        var b = new TestBench();
        b.Connect();
        b.SendCommand("""{"id":"t","cmd":"test","kind":"sos"}""");
        b.Run(1000);
        var ev = b.Events().Single(e => e.Str("kind") == "sos");
        Assert.Equal("test", ev.Str("class"));
        b.SendCommand($$"""{"id":"a","cmd":"ack","alarmId":"{{ev.Str("id")}}"}""");
        Assert.Equal(0, LastReply(b).status);
    }

    [Fact]
    public void Notice_is_shown_until_ok_is_pressed_which_is_reported_as_read()
    {
        var b = new TestBench();
        b.Connect();
        b.SendCommand("""{"id":"n","cmd":"notice","noticeId":"typhoon-0712"}""");
        b.Step(0);
        Assert.Equal(Indication.Notice, b.Indicator.Current);
        b.Run(3_600_000, 10_000);
        Assert.Equal(Indication.Notice, b.Indicator.Current);
        b.Press("ok");
        Assert.Equal(Indication.Idle, b.Indicator.Current);
        var read = b.Events().Single(e => e.Str("kind") == "notice");
        Assert.Equal("read", read.Str("state"));
        Assert.Equal("typhoon-0712", read.Str("alarmId"));
    }

    [Fact]
    public void Reboot_replies_first_then_reboots_and_refuses_other_commands_meanwhile()
    {
        var b = new TestBench();
        b.Connect();
        b.Transport.AutoAck = false;
        b.SendCommand("""{"id":"r","cmd":"reboot"}""");
        b.SendCommand("""{"id":"r2","cmd":"heartbeat","minutes":3}""");
        Assert.Equal(CommandStatus.Busy, LastReply(b).status);
        b.Transport.AckAll();
        b.Step(0);
        b.Transport.AckAll();
        b.Step(0);
        Assert.Equal(1, b.Host.Reboots);
    }

    [Fact]
    public void Valid_config_command_is_applied_persisted_and_survives_reboot()
    {
        var b = new TestBench();
        b.Connect();
        string next = TestBench.DemoConfigJson.Replace("\"version\": 1", "\"version\": 2").Replace("\"heartbeatMinutes\": 5", "\"heartbeatMinutes\": 15");
        b.SendCommand($$"""{"id":"cfg","cmd":"config","config":{{next}}}""");
        Assert.Equal(0, LastReply(b).status);
        Assert.Equal(2, b.Hub.Config.Version);
        Assert.Equal(15, b.Hub.HeartbeatMinutes);
        b.Restart();
        Assert.Equal(2, b.Hub.Config.Version);
        Assert.Equal("stored", b.Hub.ConfigSource);
    }

    [Fact]
    public void Invalid_or_stale_config_is_refused_whole_and_the_last_good_one_kept()
    {
        var b = new TestBench();
        b.Connect();
        string bad = TestBench.DemoConfigJson.Replace("\"version\": 1", "\"version\": 3").Replace("\"heartbeatMinutes\": 5", "\"heartbeatMinutes\": 500");
        b.SendCommand($$"""{"id":"c1","cmd":"config","config":{{bad}}}""");
        var (st, reason, _) = LastReply(b);
        Assert.Equal(CommandStatus.InvalidValue, st);
        Assert.Contains("$.config.heartbeatMinutes: expected an integer from 1 to 60, got 500", reason);
        string stale = TestBench.DemoConfigJson;
        b.SendCommand($$"""{"id":"c2","cmd":"config","config":{{stale}}}""");
        Assert.Contains("expected a version above 1", LastReply(b).reason);
        Assert.Equal(1, b.Hub.Config.Version);
        Assert.Equal(5, b.Hub.HeartbeatMinutes);
    }

    [Fact]
    public void Config_changing_pins_is_applied_and_reboots_to_rewire()
    {
        var b = new TestBench();
        b.Connect();
        string next = TestBench.DemoConfigJson.Replace("\"version\": 1", "\"version\": 2").Replace("\"pin\": 25", "\"pin\": 32");
        b.SendCommand($$"""{"id":"cfg","cmd":"config","config":{{next}}}""");
        Assert.Contains("rebooting", LastReply(b).reason);
        b.Run(6000, 500);
        Assert.Equal(1, b.Host.Reboots);
    }
}
