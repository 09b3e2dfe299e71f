using System.Text;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Core.Storage;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Hub;

/// <summary>
/// Regression tests for the findings of the review "No input, fault or full flash can lose, delay or
/// swallow an alarm" (issue 16); each test is named after its finding and failed before the fix.
/// </summary>
public class AlarmSafetyTests
{
    private static List<System.Text.Json.JsonElement> Raised(TestBench b, string kind, string cls = "alarm") =>
        b.Events().Where(e => e.Str("kind") == kind && e.Str("state") == "raised" && e.Str("class") == cls).ToList();

    [Theory]
    [InlineData(100)]
    [InlineData(300)]
    [InlineData(1000)]
    public void F1_a_short_sos_press_handled_in_one_loop_pass_is_one_alarm(int holdMs)
    {
        var b = new TestBench();
        b.Connect();
        b.Run(5000, 1000); // busy loop: nothing runs between the two edges below
        long t = b.Clock.UptimeMs;
        int sos = b.IndexOf("sos");
        b.Hub.PostPinEdge(sos, false, t);           // pressed (active low)
        b.Hub.PostPinEdge(sos, true, t + holdMs);   // released, before the loop ran
        b.Clock.Advance(holdMs + 500);
        b.Step(0);
        b.Run(2000, 100);
        Assert.Single(Raised(b, "sos"));
    }

    [Fact]
    public void F1_a_bounce_shorter_than_the_debounce_time_is_not_a_press()
    {
        var b = new TestBench();
        b.Connect();
        long t = b.Clock.UptimeMs;
        int sos = b.IndexOf("sos");
        int debounce = b.Hub.Inputs[sos].Config.DebounceMs;
        b.Hub.PostPinEdge(sos, false, t);
        b.Hub.PostPinEdge(sos, true, t + debounce - 1);
        b.Clock.Advance(1000);
        b.Run(2000, 100);
        Assert.Empty(Raised(b, "sos"));
    }

    [Fact]
    public void F2_an_open_test_sos_does_not_absorb_a_real_press()
    {
        var b = new TestBench();
        b.Connect();
        b.SendCommand("""{"id":"t1","cmd":"test","kind":"sos"}""");
        b.Run(1000);
        b.Press("sos");
        b.Run(1000);
        Assert.Single(Raised(b, "sos", "test"));
        var real = Assert.Single(Raised(b, "sos"));
        Assert.Equal(0, real.GetProperty("priority").GetInt32());
    }

    [Fact]
    public void F2_an_open_test_smoke_does_not_swallow_real_smoke()
    {
        var b = new TestBench();
        b.Connect();
        b.SendCommand("""{"id":"t1","cmd":"test","kind":"smoke"}""");
        b.SetInput("smoke", true);
        b.Run(2000);
        Assert.Single(Raised(b, "smoke"));
    }

    [Fact]
    public void F3_a_command_flood_cannot_refuse_an_sos_edge_and_the_dropped_commands_are_answered()
    {
        var b = new TestBench();
        b.Connect();
        int accepted = 0;
        for (int i = 0; i < 200; i++) if (b.Transport.SendCommand(b.Hub.Topics.For(Channel.Command), $$"""{"id":"c{{i}}","cmd":"rebirth"}""")) accepted++;
        Assert.True(accepted < 200);
        int sos = b.IndexOf("sos");
        Assert.True(b.Hub.PostPinEdge(sos, false, b.Clock.UptimeMs));
        b.Clock.Advance(300);
        Assert.True(b.Hub.PostPinEdge(sos, true, b.Clock.UptimeMs));
        b.Run(2000, 100);
        Assert.Single(Raised(b, "sos"));
        var dropped = b.Replies().Where(r => r.GetProperty("status").GetInt32() == CommandStatus.Busy).ToList();
        Assert.Single(dropped);
        Assert.Contains((200 - accepted).ToString() + " command(s) dropped", dropped[0].Str("reason"));
    }

    [Fact]
    public void F4_lost_publish_acks_do_not_freeze_delivery()
    {
        var b = new TestBench();
        b.Connect();
        b.Transport.GoSilent(); // half-open: publishes go out, no PUBACK ever comes back
        b.Press("sos");
        b.Run(OutboxPublisher.AckTimeoutMs + 1000, 500);
        Assert.NotEqual(ConnectionManager.Connected, b.Hub.Link.State);
        Assert.Equal(1, b.Hub.Link.DeadLinks);
        b.Transport.AutoAck = true;
        long start = b.Clock.UptimeMs;
        while (b.Hub.Alarms.Alarms.Cast<PingAnTong.Edge.Core.Alarms.Alarm>().Any(a => !a.IsDelivered)) b.Step(500);
        // Delivered again within the first backoff step (5 s ± 20 %) of declaring the link dead.
        Assert.InRange(b.Clock.UptimeMs - start, 0, ConnectionManager.InitialBackoffMs * 6 / 5 + 1000);
    }

    [Fact]
    public void F5_a_full_drive_with_a_torn_record_still_boots_and_keeps_the_alarm()
    {
        var store = new MemoryStore();
        var b = new TestBench(store: store);
        b.Press("sos");
        string id = b.Hub.Alarms.NewestOpen().Id;
        // Tear the tail of the outbox, then fill the drive so that compaction at boot cannot write.
        string file = store.Names.Single(n => n.StartsWith("outbox."));
        store.Put(file, store.Snapshot(file).Concat(new byte[] { 0xA5, 0x5A, 40, 0, 1, 2 }).ToArray());
        store.CapacityBytes = store.UsedBytes;
        b.Restart();
        b.Connect();
        b.Run(2000);
        Assert.Equal(id, b.Hub.Alarms.NewestOpen()?.Id);
        Assert.Contains(b.Events(), e => e.Str("kind") == "sos" && e.Str("id") == id);
        Assert.Contains(b.Events(), e => e.Str("kind") == "storage" && e.Str("state") == "raised");
    }

