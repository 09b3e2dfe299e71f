using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Hub;

public class ConnectionTests
{
    [Fact]
    public void Connects_with_a_retained_lost_will_and_publishes_a_retained_birth()
    {
        var b = new TestBench();
        b.Connect();
        var req = b.Transport.Connects.First();
        Assert.Equal("pat/v1/hub-0001/status", req.WillTopic);
        var will = Json.Parse(System.Text.Encoding.UTF8.GetString(req.WillPayload));
        Assert.Equal("lost", will.Str("state"));
        Assert.Equal("pat/v1/hub-0001/cmd", req.CommandTopic);
        Assert.InRange(req.KeepAliveSeconds, 1, 60);
        var birth = b.Transport.On("status").Single();
        Assert.True(birth.Retain);
        var p = birth.Payload();
        Assert.Equal("online", p.Str("state"));
        Assert.Equal(1, p.GetProperty("session").GetInt32());
        Assert.Equal(will.GetProperty("session").GetInt32(), p.GetProperty("session").GetInt32());
        Assert.Equal("0.1.0-test", p.Str("firmware"));
        Assert.Equal(1, p.GetProperty("configVersion").GetInt32());
    }

    [Fact]
    public void Session_counter_and_boot_count_grow_across_reconnects_and_reboots()
    {
        var b = new TestBench();
        b.Connect();
        b.Transport.Drop();
        b.Run(20_000, 500);
        var births = b.Transport.On("status").Select(p => p.Payload()).ToList();
        Assert.Equal(new[] { 1, 2 }, births.Select(x => x.GetProperty("session").GetInt32()));
        b.Restart();
        b.Connect();
        var last = b.Transport.On("status").Last().Payload();
        Assert.Equal(3, last.GetProperty("session").GetInt32());
        Assert.Equal(2, last.GetProperty("bootCount").GetInt32());
    }

    [Fact]
    public void Reconnects_back_off_exponentially_with_jitter_up_to_five_minutes()
    {
        var b = new TestBench();
        var attempts = new List<long>();
        for (int i = 0; i < 4 * 3600; i++)
        {
            b.Step(1000);
            if (b.Transport.Connecting)
            {
                attempts.Add(b.Clock.UptimeMs);
                b.Transport.RefuseConnect("refused");
            }
        }
        var gaps = attempts.Zip(attempts.Skip(1), (a, c) => c - a).ToList();
        Assert.InRange(gaps[0], 4000, 7000);      // 5 s ± 20 %
        Assert.InRange(gaps[1], 8000, 13000);     // 10 s ± 20 %
        Assert.All(gaps, g => Assert.InRange(g, 4000, 288_000));
        Assert.True(gaps.Skip(8).All(g => g >= 192_000), "backoff should reach the 4 min cap");
    }

    [Fact]
    public void Never_more_than_six_connects_in_any_minute()
    {
        var b = new TestBench();
        var attempts = new List<long>();
        for (int i = 0; i < 600; i++)
        {
            b.Step(1000);
            if (b.Transport.Connecting)
            {
                attempts.Add(b.Clock.UptimeMs);
                // Connects, works, then drops at once: the backoff resets each time, so only the rate limit holds it back.
                b.Transport.AcceptConnect();
                b.Step(0);
                b.Hub.Link.OnProvenWorking(); // as if a publish had been acknowledged
                b.Transport.Drop();
            }
        }
        for (int i = 0; i + 6 < attempts.Count; i++) Assert.True(attempts[i + 6] - attempts[i] >= 60_000, "7 connects within a minute");
        Assert.True(attempts.Count >= 10);
    }

    [Fact]
    public void Connect_that_hangs_is_abandoned_after_30s_and_retried()
    {
        var b = new TestBench();
        b.Run(1000, 100);
        Assert.Single(b.Transport.Connects);
        b.Run(45_000, 1000);
        Assert.Equal(2, b.Transport.Connects.Count);
    }

    [Fact]
    public void Events_held_during_an_outage_are_sent_on_reconnect_marked_historical_alarms_first()
    {
        var b = new TestBench();
        b.Connect();
        b.Transport.Drop();
        b.Transport.AutoAck = false;
        b.Step(0);
        b.Run(100_000, 1000);                         // heartbeats pile up while offline (connects refused below)
        b.Press("sos");
        b.Transport.AutoAck = true;
        b.Run(400_000, 1000);
        var afterOutage = b.Transport.Publishes.SkipWhile(p => !p.Topic.EndsWith("/status") || p.Payload().GetProperty("session").GetInt32() < 2).Skip(1).ToList();
        Assert.NotEmpty(afterOutage);
        Assert.EndsWith("/event", afterOutage[0].Topic);
        Assert.Equal("sos", afterOutage[0].Payload().Str("kind"));
        Assert.True(afterOutage[0].Payload().GetProperty("historical").GetBoolean());
    }

    [Fact]
    public void Backoff_is_shared_by_the_connection_manager_constants()
    {
        Assert.Equal(5000, ConnectionManager.InitialBackoffMs);
        Assert.Equal(240_000, ConnectionManager.MaxBackoffMs);
        Assert.Equal(6, ConnectionManager.MaxConnectsPerMinute);
    }
}
