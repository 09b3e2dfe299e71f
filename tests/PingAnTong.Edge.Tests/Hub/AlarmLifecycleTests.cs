using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Storage;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Hub;

public class AlarmLifecycleTests
{
    [Fact]
    public void Sos_press_shows_raised_at_once_and_is_stored_before_any_send()
    {
        var b = new TestBench();
        b.SetInput("sos", true);
        b.Step(0);
        b.Step(30); // debounce
        Assert.Equal(Indication.Raised, b.Indicator.Current);
        var alarm = Assert.Single(b.Hub.Alarms.Alarms.Cast<Alarm>());
        Assert.Equal("sos", alarm.Kind);
        Assert.Empty(b.Transport.Publishes); // not connected yet: stored only
        Assert.Contains(b.Hub.Outbox.Entries.Cast<OutboxEntry>(), e => e.Id == alarm.Id);
    }

    [Fact]
    public void Local_feedback_comes_within_200ms_of_the_press()
    {
        var b = new TestBench();
        b.SetInput("sos", true);
        long pressed = b.Clock.UptimeMs;
        while (b.Indicator.Current != Indication.Raised && b.Clock.UptimeMs - pressed < 1000) b.Step(10);
        Assert.True(b.Clock.UptimeMs - pressed <= 200, $"feedback after {b.Clock.UptimeMs - pressed} ms");
    }

    [Fact]
    public void Delivered_then_acknowledged_shows_help_coming_for_at_least_five_minutes()
    {
        var b = new TestBench();
        b.Connect();
        b.Press("sos");
        var ev = b.Events().Single(e => e.Str("kind") == "sos");
        Assert.Equal("raised", ev.Str("state"));
        Assert.Equal(Indication.Delivered, b.Indicator.Current);
        b.SendCommand($$"""{"id":"c1","cmd":"ack","alarmId":"{{ev.Str("id")}}"}""");
        Assert.Equal(Indication.HelpComing, b.Indicator.Current);
        Assert.Equal(0, b.Replies().Last().GetProperty("status").GetInt32());
        b.SendCommand($$"""{"id":"c2","cmd":"close","alarmId":"{{ev.Str("id")}}"}""");
        b.Run(4 * 60_000, 1000);
        Assert.Equal(Indication.HelpComing, b.Indicator.Current);
        b.Run(61_000, 1000);
        Assert.Equal(Indication.Idle, b.Indicator.Current);
        Assert.Contains(b.Events(), e => e.Str("state") == "closed" && e.Str("alarmId") == ev.Str("id"));
        Assert.Empty(b.Hub.Outbox.Entries);
    }

    [Fact]
    public void Not_delivered_within_60s_turns_the_indication_to_not_delivered()
    {
        var b = new TestBench();
        b.Press("sos");
        b.Run(59_000, 1000);
        Assert.Equal(Indication.Raised, b.Indicator.Current);
        b.Run(2_000, 1000);
        Assert.Equal(Indication.NotDelivered, b.Indicator.Current);
    }

    [Fact]
    public void Unacknowledged_alarm_is_resent_with_backoff_marked_escalated_and_never_given_up()
    {
        var b = new TestBench();
        b.Connect();
        b.Press("sos");
        string id = b.Events().Single(e => e.Str("kind") == "sos").Str("id");
        var sendTimes = new List<long>();
        int seen = 1;
        for (int i = 0; i < 6 * 3600; i++)
        {
            b.Step(1000);
            var sends = b.Transport.On("event").Where(p => p.Payload().Str("id") == id).ToList();
            if (sends.Count > seen) { seen = sends.Count; sendTimes.Add(b.Clock.UptimeMs); }
        }
        var resends = b.Transport.On("event").Select(p => p.Payload()).Where(e => e.Str("id") == id).Skip(1).ToList();
        Assert.True(resends.Count >= 5, $"only {resends.Count} resends in 6 h");
        Assert.All(resends, e => Assert.True(e.GetProperty("escalated").GetBoolean()));
        var gaps = sendTimes.Zip(sendTimes.Skip(1), (a, c) => c - a).ToList();
        Assert.True(gaps[1] > gaps[0], "backoff must grow");
        Assert.True(gaps.Max() <= AlarmLifecycle.MaxResendIntervalMs + 2000);
        Assert.Equal(1, b.Hub.Alarms.ActiveCount);
    }

