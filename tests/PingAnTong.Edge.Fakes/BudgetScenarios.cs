using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Device;

namespace PingAnTong.Edge.Fakes;

/// <summary>Heap (nanoCLR model) and I:\ (LittleFS block model) figures of one scenario on one board.</summary>
public sealed record BudgetFigures(string Scenario, string Board, long HeapBytes, long HeapPeakBytes, long FlashPeakBytes,
    int OutboxEntries, int OutboxMaxEntries, int OutboxCapacityBytes, int Evicted, int OpenAlarms, bool AllAlarmsStored, string PeakFiles, string TopTypes);

/// <summary>
/// The scenarios the memory budgets are checked on (tools/PingAnTong.Edge.Bench prints them; the
/// Budget tests assert them): <c>idle</c> (started, connected, ten quiet minutes), <c>day</c> (the
/// reference day: 1,000 motion, 20 door, 288 heartbeats, 2 alarms acked and closed) and <c>worst</c>
/// (a week offline at the reference load with a flapping sensor fault every 5 minutes: the outbox fills to its limits and evicts; every alarm kind
/// open and unacknowledged; a console session open).
/// </summary>
public static class BudgetScenarios
{
    public static readonly string[] Names = { "idle", "day", "worst" };

    public static BudgetFigures Run(string scenario, BoardProfile board, int days = 7)
    {
        var flash = new BlockCountingStore(new MemoryStore());
        var bench = new TestBench(store: flash, storeConfig: true, board: board);
        bench.Sensors.Set("gas", 20);
        bench.Sensors.Set("temp", 235);
        bench.Connect();
        long heapPeak = 0;
        void Sample() { long h = NanoHeapModel.Measure(bench.Hub); if (h > heapPeak) heapPeak = h; }
        bool allStored = true;
        switch (scenario)
        {
            case "idle":
                bench.Run(10 * 60_000, 500);
                break;
            case "day":
                Day(bench, 1, alarms: true, Sample);
                break;
            case "worst":
                bench.Console("status");
                bench.Transport.AutoAck = false;
                bench.Transport.Drop("week offline");
                bench.Step(0);
                // every alarm kind the hub raises, open and never acknowledged
                bench.Press("sos", 300);
                bench.SetInput("smoke", true);
                bench.Sensors.Set("gas", 3000);
                bench.Sensors.Set("temp", 600);
                bench.SetInput("mains", false);
                bench.SetInput("battery", true);
                bench.Run(120_000, 500);
                for (int d = 0; d < days; d++) Day(bench, 100 + d, alarms: false, Sample, flapping: true);
                // an SOS while the outbox is at its limits must still be stored
                int before = bench.Hub.Alarms.ActiveCount;
                bench.Press("sos", 300);
                bench.Run(5_000, 500);
                allStored = bench.Hub.Outbox.OverCapacity || bench.Hub.Outbox.Count <= bench.Hub.Outbox.MaxEntries;
                bench.Console("outbox");
                bench.Console("events 20");
                break;
            default: throw new ArgumentException(scenario);
        }
        Sample();
        var model = new NanoHeapModel(typeof(Hub).Assembly);
        model.Add(bench.Hub);
        model.AddStatics();
        long heap = model.Bytes;
        string top = string.Join(", ", model.ByType.Take(8).Select(kv => kv.Key.Name + " " + kv.Value));
        var box = bench.Hub.Outbox;
        int openAlarms = 0;
        for (int i = 0; i < box.Count; i++) if (((PingAnTong.Edge.Core.Storage.OutboxEntry)box.Entries[i]).IsRealAlarm) openAlarms++;
        return new BudgetFigures(scenario, board.Name, heap, Math.Max(heap, heapPeak), flash.PeakBytes, box.Count, box.MaxEntries,
            box.CapacityBytes, box.EvictedCount, openAlarms, allStored, flash.PeakFiles, top);
    }

    /// <summary>A reference day: 1,000 motion and 20 door events at random times (seeded), optionally 2 SOS acked and closed.</summary>
    private static void Day(TestBench bench, int seed, bool alarms, Action sample, bool flapping = false)
    {
        var rng = new Random(seed);
        var motionAt = Enumerable.Range(0, 1000).Select(_ => (long)rng.Next(0, 86_000) * 1000).ToHashSet();
        var doorAt = Enumerable.Range(0, 20).Select(_ => (long)rng.Next(0, 86_000) * 1000 + 500).ToHashSet();
        var alarmAt = alarms ? new HashSet<long> { 30_000_000, 60_000_000 } : new HashSet<long>();
        for (long t = 0; t < 86_400_000; t += 500)
        {
            if (motionAt.Contains(t)) bench.SetInput("pir", true);
            if (motionAt.Contains(t - 2000)) bench.SetInput("pir", false);
            if (doorAt.Contains(t)) bench.SetInput("door", true);
            if (doorAt.Contains(t - 5000)) bench.SetInput("door", false);
            if (alarmAt.Contains(t)) bench.SetInput("sos", true);
            if (alarmAt.Contains(t - 500)) bench.SetInput("sos", false);
            if (alarmAt.Contains(t - 60_000))
            {
                var open = bench.Hub.Alarms.NewestOpen();
                if (open != null)
                {
                    bench.SendCommand("{\"id\":\"a\",\"cmd\":\"ack\",\"alarmId\":\"" + open.Id + "\"}");
                    bench.SendCommand("{\"id\":\"c\",\"cmd\":\"close\",\"alarmId\":\"" + open.Id + "\"}");
                }
            }
            if (t % 3_600_000 == 0) sample();
            // Motion and door only feed the inactivity detector; what fills an offline outbox is events.
            // A flapping sensor (a loose I2C cable) raises and clears a fault every 5 minutes: 288 a day.
            if (flapping && t % 300_000 == 0)
                bench.Hub.Events.Emit(PingAnTong.Edge.Core.Events.EventKind.SensorFault, PingAnTong.Edge.Core.Events.EventClass.Fault,
                    (t / 300_000) % 2 == 0 ? PingAnTong.Edge.Core.Events.EventState.Raised : PingAnTong.Edge.Core.Events.EventState.Cleared,
                    PingAnTong.Edge.Core.Events.Priority.Fault, "temp", null, "no answer from the sensor at I2C address 0x44");
            bench.Step(500);
        }
    }
}
