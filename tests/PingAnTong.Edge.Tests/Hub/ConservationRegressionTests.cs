using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Hub;

/// <summary>
/// Regression tests for what the alarm conservation property (<see cref="AlarmConservationTests"/>) found;
/// each failed before its fix.
/// </summary>
public class ConservationRegressionTests
{
    private static List<System.Text.Json.JsonElement> Raised(TestBench b, string kind) =>
        b.Events().Where(e => e.Str("kind") == kind && e.Str("state") == "raised" && e.Str("class") == "alarm").ToList();

    private static string NewestOpen(TestBench b, string kind) =>
        b.Hub.Alarms.Alarms.Cast<Alarm>().LastOrDefault(a => !a.Closed && a.Kind == kind && a.Entry.IsRealAlarm)?.Id;

    [Fact]
    public void Smoke_that_comes_back_after_clearing_before_the_ack_is_a_new_alarm_not_swallowed()
    {
        // Before: the second onset was absorbed into the first alarm, whose last word to the backend was
        // "cleared"; the ack then closed it ("condition had cleared") with the smoke back.
        var b = new TestBench();
        b.Connect();
        b.SetInput("smoke", true);
        b.Run(1000);
        string first = NewestOpen(b, "smoke");
        b.SetInput("smoke", false);
        b.Run(1000);
        Assert.Contains(b.Events(), e => e.Str("state") == "cleared" && e.Str("alarmId") == first);
        b.SetInput("smoke", true);
        b.Run(1000);
        Assert.Equal(2, Raised(b, "smoke").Count);
        string second = NewestOpen(b, "smoke");
        Assert.NotEqual(first, second);
        b.SendCommand($$"""{"id":"a1","cmd":"ack","alarmId":"{{first}}"}""");
        Assert.Contains(b.Events(), e => e.Str("state") == "closed" && e.Str("alarmId") == first);
        Assert.False(b.Hub.Alarms.Find(second).Closed);
        b.SetInput("smoke", false);
        b.Run(1000);
        Assert.Contains(b.Events(), e => e.Str("state") == "cleared" && e.Str("alarmId") == second);
    }

    [Fact]
    public void Gas_that_comes_back_after_clearing_before_the_ack_is_a_new_alarm_not_swallowed()
    {
        var b = new TestBench();
        b.Connect();
        b.Run(61_000, 1000);   // warm-up
        b.Sensors.Set("gas", 2000);
        b.Run(3000);
        b.Sensors.Set("gas", 0);
        b.Run(3000);
        b.Sensors.Set("gas", 2000);
        b.Run(3000);
        Assert.Equal(2, Raised(b, "gas").Count);
    }

    [Fact]
    public void Smoke_present_at_boot_after_it_had_cleared_is_a_new_alarm_not_swallowed()
    {
        // The cleared flag lived in RAM only: after a reboot the smoke seen at start-up was absorbed into the
        // restored alarm, whose last word to the backend was "cleared".
        var b = new TestBench();
        b.Connect();
        b.SetInput("smoke", true);
        b.Run(1000);
        string first = NewestOpen(b, "smoke");
        b.SetInput("smoke", false);
        b.Run(1000);
        b.Restart();
        b.SetInput("smoke", true);   // the host posts the level at start-up
        b.Connect();
        b.Run(1000);
        Assert.Contains(Raised(b, "smoke"), e => e.Str("id") != first);
        Assert.Equal(2, b.Hub.Alarms.Alarms.Cast<Alarm>().Count(a => a.Kind == "smoke" && !a.Closed));
    }

    [Fact]
    public void A_press_while_an_older_sos_is_acknowledged_and_a_newer_one_is_not_escalates_the_newer()
    {
        // Before: FindOpen returned the oldest open SOS, acknowledged, so every press raised yet another alarm.
        var b = new TestBench();
        b.Connect();
        b.Press("sos");
        string first = NewestOpen(b, "sos");
        b.SendCommand($$"""{"id":"a1","cmd":"ack","alarmId":"{{first}}"}""");
        b.Press("sos");
        string second = NewestOpen(b, "sos");
        Assert.NotEqual(first, second);
        b.Run(2000);
        b.Press("sos");
        b.Run(2000);
        Assert.Equal(2, Raised(b, "sos").Select(e => e.Str("id")).Distinct().Count());
        Assert.Contains(Raised(b, "sos"), e => e.Str("id") == second && e.GetProperty("escalated").GetBoolean());
    }

    private static string ConfigCommand(int version) =>
        "{\"id\":\"cfg" + version + "\",\"cmd\":\"config\",\"config\":" + TestBench.DemoConfigJson.Replace("\"version\": 1", "\"version\": " + version) + "}";

    [Fact]
    public void An_sos_press_being_debounced_when_a_config_is_applied_is_not_lost()
    {
        // Before: applying a config (same pins) rebuilt every input at its inactive level; a press whose edge
        // had arrived but not yet settled was dropped, and the button, still held, gave no new edge.
        var b = new TestBench();
        b.Connect();
        int sos = b.IndexOf("sos");
        b.Hub.PostPinEdge(sos, false, b.Clock.UptimeMs);   // pressed (active low)
        b.SendCommand(ConfigCommand(2));
        b.Step(0);                                           // the edge and the config in one loop pass
        Assert.Equal(2, b.Hub.Config.Version);
        b.Run(1000, 100);
        b.SetInput("sos", false);
        b.Run(1000, 100);
        Assert.Single(Raised(b, "sos"));
    }

    [Fact]
    public void Applying_a_config_does_not_make_the_hub_believe_mains_power_was_lost()
    {
        var b = new TestBench();
        b.Connect();
        b.SendCommand(ConfigCommand(2));
        Assert.Equal(2, b.Hub.Config.Version);
        b.Run(120_000, 1000);
        Assert.DoesNotContain(b.Events(), e => e.Str("kind") == "mains");
    }

    [Fact]
    public void Marks_land_on_their_own_alarm_when_counter_writes_fail_and_sequence_numbers_start_again()
    {
        // Before: with counter writes failing every boot started its sequence numbers from the same stored
        // ceiling; ids stayed unique (fallback boot numbers) but two stored alarms shared a seq, and state
        // marks, found by seq, landed on the wrong one at the next boot (an acknowledged SOS came back
        // unanswered, or a closed alarm's removal took another).
        var store = new MemoryStore();
        store.FailingFiles.Add("counters");
        var b = new TestBench(store: store);
        b.Connect();
        b.Press("sos");
        string sos = NewestOpen(b, "sos");
        b.Restart();
        b.Connect();
        b.SetInput("smoke", true);
        b.Run(1000);
        string smoke = NewestOpen(b, "smoke");
        var seqs = b.Hub.Outbox.Entries.Cast<PingAnTong.Edge.Core.Storage.OutboxEntry>().Select(e => e.Seq).ToList();
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
        b.SendCommand($$"""{"id":"a1","cmd":"ack","alarmId":"{{smoke}}"}""");
        b.Restart();
        Assert.False(b.Hub.Alarms.Find(sos).IsAcknowledged);
        Assert.True(b.Hub.Alarms.Find(smoke).IsAcknowledged);
    }
}