    [Fact]
    public void Long_press_on_ok_during_an_alarm_requests_cancel_but_keeps_the_alarm()
    {
        var b = new TestBench();
        b.Connect();
        b.Press("sos");
        string id = b.Events().Single(e => e.Str("kind") == "sos").Str("id");
        b.Press("ok", 2500);
        var cancel = b.Events().Single(e => e.Str("state") == "cancel_requested");
        Assert.Equal(id, cancel.Str("alarmId"));
        Assert.Equal(1, b.Hub.Alarms.ActiveCount);
        b.Run(3_600_000, 10_000);
        Assert.Equal(1, b.Hub.Alarms.ActiveCount); // SOS is never cancelled by timeout
    }

    [Fact]
    public void Second_sos_press_while_unanswered_escalates_the_same_alarm()
    {
        var b = new TestBench();
        b.Connect();
        b.Press("sos");
        b.Press("sos");
        var sos = b.Events().Where(e => e.Str("kind") == "sos").ToList();
        Assert.Single(sos.Select(e => e.Str("id")).Distinct());
        Assert.True(sos.Last().GetProperty("escalated").GetBoolean());
    }

    [Fact]
    public void Smoke_raises_once_and_clear_is_reported_and_closes_after_ack()
    {
        var b = new TestBench();
        b.Connect();
        b.SetInput("smoke", true);
        b.Run(1000);
        b.SetInput("smoke", false);
        b.Run(1000);
        b.SetInput("smoke", true);
        b.Run(1000);
        var raised = b.Events().Where(e => e.Str("kind") == "smoke" && e.Str("state") == "raised").ToList();
        // Once per episode: smoke that comes back after the backend was told "cleared" is a new alarm, not
        // absorbed into the first (whose ack would close it "cleared" with the smoke back).
        Assert.Equal(2, raised.Select(e => e.Str("id")).Distinct().Count());
        Assert.Equal(0, raised[0].GetProperty("priority").GetInt32());
        Assert.Contains(b.Events(), e => e.Str("kind") == "smoke" && e.Str("state") == "cleared");
        b.SetInput("smoke", false);
        b.Run(1000);
        b.SendCommand($$"""{"id":"a","cmd":"ack","alarmId":"{{raised[0].Str("id")}}"}""");
        b.SendCommand($$"""{"id":"b","cmd":"ack","alarmId":"{{raised[1].Str("id")}}"}""");
        Assert.Equal(0, b.Hub.Alarms.ActiveCount);
    }

    [Fact]
    public void Alarm_survives_a_power_cut_and_is_resent_as_historical_after_reboot()
    {
        var b = new TestBench();
        b.Press("sos");
        string id = b.Hub.Alarms.NewestOpen().Id;
        b.Restart();
        Assert.Equal(id, b.Hub.Alarms.NewestOpen().Id);
        b.Connect();
        var sent = b.Events().Single(e => e.Str("id") == id);
        Assert.True(sent.GetProperty("historical").GetBoolean());
        b.SendCommand($$"""{"id":"c","cmd":"ack","alarmId":"{{id}}"}""");
        Assert.Equal(Indication.HelpComing, b.Indicator.Current);
    }

    [Fact]
    public void Acknowledged_alarm_keeps_help_coming_across_a_reboot()
    {
        var b = new TestBench();
        b.Connect();
        b.Press("sos");
        string id = b.Events().Single(e => e.Str("kind") == "sos").Str("id");
        b.SendCommand($$"""{"id":"c","cmd":"ack","alarmId":"{{id}}"}""");
        b.Restart();
        b.Step(0);
        Assert.Equal(Indication.HelpComing, b.Indicator.Current);
        b.Connect();
        Assert.DoesNotContain(b.Events(), e => e.Str("id") == id); // acknowledged: not sent again
    }

    [Fact]
    public void Gas_alarm_waits_for_warmup_and_uses_hysteresis()
    {
        var b = new TestBench();
        b.Connect();
        b.Sensors.Set("gas", 5000);
        b.Run(50_000, 1000);
        Assert.DoesNotContain(b.Events(), e => e.Str("kind") == "gas"); // warming up (60 s)
        b.Run(15_000, 1000);
        var gas = b.Events().Single(e => e.Str("kind") == "gas");
        Assert.Equal(5000, gas.GetProperty("value").GetInt32());
        b.Sensors.Set("gas", 950); // below threshold but within hysteresis
        b.Run(10_000, 1000);
        Assert.DoesNotContain(b.Events(), e => e.Str("kind") == "gas" && e.Str("state") == "cleared");
        b.Sensors.Set("gas", 800);
        b.Run(10_000, 1000);
        Assert.Contains(b.Events(), e => e.Str("kind") == "gas" && e.Str("state") == "cleared");
    }
}
