using System.Text;
using PingAnTong.Edge.Bench;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Json;
using PingAnTong.Edge.Fakes;

// Prints the hub core's resource figures (targets from issue "Hub core"):
//   bytes allocated per idle tick (target 0), per SOS from input edge to bytes handed to the
//   transport (target <= 4 KB), and bytes persisted per day at the reference load (target <= 256 KB);
//   then the parser's time and allocation for hostile configs of 1 KB, 64 KB and 1 MB (issue 16).
// Run: dotnet run -c Release --project tools/PingAnTong.Edge.Bench [budget]

// "budget": only the memory budgets (heap and I:\ per scenario and board; issue 13).
if (args.Length > 0 && args[0] == "budget") { BudgetReport.Print(); return; }

var config = ConfigParser.Parse(Encoding.UTF8.GetBytes(TestBench.DemoConfigJson));

(Hub hub, FakeClock clock, CountingTransport transport, MemoryStore store) NewHub()
{
    var clock = new FakeClock();
    clock.SyncWallClock(new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc));
    var transport = new CountingTransport();
    var store = new MemoryStore(1 << 20);
    var host = new FakeHost();
    host.SecretFiles[TestBench.CommandKeyFile] = Encoding.ASCII.GetBytes(TestBench.CommandKeyHex);
    var hub = new Hub(config, clock, store, transport, new FakeSensorReader(), new RecordingIndicator(), host);
    transport.Link = hub.LinkEvents;
    hub.Start();
    hub.PostPinEdge(hub.FindInput(PingAnTong.Edge.Core.Inputs.InputKind.Mains), true, 0);
    return (hub, clock, transport, store);
}

void Step(Hub hub, FakeClock clock, long ms) { clock.Advance(ms); hub.RunOnce(); }

// A command from the centre: stamped with the wall clock and signed with the hub's key, as the contract asks.
void Command(Hub hub, FakeClock clock, string json) =>
    hub.LinkEvents.Message(hub.Topics.For(Channel.Command), Encoding.UTF8.GetBytes(TestBench.SignBody(json[..^1] + ",\"issuedAt\":" + clock.UtcMs + "}", TestBench.CommandKeyHex, hub.Config.HubId)), false);

// PAT_BENCH_ONLY=idle,sos,day,parser,pin,budget (comma list) runs only those sections.
string[] only = Environment.GetEnvironmentVariable("PAT_BENCH_ONLY")?.Split(',');
bool Section(string name) => only == null || only.Contains(name);

// 1. Idle ticks: connected, no input, between heartbeats.
if (Section("idle"))
{
    var (hub, clock, _, _) = NewHub();
    for (int i = 0; i < 3000; i++) Step(hub, clock, 100); // warm up: connect, birth, boot event, sensor warm-up
    int ticks = 2000;                                      // 200 s of 100 ms ticks, no heartbeat due in between
    clock.Advance(1);
    long before = GC.GetAllocatedBytesForCurrentThread();
    for (int i = 0; i < ticks; i++) Step(hub, clock, 100);
    long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
    Console.WriteLine($"idle tick:            {bytes / (double)ticks,10:F1} bytes allocated per tick ({ticks} ticks of 100 ms; target 0)");
}

// 2. One SOS: edge -> debounce -> alarm stored -> published (bytes handed to the transport).
if (Section("sos"))
{
    var (hub, clock, transport, store) = NewHub();
    for (int i = 0; i < 3000; i++) Step(hub, clock, 100);
    int sos = hub.FindInput(PingAnTong.Edge.Core.Inputs.InputKind.Sos);
    long total = 0, max = 0;
    int presses = 20;
    for (int p = 0; p < presses; p++)
    {
        int publishesBefore = transport.Publishes;
        long before = GC.GetAllocatedBytesForCurrentThread(), fakeBefore = store.OwnAllocatedBytes;
        hub.PostPinEdge(sos, false, clock.UptimeMs);                 // pressed (active low)
        while (transport.Publishes == publishesBefore) Step(hub, clock, 10);
        // Minus the fake store's reserve for a new file (a compaction's next generation): not the core's.
        long one = GC.GetAllocatedBytesForCurrentThread() - before - (store.OwnAllocatedBytes - fakeBefore); total += one; max = Math.Max(max, one);
        hub.PostPinEdge(sos, true, clock.UptimeMs);                  // released
        for (int i = 0; i < 20; i++) Step(hub, clock, 10);
        var open = hub.Alarms.NewestOpen();                          // the centre acks and closes it
        Command(hub, clock, "{\"id\":\"a" + p + "\",\"cmd\":\"ack\",\"alarmId\":\"" + open.Id + "\"}");
        clock.Advance(1); // one command per millisecond (issuedAt)
        Command(hub, clock, "{\"id\":\"c" + p + "\",\"cmd\":\"close\",\"alarmId\":\"" + open.Id + "\"}");
        for (int i = 0; i < 4000; i++) Step(hub, clock, 100);       // past the 5 min help-coming hold
    }
    Console.WriteLine($"SOS edge -> transport: {total / (double)presses,10:F0} bytes allocated per SOS (mean of {presses}, max {max}; target <= 4096)");
}

