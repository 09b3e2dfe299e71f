using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Storage;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Storage;

/// <summary>
/// Cuts the power at every write step of a workload of appends, state changes (delivered,
/// acknowledged, removed) and compactions — and, for appends, after 0, 1, half and all-but-one of
/// the bytes — then recovers. Nothing whose append returned is lost, nothing is duplicated, every
/// body is intact, and each state is the old or the new one.
/// </summary>
public class OutboxPowerCutTests
{
    private const int Capacity = 64 * 1024;

    private abstract record Op;
    private sealed record AppendOp(long Seq, byte Class, byte Priority, string Body) : Op;
    private sealed record StateOp(long Seq, byte State) : Op;
    private sealed record CompactOp : Op;

    private static List<Op> Workload()
    {
        var ops = new List<Op>();
        for (long i = 1; i <= 14; i++)
        {
            byte cls = i % 3 == 0 ? EventClass.Alarm : EventClass.Info;
            ops.Add(new AppendOp(i, cls, (byte)(cls == EventClass.Alarm ? 0 : 6), $"{{\"seq\":{i},\"text\":\"平安通 {new string('x', (int)i * 7)}\""));
            if (i % 3 == 0) ops.Add(new StateOp(i, OutboxState.Delivered));
            if (i % 6 == 0) ops.Add(new StateOp(i, OutboxState.Acknowledged));
            if (i % 4 == 0) ops.Add(new StateOp(i - 2, OutboxState.Removed));
            if (i % 5 == 0) ops.Add(new CompactOp());
        }
        return ops;
    }

    private static void Apply(Outbox outbox, Op op, OutboxModel model)
    {
        switch (op)
        {
            case AppendOp a:
                OutboxModel.Append(outbox, a.Seq, a.Class, a.Priority, a.Body);
                model.Entries[a.Seq] = (a.Body, OutboxState.Pending, a.Class);
                break;
            case StateOp s:
                var entry = outbox.Entries.Cast<OutboxEntry>().FirstOrDefault(e => e.Seq == s.Seq);
                if (entry == null) return;
                outbox.SetState(entry, s.State);
                if (s.State == OutboxState.Removed) model.Entries.Remove(s.Seq);
                else model.Entries[s.Seq] = model.Entries[s.Seq] with { State = s.State };
                break;
            case CompactOp:
                outbox.Compact();
                break;
        }
    }

    [Fact]
    public void Power_cut_at_every_write_step_of_append_ack_and_compaction_loses_and_duplicates_nothing()
    {
        var ops = Workload();
        var clean = new MemoryStore();
        var reference = new Outbox(clean, "outbox", Capacity, 1000);
        reference.Recover();
        int startSteps = clean.WriteSteps;
        var referenceModel = new OutboxModel();
        foreach (var op in ops) Apply(reference, op, referenceModel);
        Assert.True(Same(OutboxModel.Read(reference), referenceModel));
        int totalSteps = clean.WriteSteps - startSteps;
        Assert.True(totalSteps > 40, $"workload too small: {totalSteps} steps");

        int cases = 0;
        for (int step = 0; step < totalSteps; step++)
        {
            foreach (int kept in new[] { 0, 1, 7, 40, 1000 })
            {
                var store = new MemoryStore();
                var outbox = new Outbox(store, "outbox", Capacity, 1000);
                outbox.Recover();
                var model = new OutboxModel();
                OutboxModel before = null;
                Op inProgress = null;
                store.CutPowerAt(step, kept);
                try
                {
                    foreach (var op in ops)
                    {
                        before = model.Clone();
                        inProgress = op;
                        Apply(outbox, op, model);
                        inProgress = null;
                    }
                }
                catch (PowerCutException) { }
                Assert.NotNull(inProgress);
                store.PowerOn();

                var recovered = new Outbox(store, "outbox", Capacity, 1000);
                recovered.Recover();
                var actual = OutboxModel.Read(recovered);
                var expectedWithout = before!;
                var expectedWith = before.Clone();
                ApplyToModel(inProgress, expectedWith);
                bool matchesOld = Same(actual, expectedWithout);
                bool matchesNew = Same(actual, expectedWith);
                Assert.True(matchesOld || matchesNew,
                    $"cut at step {step} keeping {kept} bytes during {inProgress}: recovered {Describe(actual)}, expected {Describe(expectedWithout)} or {Describe(expectedWith)}");

                // The recovered outbox keeps working.
                OutboxModel.Append(recovered, 999, EventClass.Info, 6, "{\"after\":true");
                var again = new Outbox(store, "outbox", Capacity, 1000);
                again.Recover();
                Assert.Equal("{\"after\":true", OutboxModel.Read(again)[999].Body);
                cases++;
            }
        }
        Assert.Equal(totalSteps * 5, cases);
    }

    private static void ApplyToModel(Op op, OutboxModel model)
    {
        switch (op)
        {
            case AppendOp a: model.Entries[a.Seq] = (a.Body, OutboxState.Pending, a.Class); break;
            case StateOp s when model.Entries.ContainsKey(s.Seq):
                if (s.State == OutboxState.Removed) model.Entries.Remove(s.Seq);
                else model.Entries[s.Seq] = model.Entries[s.Seq] with { State = s.State };
                break;
        }
    }

    private static bool Same(Dictionary<long, (string Body, byte State, byte Class)> a, OutboxModel b) =>
        a.Count == b.Entries.Count && a.All(kv => b.Entries.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static string Describe(Dictionary<long, (string Body, byte State, byte Class)> d) =>
        string.Join(",", d.OrderBy(k => k.Key).Select(k => $"{k.Key}:{k.Value.State}"));

    private static string Describe(OutboxModel m) => Describe(m.Entries);
}
