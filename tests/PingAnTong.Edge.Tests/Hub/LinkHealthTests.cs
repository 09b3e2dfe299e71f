using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Hub;

/// <summary>
/// A transport can fail quietly (issue 12): the hub must notice, close the link, reconnect with the
/// connection manager's backoff, and never spin. Also: stale outcomes of abandoned connect attempts
/// are ignored, and commands are idempotent as the contract promises.
/// </summary>
public class LinkHealthTests
{
    [Fact]
    public void A_dead_link_refusing_publishes_is_closed_and_retried_at_a_bounded_rate()
    {
        var b = new TestBench();
        b.Connect();
        b.Transport.RefusePublishes = true; // "connected", but nothing can be sent
        b.Press("sos");
        int callsBefore = b.Transport.PublishCalls, connectsBefore = b.Transport.Connects.Count;
        b.Run(10 * 60_000, 100); // ten minutes, the loop running every 100 ms
        int calls = b.Transport.PublishCalls - callsBefore, connects = b.Transport.Connects.Count - connectsBefore;
        Assert.True(b.Hub.Link.DeadLinks >= 1);
        // Each connection gets at most MaxRefusals tries (1 s apart) and a birth; connects are paced by the
        // backoff: 5, 10, 20, 40, 80, 160, 300 s (±20 %) plus ~2 s to find each link dead → at most 9 in ten minutes.
        Assert.InRange(connects, 1, 9);
        Assert.InRange(calls, 1, connects * (OutboxPublisher.MaxRefusals + 1) + OutboxPublisher.MaxRefusals + 1);
        b.Transport.RefusePublishes = false;
        long start = b.Clock.UptimeMs;
        while (!b.Hub.Alarms.NewestOpen().IsDelivered) b.Step(1000);
        Assert.InRange(b.Clock.UptimeMs - start, 0, ConnectionManager.MaxBackoffMs * 6 / 5 + 5000);
    }

    [Fact]
    public void A_connect_that_completes_after_its_timeout_is_ignored()
    {
        var b = new TestBench();
        b.Run(ConnectionManager.ConnectTimeoutMs + 1000, 500); // the first attempt timed out
        Assert.Equal(ConnectionManager.Disconnected, b.Hub.Link.State);
        int stale = b.Transport.Generation;
        b.Transport.Link.Connected(stale); // the abandoned attempt completes late
        b.Step(0);
        Assert.NotEqual(ConnectionManager.Connected, b.Hub.Link.State);
        b.Transport.AutoAck = true;
        b.Run(20_000, 500);
        Assert.Equal(ConnectionManager.Connected, b.Hub.Link.State);
        Assert.True(b.Transport.Generation > stale);
    }

    [Fact]
    public void A_late_loss_report_of_an_old_connection_does_not_drop_the_new_one()
    {
        var b = new TestBench();
        b.Connect();
        int old = b.Transport.Generation;
        b.Transport.Drop();
        b.Run(20_000, 500);
        Assert.Equal(ConnectionManager.Connected, b.Hub.Link.State);
        b.Transport.Link.Lost(old, "late report of the old socket");
        b.Step(0);
        Assert.Equal(ConnectionManager.Connected, b.Hub.Link.State);
    }

    [Fact]
    public void A_resent_command_gets_the_same_reply_and_runs_once()
    {
        var b = new TestBench();
        b.Connect();
        b.SendCommand("""{"id":"t-1","cmd":"test","kind":"sos"}""");
        b.SendCommand("""{"id":"t-1","cmd":"test","kind":"sos"}""");
        var replies = b.Replies().Where(r => r.Str("commandId") == "t-1").ToList();
        Assert.Equal(2, replies.Count);
        Assert.Equal(replies[0].Str("reason"), replies[1].Str("reason"));
        Assert.Equal(1, b.Hub.Alarms.OpenTestCount);
    }

    [Fact]
    public void Ack_and_close_of_an_alarm_already_done_succeed_with_already_done()
    {
        var b = new TestBench();
        b.Connect();
        b.Press("sos");
        string id = b.Hub.Alarms.NewestOpen().Id;
        b.SendCommand($$"""{"id":"a1","cmd":"ack","alarmId":"{{id}}"}""");
        b.SendCommand($$"""{"id":"a2","cmd":"ack","alarmId":"{{id}}"}""");
        b.SendCommand($$"""{"id":"c1","cmd":"close","alarmId":"{{id}}"}""");
        b.SendCommand($$"""{"id":"c2","cmd":"close","alarmId":"{{id}}"}""");
        b.SendCommand($$"""{"id":"a3","cmd":"ack","alarmId":"{{id}}"}""");
        b.SendCommand($$"""{"id":"c1","cmd":"close","alarmId":"{{id}}"}""");
        int Status(string cid) => b.Replies().Last(r => r.Str("commandId") == cid).GetProperty("status").GetInt32();
        Assert.Equal(CommandStatus.Ok, Status("a1"));
        Assert.Equal(CommandStatus.AlreadyDone, Status("a2"));
        Assert.Equal(CommandStatus.Ok, Status("c1"));
        Assert.Equal(CommandStatus.AlreadyDone, Status("c2"));
        Assert.Equal(CommandStatus.AlreadyDone, Status("a3"));
        Assert.Equal(2, b.Replies().Count(r => r.Str("commandId") == "c1" && r.GetProperty("status").GetInt32() == CommandStatus.Ok));
    }

    [Fact]
    public void Smoke_that_clears_after_its_ack_publishes_closed_and_a_later_close_is_already_done()
    {
        var b = new TestBench();
        b.Connect();
        b.SetInput("smoke", true);
        b.Run(1000);
        string id = b.Hub.Alarms.NewestOpen().Id;
        b.SendCommand($$"""{"id":"a1","cmd":"ack","alarmId":"{{id}}"}""");
        b.SetInput("smoke", false);
        b.Run(1000);
        Assert.Contains(b.Events(), e => e.Str("kind") == "smoke" && e.Str("state") == "closed" && e.Str("alarmId") == id);
        b.SendCommand($$"""{"id":"c1","cmd":"close","alarmId":"{{id}}"}""");
        Assert.Equal(CommandStatus.AlreadyDone, b.Replies().Last().GetProperty("status").GetInt32());
    }

    [Fact]
    public void Smoke_that_cleared_before_its_ack_closes_with_an_event_on_the_ack()
    {
        var b = new TestBench();
        b.Connect();
        b.SetInput("smoke", true);
        b.Run(1000);
        string id = b.Hub.Alarms.NewestOpen().Id;
        b.SetInput("smoke", false);
        b.Run(1000);
        b.SendCommand($$"""{"id":"a1","cmd":"ack","alarmId":"{{id}}"}""");
        Assert.Contains(b.Events(), e => e.Str("kind") == "smoke" && e.Str("state") == "closed" && e.Str("alarmId") == id);
    }

    [Fact]
    public void A_retained_command_is_ignored_and_reported()
    {
        var b = new TestBench();
        b.Connect();
        b.Clock.SyncWallClock(b.CentreUtcMs);
        b.SendRaw(b.Sign("""{"id":"r1","cmd":"reboot"}"""), retained: true);
        b.Run(10_000, 500);
        Assert.Equal(0, b.Host.Reboots);
        Assert.Equal(CommandStatus.Refused, b.Replies().Single(r => r.Str("commandId") == "r1").GetProperty("status").GetInt32());
    }
}
