using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Hub;

public class AlivePingTests
{
    private static readonly DateTime Morning = new(2026, 6, 1, 0, 30, 0, DateTimeKind.Utc); // 08:30 in Fujian (UTC+8)

    [Fact]
    public void Alive_ping_goes_out_daily_at_the_local_time_plus_a_per_hub_offset()
    {
        var b = new TestBench();
        b.Clock.SyncWallClock(Morning);
        b.Connect();
        b.Run(3L * 86_400_000, 60_000);
        var pings = b.Transport.On("alive").Select(p => p.Payload()).ToList();
        Assert.Equal(3, pings.Count);
        long offsetMs = b.Hub.Alive.OffsetMs;
        Assert.InRange(offsetMs, 0, 3_600_000);
        foreach (var p in pings)
        {
            var ts = DateTime.Parse(p.Str("ts"), null, System.Globalization.DateTimeStyles.AdjustToUniversal);
            var local = ts.AddHours(8);
            double expectedMinutes = 9 * 60 + offsetMs / 60000.0;
            Assert.InRange(local.TimeOfDay.TotalMinutes, expectedMinutes - 0.01, expectedMinutes + 1.01);
        }
    }

    [Fact]
    public void Different_hubs_get_different_offsets()
    {
        var offsets = Enumerable.Range(1, 20).Select(i =>
        {
            var b = new TestBench(TestBench.DemoConfigJson.Replace("hub-0001", $"hub-{i:0000}"));
            return b.Hub.Alive.OffsetMs;
        }).Distinct().Count();
        Assert.True(offsets >= 15);
    }

    [Fact]
    public void Alive_says_yes_with_evidence_no_evidence_without_and_unknown_when_sensors_are_faulty()
    {
        var b = new TestBench();
        b.Clock.SyncWallClock(Morning);
        b.Connect();
        b.Press("pir");
        b.Press("door");
        b.Run(2 * 86_400_000, 60_000);
        var first = b.Transport.On("alive").First().Payload();
        Assert.Equal("yes", first.Str("alive"));
        Assert.Equal(1, first.GetProperty("evidence").GetProperty("motion").GetInt32());
        Assert.Equal(1, first.GetProperty("evidence").GetProperty("door").GetInt32());
        Assert.NotNull(first.GetProperty("evidence").Str("lastActivity"));
        var second = b.Transport.On("alive").Skip(1).First().Payload();
        Assert.Equal("unknown", second.Str("alive")); // by now PIR and door are silent beyond 24 h: faulty
    }

    [Fact]
    public void No_evidence_is_said_plainly_when_healthy_sensors_saw_nothing()
    {
        var b = new TestBench();
        b.Clock.SyncWallClock(Morning);
        b.Connect();
        b.Run(86_400_000 / 2, 60_000);
        var ping = b.Transport.On("alive").First().Payload();
        Assert.Equal("no_evidence", ping.Str("alive"));
    }

    [Fact]
    public void Without_wall_clock_the_ping_falls_back_to_every_24h_of_uptime()
    {
        var b = new TestBench();
        b.Connect();
        b.Run(86_400_000 + 120_000, 60_000);
        var ping = Assert.Single(b.Transport.On("alive"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, ping.Payload().GetProperty("ts").ValueKind);
    }
}
