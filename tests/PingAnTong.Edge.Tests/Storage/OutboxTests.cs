using CsCheck;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Storage;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Storage;

public class OutboxTests
{
    [Fact]
    public void Holds_at_least_1000_events_across_a_reboot()
    {
        var store = new MemoryStore();
        var outbox = new Outbox(store, "outbox", 256 * 1024, 2000);
        outbox.Recover();
        for (int i = 0; i < 1000; i++) OutboxModel.Append(outbox, i, EventClass.Info, 6, "{\"id\":\"hub-0001-1-" + i + "\",\"kind\":\"door\",\"class\":\"info\"");
        var again = new Outbox(store, "outbox", 256 * 1024, 2000);
        again.Recover();
        Assert.Equal(1000, again.Count);
        Assert.Equal(0, again.EvictedCount);
    }

    [Fact]
    public void Drains_alarms_first_then_by_priority_then_oldest()
    {
        var outbox = new Outbox(new MemoryStore(), "outbox", 64 * 1024, 100);
        outbox.Recover();
        OutboxModel.Append(outbox, 1, EventClass.Info, 8, "{}");
        OutboxModel.Append(outbox, 2, EventClass.Fault, 4, "{}");
        OutboxModel.Append(outbox, 3, EventClass.Alarm, 0, "{}");
        OutboxModel.Append(outbox, 4, EventClass.Info, 4, "{}");
        var order = new List<long>();
        OutboxEntry e;
        while ((e = outbox.NextToSend()) != null) { order.Add(e.Seq); outbox.SetState(e, OutboxState.Removed); }
        Assert.Equal(new long[] { 3, 2, 4, 1 }, order);
    }

    [Fact]
    public void Under_pressure_telemetry_is_evicted_least_important_first_and_alarms_never()
    {
        var outbox = new Outbox(new MemoryStore(), "outbox", 4000, 10_000);
        outbox.Recover();
        string body = "{" + new string('x', 90);
        long seq = 0;
        for (int i = 0; i < 20; i++) OutboxModel.Append(outbox, ++seq, EventClass.Alarm, 0, body);
        for (int i = 0; i < 100; i++) OutboxModel.Append(outbox, ++seq, i % 2 == 0 ? EventClass.Info : EventClass.Fault, (byte)(i % 2 == 0 ? 8 : 4), body);
        var entries = outbox.Entries.Cast<OutboxEntry>().ToList();
        Assert.Equal(20, entries.Count(x => x.EventClass == EventClass.Alarm));
        Assert.True(outbox.EvictedCount > 0);
        Assert.True(entries.Count(x => x.Priority == 8) < entries.Count(x => x.Priority == 4), "heartbeats (8) go before faults (4)");
        for (int i = 0; i < 50; i++) OutboxModel.Append(outbox, ++seq, EventClass.Alarm, 0, body);
        Assert.Equal(70, outbox.Entries.Cast<OutboxEntry>().Count(x => x.EventClass == EventClass.Alarm)); // alarms are never refused
    }

    [Fact]
    public void A_flipped_bit_is_detected_reported_and_only_that_record_is_lost()
    {
        var store = new MemoryStore();
        var outbox = new Outbox(store, "outbox", 64 * 1024, 100);
        outbox.Recover();
        for (int i = 1; i <= 10; i++) OutboxModel.Append(outbox, i, EventClass.Info, 6, "{\"n\":" + i);
        string file = store.Names.Single(n => n.StartsWith("outbox."));
        var target = OutboxModel.Find(outbox, 5);
        store.Corrupt(file, target.RecordPosition + 12);
        var recovered = new Outbox(store, "outbox", 64 * 1024, 100);
        recovered.Recover();
        Assert.True(recovered.RecoveredFromDamage);
        var seqs = OutboxModel.Read(recovered).Keys.OrderBy(x => x).ToList();
        Assert.Equal(new long[] { 1, 2, 3, 4, 6, 7, 8, 9, 10 }, seqs);
    }

    [Fact]
    public void File_stays_bounded_by_compaction()
    {
        var store = new MemoryStore();
        var outbox = new Outbox(store, "outbox", 64 * 1024, 1000);
        outbox.Recover();
        for (int i = 0; i < 20_000; i++)
        {
            var e = OutboxModel.Append(outbox, i, EventClass.Info, 8, "{\"heartbeat\":" + i + new string(' ', 100));
            outbox.SetState(e, OutboxState.Removed);
        }
        Assert.True(outbox.FileLength < 64 * 1024, $"file grew to {outbox.FileLength}");
    }

    private abstract record Op;
    private sealed record Add(byte Class, byte Priority, string Body) : Op;
    private sealed record Mark(int Index, byte State) : Op;
    private sealed record Reboot : Op;
    private sealed record Compaction : Op;

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (5, Gen.Select(Gen.Byte[0, 3], Gen.Byte[0, 9], Gen.String[Gen.Char.AlphaNumeric, 0, 300], (c, p, s) => (Op)new Add(c, p, "{\"b\":\"" + s + "\""))),
        (3, Gen.Select(Gen.Int[0, 1000], Gen.Byte[1, 3], (i, s) => (Op)new Mark(i, s))),
        (1, Gen.Const((Op)new Reboot())),
        (1, Gen.Const((Op)new Compaction())));

    [Fact]
    public void Property_outbox_matches_a_simple_model_across_random_operations_and_reboots()
    {
        GenOp.Array[1, 80].Sample(ops =>
        {
            var store = new MemoryStore();
            var outbox = new Outbox(store, "outbox", 1 << 20, 10_000);
            outbox.Recover();
            var model = new OutboxModel();
            long seq = 0;
            foreach (var op in ops)
            {
                switch (op)
                {
                    case Add a:
                        OutboxModel.Append(outbox, ++seq, a.Class, a.Priority, a.Body);
                        model.Entries[seq] = (a.Body, OutboxState.Pending, a.Class);
                        break;
                    case Mark m when model.Entries.Count > 0:
                        long key = model.Entries.Keys.OrderBy(k => k).ElementAt(m.Index % model.Entries.Count);
                        outbox.SetState(OutboxModel.Find(outbox, key), m.State);
                        if (m.State == OutboxState.Removed) model.Entries.Remove(key);
                        else model.Entries[key] = model.Entries[key] with { State = m.State };
                        break;
                    case Reboot:
                        outbox = new Outbox(store, "outbox", 1 << 20, 10_000);
                        outbox.Recover();
                        break;
                    case Compaction:
                        outbox.Compact();
                        break;
                }
            }
            var actual = OutboxModel.Read(outbox);
            return actual.Count == model.Entries.Count && actual.All(kv => model.Entries[kv.Key] == kv.Value);
        }, iter: 300);
    }
}