    [Fact]
    public void F6_event_ids_never_repeat_when_counter_writes_fail()
    {
        var store = new MemoryStore();
        var b = new TestBench(store: store);
        store.FailingFiles.Add("counters");
        var ids = new List<string>();
        for (int boot = 0; boot < 3; boot++)
        {
            b.Restart();
            b.Connect();
            b.Press("sos");
            string id = b.Hub.Alarms.NewestOpen().Id;
            ids.Add(id);
            b.SendCommand("{\"id\":\"a" + boot + "\",\"cmd\":\"ack\",\"alarmId\":\"" + id + "\"}");
            b.SendCommand("{\"id\":\"c" + boot + "\",\"cmd\":\"close\",\"alarmId\":\"" + id + "\"}");
            Assert.True(b.Hub.Counters.BootNotStored);
            Assert.Contains(b.Events(), e => e.Str("kind") == "storage" && e.Str("reason").Contains("fallback boot number"));
        }
        Assert.Equal(3, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^hub-0001-[0-9]{10}-[0-9]+$", id));
    }

    [Fact]
    public void F7_a_flipped_bit_in_a_pending_sos_record_is_rebuilt_reported_by_id_and_sent()
    {
        var store = new MemoryStore();
        var b = new TestBench(store: store);
        b.Press("sos");
        var alarm = b.Hub.Alarms.NewestOpen();
        string file = store.Names.Single(n => n.StartsWith("outbox."));
        store.Corrupt(file, alarm.Entry.RecordPosition + 60); // inside the body
        b.Connect();
        b.Run(2000);
        var sent = Assert.Single(Raised(b, "sos"));
        Assert.Equal(alarm.Id, sent.Str("id"));
        Assert.Contains("damaged", sent.Str("reason"));
        Assert.Contains(b.Events(), e => e.Str("kind") == "storage" && e.Str("reason").Contains(alarm.Id));
        // The rebuilt record is stored again: still there after a power cycle.
        b.Restart();
        Assert.Equal(alarm.Id, b.Hub.Alarms.NewestOpen()?.Id);
    }

    [Fact]
    public void F8_test_alarms_are_bounded_and_never_crowd_out_a_real_sos()
    {
        var store = new MemoryStore();
        var b = new TestBench(store: store);
        b.Clock.SyncWallClock(b.CentreUtcMs);
        for (int i = 0; i < 2000; i++) { b.Transport.SendCommand(b.Hub.Topics.For(Channel.Command), b.Sign($$"""{"id":"t{{i}}","cmd":"test","kind":"sos"}""")); if (i % 10 == 0) b.Step(0); }
        b.Step(0);
        Assert.Equal(CommandProcessor.MaxOpenTestAlarms, b.Hub.Alarms.OpenTestCount);
        b.Press("sos");
        string id = b.Hub.Alarms.FindOpen("sos").Id;
        b.Restart(); // the SOS was stored, not held in RAM
        Assert.NotNull(b.Hub.Alarms.Find(id));
        b.Connect();
        var first = b.Transport.On("event").Select(p => p.Payload()).First(e => e.Str("state") == "raised");
        Assert.Equal(id, first.Str("id"));
    }

    [Fact]
    public void F9_an_oversized_command_gets_a_short_reply_and_evicts_nothing()
    {
        var b = new TestBench();
        b.SetInput("mains", false);
        b.Run(70_000, 1000); // a mains fault waits in the outbox (offline)
        int pending = b.Hub.Outbox.CountPending();
        string huge = "{\"id\":\"x\",\"cmd\":\"" + new string('a', 1 << 20) + "\"}";
        b.Transport.Link.Message(b.Hub.Topics.For(Channel.Command), Encoding.UTF8.GetBytes(huge), false);
        b.Step(0);
        string unknown = "{\"id\":\"y\",\"cmd\":\"" + new string('b', 10_000) + "\"}";
        b.Transport.Link.Message(b.Hub.Topics.For(Channel.Command), Encoding.UTF8.GetBytes(unknown), false);
        b.Step(0);
        b.Connect();
        var replies = b.Transport.On("reply").ToList();
        Assert.Equal(2, replies.Count);
        Assert.All(replies, r => Assert.True(r.Payload.Length < 1024, $"reply of {r.Payload.Length} bytes"));
        Assert.Contains(b.Events(), e => e.Str("kind") == "mains" && e.Str("state") == "raised");
        Assert.Equal(0, b.Hub.Outbox.EvictedCount);
        Assert.False(b.Hub.StorageFault);
        Assert.True(pending > 0);
    }

    [Fact]
    public void Storage_pressure_evicts_test_alarms_before_a_real_alarm_is_refused_room()
    {
        var store = new MemoryStore();
        var outbox = new Outbox(store, "ob", 2000, 8);
        outbox.Recover();
        byte[] body = Encoding.UTF8.GetBytes("{\"x\":1");
        for (int i = 0; i < 8; i++) outbox.Append(Channel.Event, EventClass.Test, Priority.Test, i, "t" + i, "sos", 0, 0, body, body.Length);
        var real = outbox.Append(Channel.Event, EventClass.Alarm, Priority.LifeSafety, 100, "real", "sos", 0, 0, body, body.Length);
        Assert.Contains(real, outbox.Entries.Cast<OutboxEntry>());
        Assert.Equal(1, outbox.EvictedCount);
        Assert.Null(real.VolatileBody); // stored, not held in RAM
    }
}
