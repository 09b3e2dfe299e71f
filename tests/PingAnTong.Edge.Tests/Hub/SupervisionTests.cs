using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Hub;

public class SupervisionTests
{
    [Fact]
    public void Mains_loss_is_reported_only_after_60s_and_restore_is_reported()
    {
        var b = new TestBench();
        b.Connect();
        b.SetInput("mains", false);
        b.Run(30_000, 1000);
        b.SetInput("mains", true);
        b.Run(5_000, 1000);
        Assert.DoesNotContain(b.Events(), e => e.Str("kind") == "mains");
        b.SetInput("mains", false);
        b.Run(61_000, 1000);
        var raised = b.Events().Single(e => e.Str("kind") == "mains");
        Assert.Equal("fault", raised.Str("class"));
        Assert.Equal("raised", raised.Str("state"));
        Assert.Equal(Indication.Fault, b.Indicator.Current);
        b.SetInput("mains", true);
        b.Run(2_000, 1000);
        Assert.Contains(b.Events(), e => e.Str("kind") == "mains" && e.Str("state") == "cleared");
    }

    [Fact]
    public void Battery_low_is_a_fault_with_restore()
    {
        var b = new TestBench();
        b.Connect();
        b.SetInput("battery", true);
        b.Run(2000);
        b.SetInput("battery", false);
        b.Run(2000);
        var states = b.Events().Where(e => e.Str("kind") == "battery").Select(e => e.Str("state")).ToList();
        Assert.Equal(new[] { "raised", "cleared" }, states);
    }

    [Fact]
    public void Chattering_pir_becomes_a_sensor_fault_and_then_recovers()
    {
        var b = new TestBench();
        b.Connect();
        for (int i = 0; i < 60; i++) { b.SetInput("pir", i % 2 == 0); b.Step(100); }
        var fault = b.Events().Single(e => e.Str("kind") == "sensor_fault");
        Assert.Equal("pir", fault.Str("sensor"));
        Assert.Equal("chatter", fault.Str("reason"));
        b.Run(20_000, 1000);
        Assert.Contains(b.Events(), e => e.Str("kind") == "sensor_fault" && e.Str("state") == "cleared");
    }

    [Fact]
    public void Activity_sensor_silent_beyond_its_supervision_interval_is_reported_and_restored_by_activity()
    {
        var b = new TestBench();
        b.Connect();
        b.Run(25L * 3600_000, 60_000);
        var silent = b.Events().Where(e => e.Str("kind") == "sensor_fault" && e.Str("reason") == "silent").Select(e => e.Str("sensor")).ToList();
        Assert.Contains("pir", silent);
        Assert.Contains("door", silent);
        b.Press("pir");
        Assert.Contains(b.Events(), e => e.Str("kind") == "sensor_fault" && e.Str("sensor") == "pir" && e.Str("state") == "cleared");
    }

    [Fact]
    public void I2c_sensor_that_stops_answering_raises_a_fault_with_the_reason()
    {
        var b = new TestBench();
        b.Connect();
        b.Sensors.Fail("temp", SensorStatus.NoAnswer);
        b.Run(400_000, 1000);
        var faults = b.Events().Where(e => e.Str("kind") == "sensor_fault").ToList();
        var fault = Assert.Single(faults, e => e.Str("sensor") == "temp");
        Assert.Equal("no_answer", fault.Str("reason"));
        var health = b.Transport.On("health").Last().Payload();
        var temp = health.GetProperty("sensors").EnumerateArray().Single(s => s.Str("id") == "temp");
        Assert.Equal("fault", temp.Str("health"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, temp.GetProperty("value").ValueKind);
    }

    [Fact]
    public void Queue_keeps_room_for_alarms_and_counts_overflow()
    {
        var b = new TestBench();
        int pir = b.IndexOf("pir"), sos = b.IndexOf("sos");
        int accepted = 0;
        for (int i = 0; i < 200; i++) if (b.Hub.PostPinEdge(pir, i % 2 == 0, 0)) accepted++;
        Assert.Equal(PingAnTong.Edge.Core.HubQueue.InputSlots - 1, accepted); // one slot held the mains level
        Assert.True(b.Hub.Queue.Overflows > 0);
        Assert.True(b.Hub.PostPinEdge(sos, false, 0));
    }
}

public class HeartbeatStorageTests
{
    [Fact]
    public void Heartbeats_are_not_written_to_flash_and_only_the_latest_waits_during_an_outage()
    {
        var b = new TestBench();
        long written = b.Hub.StorageBytesWritten;
        b.Run(60 * 60_000, 1000); // an hour offline: 12 heartbeats
        var waiting = b.Hub.Outbox.Entries.Cast<PingAnTong.Edge.Core.Storage.OutboxEntry>().Where(e => e.Channel == PingAnTong.Edge.Core.Events.Channel.Health).ToList();
        Assert.Single(waiting);
        Assert.True(b.Hub.StorageBytesWritten - written < 2000, $"wrote {b.Hub.StorageBytesWritten - written} bytes");
        b.Transport.AutoAck = true;
        while (b.Hub.Link.State != PingAnTong.Edge.Core.Net.ConnectionManager.Connecting) b.Step(1000);
        long connectedAt = b.Clock.UptimeMs;
        b.Transport.AcceptConnect(); // the next connect attempt succeeds
        b.Run(5000);
        var beat = b.Transport.On("health").First(); // the one that waited; later ones follow the connect
        Assert.InRange(Hub.Json.Payload(beat).GetProperty("uptimeMs").GetInt64(), connectedAt - 5 * 60_000, connectedAt);
    }
}

public class StorageFailureTests
{
    [Fact]
    public void When_flash_writes_fail_the_alarm_still_goes_out_and_a_storage_fault_is_reported()
    {
        var store = new MemoryStore();
        var b = new TestBench(store: store);
        b.Connect();
        store.Failing = true;
        b.Press("sos");
        var sos = b.Events().Single(e => e.Str("kind") == "sos");
        Assert.Contains(b.Events(), e => e.Str("kind") == "storage" && e.Str("state") == "raised");
        Assert.Equal(PingAnTong.Edge.Core.Alarms.Indication.Delivered, b.Indicator.Current);
        b.SendCommand($$"""{"id":"a","cmd":"ack","alarmId":"{{sos.Str("id")}}"}""");
        Assert.Equal(PingAnTong.Edge.Core.Alarms.Indication.HelpComing, b.Indicator.Current);
        b.SendCommand("""{"id":"c","cmd":"config","config":{}}""");
        Assert.Equal(3, Hub.Json.Replies(b).Last().GetProperty("status").GetInt32());
    }
}
