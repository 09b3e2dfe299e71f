using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Fakes;
using PingAnTong.Edge.Tests.Hub;
using Xunit;

namespace PingAnTong.Edge.Tests.Storage;

/// <summary>
/// An alarm raised while I:\ is full is held in RAM (it still goes out while power lasts); once the drive has room
/// again it must be written, so that a power cut after that does not lose it. Before the fix it stayed RAM-only for
/// the rest of the boot: a power cut an hour after the drive had room again still lost the open SOS.
/// </summary>
public class UnsavedAlarmTests
{
    [Fact]
    public void An_sos_raised_on_a_full_drive_is_written_once_there_is_room_and_survives_a_power_cut()
    {
        var store = new MemoryStore();
        var b = new TestBench(store: store); // no broker: the SOS stays open and undelivered
        b.Run(2000, 500);
        store.CapacityBytes = store.UsedBytes; // I:\ full
        b.Press("sos");
        b.Run(1000, 100);
        Alarm sos = b.Hub.Alarms.NewestOpen();
        Assert.NotNull(sos);
        Assert.True(sos.Entry.Unsaved, "on a full drive the SOS is held in RAM");
        Assert.True(b.Hub.StorageFault);
        Assert.True(b.Hub.Outbox.UnsavedCount >= 1); // the SOS, and the storage fault report itself

        // Still full a minute later: it stays in RAM (and the retry is not a new fault every minute).
        int failures = b.Hub.Outbox.WriteFailures;
        b.Run((int)PingAnTong.Edge.Core.Hub.PersistRetryMs + 1000, 1000);
        Assert.True(sos.Entry.Unsaved);
        Assert.Equal(failures, b.Hub.Outbox.WriteFailures);

        store.CapacityBytes = int.MaxValue; // room again (the installer freed I:\, or compaction did)
        b.Run((int)PingAnTong.Edge.Core.Hub.PersistRetryMs + 1000, 1000);
        Assert.False(sos.Entry.Unsaved, "the SOS was not written once the drive had room");
        Assert.Equal(0, b.Hub.Outbox.UnsavedCount);

        // Power cut: the next boot finds the SOS open and sends it.
        var after = new TestBench(store: store.Clone());
        after.Connect();
        after.Run(3000, 100);
        Assert.Equal(sos.Id, after.Hub.Alarms.NewestOpen()?.Id);
        Assert.Contains(after.Events(), e => e.Str("kind") == "sos" && e.Str("state") == "raised");
    }
}