// 3. A reference day: 1,000 motion, 20 door, 288 heartbeats, 1 alive-ping, 2 alarms (acked and closed).
if (Section("day"))
{
    var (hub, clock, transport, store) = NewHub();
    long written0 = store.BytesWritten;
    int logLines0 = hub.EventLog.Count;
    int pir = hub.FindInput(PingAnTong.Edge.Core.Inputs.InputKind.Motion);
    int door = hub.FindInput(PingAnTong.Edge.Core.Inputs.InputKind.Door);
    int sos = hub.FindInput(PingAnTong.Edge.Core.Inputs.InputKind.Sos);
    var rng = new Random(1);
    var motionAt = Enumerable.Range(0, 1000).Select(_ => (long)rng.Next(0, 86_000) * 1000).ToHashSet();
    var doorAt = Enumerable.Range(0, 20).Select(_ => (long)rng.Next(0, 86_000) * 1000 + 500).ToHashSet();
    var alarmAt = new HashSet<long> { 30_000_000, 60_000_000 };
    int motions = 0, doors = 0;
    for (long t = 0; t < 86_400_000; t += 500)
    {
        if (motionAt.Contains(t)) { hub.PostPinEdge(pir, true, clock.UptimeMs); motions++; }
        if (motionAt.Contains(t - 2000)) hub.PostPinEdge(pir, false, clock.UptimeMs);
        if (doorAt.Contains(t)) { hub.PostPinEdge(door, true, clock.UptimeMs); doors++; }
        if (doorAt.Contains(t - 5000)) hub.PostPinEdge(door, false, clock.UptimeMs);
        if (alarmAt.Contains(t)) hub.PostPinEdge(sos, false, clock.UptimeMs);
        if (alarmAt.Contains(t - 500))
        {
            hub.PostPinEdge(sos, true, clock.UptimeMs);
        }
        if (alarmAt.Contains(t - 60_000))
        {
            var open = hub.Alarms.NewestOpen();
            // Ids of their own per alarm: a repeated id is answered from the hub's memory, not carried out.
            Command(hub, clock, "{\"id\":\"a-" + open.Id + "\",\"cmd\":\"ack\",\"alarmId\":\"" + open.Id + "\"}");
            clock.Advance(1);
            Command(hub, clock, "{\"id\":\"c-" + open.Id + "\",\"cmd\":\"close\",\"alarmId\":\"" + open.Id + "\"}");
        }
        Step(hub, clock, 500);
    }
    long written = store.BytesWritten - written0;
    Console.WriteLine($"reference day:        {written / 1024.0,10:F1} KiB persisted per day ({motions} motion, {doors} door, 2 alarms, {transport.Publishes} publishes; target <= 256 KiB)");
    Console.WriteLine($"                      outbox depth at end of day: {hub.Outbox.Count}, file {hub.Outbox.FileLength} bytes; local event log +{hub.EventLog.Count - logLines0} lines");
    if (Environment.GetEnvironmentVariable("PAT_BENCH_LOG") == "1") hub.EventLog.WriteLast(50, new LogToConsole());
}

