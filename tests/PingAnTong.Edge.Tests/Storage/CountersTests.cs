using PingAnTong.Edge.Core.Storage;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Storage;

public class CountersTests
{
    [Fact]
    public void Event_ids_never_repeat_across_reboots_even_with_power_cuts_during_counter_writes()
    {
        var store = new MemoryStore();
        var seen = new HashSet<string>();
        var rng = new Random(7);
        for (int boot = 0; boot < 200; boot++)
        {
            var counters = new PersistentCounters(store);
            try
            {
                if (rng.Next(4) == 0) store.CutPowerAt(rng.Next(6), rng.Next(30));
                counters.Boot();
                int events = rng.Next(600);
                for (int i = 0; i < events; i++)
                {
                    string id = counters.BootCount + "-" + counters.TakeSeq();
                    Assert.True(seen.Add(id), "repeated id " + id);
                }
            }
            catch (PowerCutException) { }
            store.PowerOn();
        }
        Assert.True(seen.Count > 10_000);
    }

    [Fact]
    public void Boot_counter_and_sequence_survive_and_grow()
    {
        var store = new MemoryStore();
        var a = new PersistentCounters(store);
        a.Boot();
        long last = 0;
        for (int i = 0; i < 300; i++) last = a.TakeSeq();
        var b = new PersistentCounters(store);
        b.Boot();
        Assert.Equal(2, b.BootCount);
        Assert.True(b.TakeSeq() > last);
    }

    [Fact]
    public void Dual_slot_file_returns_old_or_new_value_whatever_step_the_power_is_cut_at()
    {
        for (int step = 0; step < 4; step++)
        {
            foreach (int kept in new[] { 0, 3, 9 })
            {
                var store = new MemoryStore();
                var f = new DualSlotFile(store, "v");
                f.Write(new byte[] { 1, 1, 1 }, 0, 3);
                f.Write(new byte[] { 2, 2, 2 }, 0, 3);
                store.CutPowerAt(step, kept);
                try { f.Write(new byte[] { 3, 3, 3 }, 0, 3); f.Write(new byte[] { 4, 4, 4 }, 0, 3); } catch (PowerCutException) { }
                store.PowerOn();
                var value = new DualSlotFile(store, "v").Read();
                Assert.NotNull(value);
                Assert.Contains(value[0], new byte[] { 2, 3, 4 });
            }
        }
    }
}