// 4. Parser cost: hostile config documents of 1 KB, 64 KB and 1 MB through ConfigParser.Parse (reader, validator,
//    error message), time and bytes allocated. "production" uses the hub's limits (JsonLimits.Config), which refuse
//    anything over 16 KB before reading it; "lifted" raises every limit to show how the work grows with the input:
//    linear work is a flat bytes-per-input-byte column. PAT_BENCH_PARSE_SIZES / _SHAPES (comma lists) narrow the run.
if (Section("parser"))
{
    string sizesEnv = Environment.GetEnvironmentVariable("PAT_BENCH_PARSE_SIZES");
    int[] sizes = sizesEnv != null ? sizesEnv.Split(',').Select(int.Parse).ToArray() : new[] { 1 << 10, 64 << 10, 1 << 20 };
    string shapesEnv = Environment.GetEnvironmentVariable("PAT_BENCH_PARSE_SHAPES");
    var lifted = new JsonLimits(64 << 20, JsonLimits.MaxDepth, 1 << 24, 1 << 24, 1 << 26, 1 << 24);
    try { ConfigParser.Parse(SyntheticJson.Build(SyntheticJson.Shapes[0], 1 << 10)); } catch (ConfigException) { } // warm-up: JIT
    Console.WriteLine("parser cost:          shape            limits         size     time ms      allocated  per input byte  outcome");
    foreach (string shape in shapesEnv != null ? shapesEnv.Split(',') : SyntheticJson.Shapes)
    {
        foreach (int size in sizes)
        {
            byte[] doc = SyntheticJson.Build(shape, size);
            foreach (var (name, limits) in new[] { ("production", JsonLimits.Config), ("lifted", lifted) })
            {
                string outcome;
                var sw = System.Diagnostics.Stopwatch.StartNew();
                long before = GC.GetAllocatedBytesForCurrentThread();
                try { ConfigParser.Parse(doc, 0, doc.Length, limits); outcome = "accepted"; }
                catch (ConfigException e) { outcome = $"refused, {e.Message.Length}-char message: {(e.Message.Length > 60 ? e.Message.Substring(0, 60) + "..." : e.Message)}"; }
                long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                sw.Stop();
                Console.WriteLine($"                      {shape,-16} {name,-10} {doc.Length,8} {sw.Elapsed.TotalMilliseconds,11:F1} {bytes,14} {bytes / (double)doc.Length,15:F1}  {outcome}");
            }
        }
    }
}

// 5. The core's managed crypto: the installer PIN's PBKDF2 check and a command's HMAC. nanoFramework's interpreter
//    runs managed code about 1000 times slower than .NET's JIT (an assumption, argued in docs/security-core.md); the
//    device column multiplies by that, so the PIN's iteration count is chosen to verify in about a second there.
//    On a busy machine the figures vary several-fold: read the lowest of a few runs.
if (Section("pin"))
{
    const double InterpreterSlowdown = 1000;
    byte[] pin = Encoding.ASCII.GetBytes("13572468"), salt = Encoding.ASCII.GetBytes("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
    for (int i = 0; i < 50; i++) PingAnTong.Edge.Core.Security.Pbkdf2Sha256.Derive(pin, salt, 1000, 32); // warm-up: tiered JIT reaches its optimised code
    foreach (int iterations in new[] { PingAnTong.Edge.Core.Security.PinVerifier.Iterations, PingAnTong.Edge.Core.Security.PinVerifier.MaxIterations, 10000 })
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        int runs = 0;
        do { PingAnTong.Edge.Core.Security.Pbkdf2Sha256.Derive(pin, salt, iterations, 32); runs++; } while (sw.ElapsedMilliseconds < 500);
        double ms = sw.Elapsed.TotalMilliseconds / runs;
        Console.WriteLine($"PIN check PBKDF2:     {iterations,7} iterations {ms,9:F2} ms on .NET ({ms * 1000 / iterations,6:F2} us per iteration) -> ~{ms * InterpreterSlowdown / 1000,6:F1} s on the device at {InterpreterSlowdown}x");
    }
    var mac = new PingAnTong.Edge.Core.Security.HmacSha256(new byte[32]);
    foreach (int size in new[] { 100, 16384 })
    {
        byte[] body = new byte[size];
        var sw = System.Diagnostics.Stopwatch.StartNew();
        int runs = 0;
        do { mac.Compute(body, 0, body.Length); runs++; } while (sw.ElapsedMilliseconds < 300);
        double ms = sw.Elapsed.TotalMilliseconds / runs;
        Console.WriteLine($"command HMAC:         {size,7} bytes      {ms,9:F4} ms on .NET -> ~{ms * InterpreterSlowdown,7:F0} ms on the device at {InterpreterSlowdown}x");
    }
}

// 5. Memory budgets: managed heap (nanoCLR heap-block model) and I:\ peak (LittleFS block model) per scenario and board.
if (Section("budget")) BudgetReport.Print();

sealed class LogToConsole : PingAnTong.Edge.Core.Field.IConsoleOutput
{
    public void WriteLine(string line) => Console.WriteLine("  " + line);
    public void Done() { }
}
