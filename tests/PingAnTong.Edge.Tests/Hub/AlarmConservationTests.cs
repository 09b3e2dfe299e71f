using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Core.Storage;
using PingAnTong.Edge.Fakes;
using Xunit;
using Xunit.Abstractions;
using CoreHub = PingAnTong.Edge.Core.Hub;

namespace PingAnTong.Edge.Tests.Hub;

/// <summary>
/// Alarm conservation (issue 16, test item 2), property-based: random schedules of a few simulated hours of
/// SOS presses of random lengths (bounces, clicks, long holds, bursts), smoke and gas episodes (flapping
/// included), other inputs, downlink commands (valid, invalid, huge, floods), link faults (drops, broker
/// down, connects never answered, half-open links, refused publishes, broker restarts), storage faults
/// (power cuts at random write steps with torn writes, single flipped bits in the outbox and counter files,
/// counter writes failing) and reboots (clean, and by command). A backend acknowledges and closes what it
/// receives after random delays, re-sending each command until the hub replies. Virtual time throughout.
///
/// <para><b>Onsets.</b> What the hub must turn into alarms are <i>onsets</i>: an SOS press (the button held
/// for at least its 30 ms debounce; bounces are shorter and count for nothing), a smoke onset (the input
/// active for at least its 100 ms debounce), and a gas onset (a reading at or above the threshold, after
/// warm-up, following one below it or none since the sensor started: at boot or when a config is applied).
/// An input still active when the hub boots is an onset at boot (the host posts the levels at start-up).
/// The onset's time s is when the debounce completes (for gas: the reading); it is handled in the first
/// loop pass at or after s, at time h. An onset is <i>optional</i> (neither required nor a phantom) when the
/// hub that received it was gone before h: the power was cut in the pass that handled it, or the hub
/// rebooted between the press and h (its raw edge died with the RAM; the new hub sees the level at boot).</para>
///
/// <para><b>The conservation rule.</b> Every required onset O of kind k is covered by exactly one real
/// (class <c>alarm</c>) alarm X of kind k that reaches the backend:</para>
/// <list type="bullet">
/// <item><b>raised by it</b>: X was raised in the pass that handled O (X's creation time = h); or</item>
/// <item><b>absorbed into an open episode</b>: X was raised before h, and at s the backend had not yet heard
/// that X's episode was over. For SOS the episode ends when the hub confirms the backend's <c>ack</c> (a
/// second press while the first is unanswered escalates it: RaiseOrEscalate) or <c>close</c>; for smoke
/// and gas (raised once per episode) when the hub confirms a <c>close</c> or publishes X <c>closed</c>, or
/// when the condition had cleared: an onset after the hub created X's <c>cleared</c> event must not be
/// absorbed into X, or the backend's last word on it would be "cleared" while the smoke is back.</item>
/// </list>
/// <para>Exactly once: no onset raises more than one alarm (the real alarms of kind k created in a pass
/// never outnumber the onsets of kind k handled in it), every real SOS/smoke/gas alarm the backend gets
/// has an onset in the pass that created it (no phantom alarms, bounces included), and an id always names
/// the same alarm (re-sends of one id are allowed; boot numbers never repeat).</para>
///
/// <para><b>Within a bound.</b> With D the time X first reaches the backend (for an absorbed onset, the
/// later of s and that), and E the end of the last link fault that began before D (outages, half-open links
/// until the hub closes them, refusals, drops, power cuts):
/// D ≤ max(s, E) + 30 s (a dead link or a connect attempt is given up after 30 s) + 360 s (backoff
/// ceiling 300 s + 20 % jitter) + 10 s (one refused-publish retry of 1 s, PUBACKs of lesser messages in
/// flight, loop passes). Between faults the hub delivers within 10 s.</para>
///
/// <para><b>Ahead of lesser events.</b> In every loop pass, while a real life-safety alarm that was waiting
/// to be sent at the start of the pass is still waiting, the hub publishes nothing of lower priority
/// (telemetry, faults, test alarms, replies, wellbeing alarms): after a reconnect the waiting alarms go
/// first.</para>
///
/// <para>After the schedule (2 h) a calm end follows: faults off, inputs at rest, until every alarm is delivered,
/// acknowledged and closed (at most 3 h); its start counts as the end of a fault. A full drive is not among the
/// random faults: by design what the hub holds only in RAM then (alarms, state changes) dies with the next power
/// cut, so the rule could not hold; <see cref="Storage.HubStorageFaultTests"/> covers it at every write step.</para>
///
/// <para>The seed is printed; <c>PAT_CONSERVATION_SEED=N</c> starts the cases at seed N (case i uses N + i)
/// and <c>PAT_CONSERVATION_CASES=1</c> runs only the first, printing its timeline (inputs, alarms as the hub
/// holds them, link state, what the backend got and sent, faults): every failure message names its case's seed.</para>
/// </summary>
public class AlarmConservationTests
{
    private const int DefaultCases = 200;
    private const long CaseMs = 2 * 3600_000L;
    private const long PassMs = 1000;
    private const long MaxCalmMs = 3 * 3600_000L;

    /// <summary>A dead link is found (no PUBACK) or a connect attempt abandoned within this time.</summary>
    private const long GiveUpMs = OutboxPublisher.AckTimeoutMs;

    /// <summary>The longest wait between connect attempts: 300 s plus 20 % jitter.</summary>
    private const long BackoffCeilingMs = ConnectionManager.MaxBackoffMs * 6 / 5;

    /// <summary>One refused-publish retry, the PUBACKs of up to four lesser messages in flight (≤ 3 s here), loop passes.</summary>
    private const long SlackMs = 10_000;

    private const int SosDebounceMs = 30;
    private const int SmokeDebounceMs = 100;
    private const int GasWarmupMs = 60_000;
    private const int GasHigh = 1000;

    private readonly ITestOutputHelper _output;

    public AlarmConservationTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Every_real_press_is_delivered_exactly_once_within_the_bound_and_ahead_of_lesser_events()
    {
        string seedText = Environment.GetEnvironmentVariable("PAT_CONSERVATION_SEED");
        string casesText = Environment.GetEnvironmentVariable("PAT_CONSERVATION_CASES");
        int seed = int.TryParse(seedText, out int s) ? s : Environment.TickCount & 0x3FFFFFFF;
        int cases = int.TryParse(casesText, out int c) && c > 0 ? c : DefaultCases;
        _output.WriteLine($"conservation seed {seed}, {cases} cases of {CaseMs / 3600_000.0:F0} h (PAT_CONSERVATION_SEED={seed} to replay; case i has seed {seed} + i)");
        var total = new Figures();
        for (int i = 0; i < cases; i++)
        {
            var sim = new Sim(seed + i) { Trace = cases == 1 ? new List<string>() : null };
            try
            {
                sim.Run();
            }
            catch (Exception e)
            {
                throw new Exception($"case seed {seed + i} threw (PAT_CONSERVATION_SEED={seed + i} PAT_CONSERVATION_CASES=1 replays it): {e.Message}", e);
            }
            try
            {
                sim.Check();
            }
            finally
            {
                if (sim.Trace != null) foreach (string line in sim.Trace) _output.WriteLine(line);
            }
            total.Add(sim.Figures);
        }
        _output.WriteLine(total.Describe());
        Console.WriteLine($"conservation seed {seed}: " + total.Describe().Replace(Environment.NewLine, "; "));
        if (cases >= 50)
        {
            // The schedules exercise what the rule is about.
            Assert.True(total.Raised > 100 && total.Absorbed > 10 && total.BootOnsets > 0 && total.Gas > 10 && total.SmokeFlaps > 0, $"too few onsets (seed {seed}): {total.Describe()}");
            Assert.True(total.PowerCuts > 20 && total.Reboots > 20 && total.Flips > 20, $"too few storage faults (seed {seed}): {total.Describe()}");
            Assert.True(total.Sessions > 20, $"alarms and lesser events seldom waited together at a reconnect (seed {seed}): {total.Describe()}");
            Assert.True(total.Floods > 10 && total.Huge > 10, $"too few command floods (seed {seed}): {total.Describe()}");
        }
    }

    /// <summary>Counts across cases, printed at the end.</summary>
    private sealed class Figures
    {
        public int Cases, Raised, Absorbed, Optional, BootOnsets, Bounces, Sos, Smoke, SmokeFlaps, Gas, PowerCuts, Reboots, Flips, CounterFailures;
        public int LinkFaults, Floods, Huge, Commands, AlarmsAheadChecks, Sessions;
        public long MaxDelayMs, MaxSlackUsedMs = long.MinValue;
        public double SimulatedHours;

        public void Add(Figures f)
        {
            Cases += f.Cases == 0 ? 1 : f.Cases;
            Raised += f.Raised; Absorbed += f.Absorbed; Optional += f.Optional; BootOnsets += f.BootOnsets; Bounces += f.Bounces;
            Sos += f.Sos; Smoke += f.Smoke; SmokeFlaps += f.SmokeFlaps; Gas += f.Gas; PowerCuts += f.PowerCuts; Reboots += f.Reboots;
            Flips += f.Flips; CounterFailures += f.CounterFailures; LinkFaults += f.LinkFaults; Floods += f.Floods; Huge += f.Huge;
            Commands += f.Commands; AlarmsAheadChecks += f.AlarmsAheadChecks; Sessions += f.Sessions; SimulatedHours += f.SimulatedHours;
            MaxDelayMs = Math.Max(MaxDelayMs, f.MaxDelayMs);
            MaxSlackUsedMs = Math.Max(MaxSlackUsedMs, f.MaxSlackUsedMs);
        }

        public string Describe() =>
            $"{Cases} cases, {SimulatedHours:F0} simulated hours{Environment.NewLine}" +
            $"onsets: {Sos} SOS, {Smoke} smoke ({SmokeFlaps} after a clear), {Gas} gas; {Raised} raised an alarm, {Absorbed} absorbed into an open one, {BootOnsets} at boot, {Optional} optional, {Bounces} bounces{Environment.NewLine}" +
            $"faults: {PowerCuts} power cuts, {Reboots} reboots (cuts included), {Flips} flipped bits, {CounterFailures} counter-failure spells, {LinkFaults} link faults{Environment.NewLine}" +
            $"commands: {Commands} sent, {Floods} floods, {Huge} huge{Environment.NewLine}" +
            $"max delivery delay {MaxDelayMs / 1000.0:F0} s; closest to the bound: {(-MaxSlackUsedMs) / 1000.0:F0} s to spare{Environment.NewLine}" +
            $"alarms and lesser messages waiting together when publishing: {AlarmsAheadChecks} loop passes, {Sessions} of them right after a reconnect";
    }

    /// <summary>The broker as the hub sees it, with faults the schedule switches on and off.</summary>
    private sealed class Broker : IMessageTransport
    {
        private readonly List<(long Due, int Gen, int Token)> _acks = new();
        private readonly Random _rng;
        private int _gen;

        public Broker(Random rng) => _rng = rng;

        public LinkEvents Link;
        public Func<long> Now;
        public Action<long> SilentEnded;
        public int Down, Blackhole, Refusing;
        public bool Connected { get; private set; }
        public bool Silent { get; private set; }

        /// <summary>What reached the broker (and so the backend).</summary>
        public readonly List<(long At, string Topic, string Payload)> Received = new();

        /// <summary>What the transport accepted, in order (half-open links included).</summary>
        public readonly List<(long At, string Topic, string Payload)> Accepted = new();

        public bool Usable => Connected && !Silent;

        public void Connect(ConnectRequest request)
        {
            EndSilence();
            _gen = request.Generation;
            Connected = false;
            if (Blackhole > 0) return;                         // never answered: the hub gives up after 30 s
            if (Down > 0) { Link.ConnectFailed(_gen, "broker down"); return; }
            Connected = true;
            Link.Connected(_gen);
        }

        public void Disconnect()
        {
            EndSilence();
            Connected = false;
            _acks.Clear();
        }

        public bool Publish(string topic, byte[] payload, int length, bool retain, int token)
        {
            if (!Connected || Refusing > 0) return false;
            string text = Encoding.UTF8.GetString(payload, 0, length);
            Accepted.Add((Now(), topic, text));
            if (Silent) return true;
            Received.Add((Now(), topic, text));
            if (token != 0) _acks.Add((Now() + _rng.Next(0, 3000), _gen, token));
            return true;
        }

        public void DeliverAcks(long now)
        {
            for (int i = 0; i < _acks.Count; i++)
            {
                if (_acks[i].Due > now) continue;
                if (Usable && _acks[i].Gen == _gen) Link.PublishAcked(_acks[i].Gen, _acks[i].Token);
                _acks.RemoveAt(i--);
            }
        }

        /// <summary>The broker ends the connection and says so.</summary>
        public void Drop(string reason)
        {
            EndSilence();
            _acks.Clear();
            if (!Connected) return;
            Connected = false;
            Link.Lost(_gen, reason);
        }

        /// <summary>The network path dies without a word: publishes vanish, no PUBACK comes back.</summary>
        public void GoSilent()
        {
            if (Connected) Silent = true;
            _acks.Clear();
        }

        public void HubRebooted()
        {
            EndSilence();
            Connected = false;
            _acks.Clear();
        }

        private void EndSilence()
        {
            if (!Silent) return;
            Silent = false;
            SilentEnded?.Invoke(Now());
        }
    }

    /// <summary>Reads the fake sensors and logs every gas reading with its time.</summary>
    private sealed class LoggingReader : ISensorReader
    {
        public readonly FakeSensorReader Inner = new();
        public readonly List<(long At, int Value, int Boot)> GasReads = new();
        public Func<long> Now;

        /// <summary>Which hub reads (the simulation counts boots): a reading belongs to the sensor of the hub that made it.</summary>
        public int Boot;

        public int Read(SensorConfig sensor, out int value)
        {
            int status = Inner.Read(sensor, out value);
            if (sensor.Kind == "gas") GasReads.Add((Now(), value, Boot));
            return status;
        }
    }

    private sealed record Onset(string Kind, long S, long H, bool Required, bool AtBoot, bool AfterClear);

    private sealed class AlarmSeen
    {
        public string Id, Kind, Class;
        public long Created;                       // the pass that created it (global)
        public long FirstReceipt = long.MaxValue;
        public long EpisodeOverAt = long.MaxValue;  // when the backend heard the episode was over (see the rule)
        public long ClearedCreated = long.MaxValue; // creation of its first "cleared" event
        public int Rounds;
    }

    private sealed class Command
    {
        public string Id, Json, Cmd, AlarmId;
        public long Due;

    }

    private sealed class Sim
    {
        private readonly int _seed;
        private readonly Random _rng;
        private readonly HubConfig _config;
        private readonly MemoryStore _store = new();
        private readonly Broker _broker;
        private readonly LoggingReader _reader = new();
        private FakeClock _clock;
        private FakeHost _host;
        private CoreHub _hub;
        private long _now;
        private long _bootAt;
        private int _lastConfigVersion;

        // The schedule: physical level changes, and everything else, by global time.
        private readonly List<(long At, string Input, bool Active)> _levels = new();
        private readonly List<(long At, int Order, Action Do)> _actions = new();
        private int _levelNext, _actionNext;
        private readonly Dictionary<string, bool> _physical = new() { ["sos"] = false, ["smoke"] = false, ["ok"] = false, ["door"] = false, ["pir"] = false, ["mains"] = true, ["battery"] = false };
        private int _gasValue;
        private readonly List<(long From, long To)> _gasEpisodes = new();

        // What happened.
        private readonly List<long> _cutPasses = new();
        private readonly List<(long At, bool Cut)> _reboots = new();
        private readonly List<(long At, int IdBoot)> _boots = new();
        private readonly List<(long At, int Boot)> _sensorStarts = new();
        private readonly List<(long From, long To)> _linkFaults = new();
        private readonly Dictionary<string, AlarmSeen> _alarms = new();
        private readonly List<Command> _open = new();   // commands not yet replied to
        private readonly Dictionary<string, long> _clearedCreated = new(), _closedReceived = new();
        private int _commandCount, _receivedSoFar, _configVersion = 1;
        private bool _cleanRebootDue;
        private long _silentFrom = -1;
        private readonly List<string> _violations = new();
        public Figures Figures { get; } = new();

        /// <summary>A timeline, kept when one case is replayed (<c>PAT_CONSERVATION_CASES=1</c>) and printed with its verdict.</summary>
        public List<string> Trace { get; set; }

        private void Note(string what) => Trace?.Add($"{_now / 1000.0,10:F3} {what}");

        public Sim(int seed)
        {
            _seed = seed;
            _rng = new Random(seed);
            _config = ConfigParser.Parse(Encoding.UTF8.GetBytes(TestBench.DemoConfigJson));
            _broker = new Broker(new Random(seed ^ 0x5EED)) { Now = () => _now };
            _broker.SilentEnded = at => { if (_silentFrom >= 0) _linkFaults.Add((_silentFrom, at)); _silentFrom = -1; };
            _reader.Now = () => _now;
            Schedule();
        }

        private string Tag => $"(seed {_seed}: PAT_CONSERVATION_SEED={_seed} PAT_CONSERVATION_CASES=1 replays it)";

        private void Fail(string message)
        {
            if (_violations.Count < 20) _violations.Add(message);
        }

        // ------------------------------------------------------------------ the schedule

        private long Exp(double meanMs) => (long)(-meanMs * Math.Log(1 - _rng.NextDouble()));

        private void At(long at, Action a) => _actions.Add((at, _actions.Count, a));

        private void Schedule()
        {
            // SOS: bursts of presses (bounces, clicks, holds), never so many at once that they are chatter.
            for (long t = Exp(600_000); t < CaseMs - 60_000; t += Exp(720_000))
            {
                int presses = _rng.Next(4) == 0 ? _rng.Next(2, 7) : 1;
                for (int i = 0; i < presses && t < CaseMs - 60_000; i++)
                {
                    double r = _rng.NextDouble();
                    long hold = r < 0.15 ? _rng.Next(3, 26) : r < 0.75 ? _rng.Next(40, 2000) : _rng.Next(3000, 40_000);
                    _levels.Add((t, "sos", true));
                    _levels.Add((t + hold, "sos", false));
                    t += hold + _rng.Next(300, 20_000);
                }
            }
            // Smoke: episodes, some flapping (clearing and coming back), some blips too short to count.
            for (long t = Exp(2_400_000); t < CaseMs - 600_000; t += Exp(2_400_000))
            {
                int flaps = _rng.Next(3) == 0 ? _rng.Next(2, 5) : 1;
                for (int i = 0; i < flaps; i++)
                {
                    long on = _rng.Next(5) == 0 ? _rng.Next(10, 60) : _rng.Next(300, 600_000);
                    _levels.Add((t, "smoke", true));
                    _levels.Add((t + on, "smoke", false));
                    t += on + _rng.Next(1000, 120_000);
                }
            }
            // Gas: episodes above the threshold, long enough to be read.
            for (long t = Exp(3_000_000); t < CaseMs - 1_200_000; t += Exp(3_000_000))
            {
                long on = _rng.Next(5_000, 1_200_000);
                _gasEpisodes.Add((t, t + on));
                long from = t, to = t + on;
                At(from, () => { _gasValue = 2000; _reader.Inner.Set("gas", 2000); });
                At(to, () => { _gasValue = 0; _reader.Inner.Set("gas", 0); });
                t += on + 10_000;
            }
            // Everyday inputs: motion, the door, the OK button (short, and long: a cancel request), mains, battery.
            for (long t = Exp(180_000); t < CaseMs; t += Exp(180_000)) { _levels.Add((t, "pir", true)); _levels.Add((t + 1500, "pir", false)); }
            for (long t = Exp(1_800_000); t < CaseMs; t += Exp(1_800_000)) { _levels.Add((t, "door", true)); _levels.Add((t + 20_000, "door", false)); }
            for (long t = Exp(1_200_000); t < CaseMs; t += Exp(1_200_000)) { long hold = _rng.Next(2) == 0 ? 300 : 4000; _levels.Add((t, "ok", true)); _levels.Add((t + hold, "ok", false)); }
            if (_rng.Next(3) == 0) { long t = _rng.Next(0, (int)(CaseMs / 2)); _levels.Add((t, "mains", false)); _levels.Add((t + _rng.Next(120_000, 1_800_000), "mains", true)); }
            if (_rng.Next(3) == 0) { long t = _rng.Next(0, (int)(CaseMs / 2)); _levels.Add((t, "battery", true)); _levels.Add((t + _rng.Next(60_000, 1_800_000), "battery", false)); }
            _levels.Sort((a, b) => a.At.CompareTo(b.At));

            // Link faults.
            int faults = _rng.Next(2, 9);
            for (int i = 0; i < faults; i++)
            {
                long t = _rng.NextInt64(0, CaseMs - 60_000);
                Figures.LinkFaults++;
                switch (_rng.Next(10))
                {
                    case 0:
                    case 1:
                        At(t, () => { _broker.Drop("link lost"); _linkFaults.Add((_now, _now)); });
                        break;
                    case 2:
                    case 3:
                    {
                        long length = _rng.Next(10_000, 1_800_000);
                        At(t, () => { _broker.Down++; _broker.Drop("broker down"); _linkFaults.Add((_now, _now + length)); });
                        At(t + length, () => _broker.Down--);
                        break;
                    }
                    case 4:
                    case 5:
                    {
                        // The network goes: the connection dies silently and connects are never answered.
                        long length = _rng.Next(30_000, 1_200_000);
                        At(t, () => { _broker.Blackhole++; GoSilent(); _linkFaults.Add((_now, _now + length)); });
                        At(t + length, () => _broker.Blackhole--);
                        break;
                    }
                    case 6:
                    case 7:
                        At(t, GoSilent);   // half-open: the hub must notice by itself
                        break;
                    case 8:
                    {
                        long length = _rng.Next(5_000, 600_000);
                        At(t, () => { _broker.Refusing++; _linkFaults.Add((_now, _now + length)); });
                        At(t + length, () => _broker.Refusing--);
                        break;
                    }
                    default:
                        At(t, () => { _broker.Drop("broker restart"); _linkFaults.Add((_now, _now)); });   // PUBACKs not yet sent are lost
                        break;
                }
            }

            // Storage faults and reboots.
            int cuts = _rng.Next(0, 6);
            for (int i = 0; i < cuts; i++)
            {
                int step = _rng.Next(0, 40), kept = _rng.Next(3) == 0 ? 0 : _rng.Next(1, 400);
                At(_rng.NextInt64(0, CaseMs), () => { _store.CutPowerAt(step, kept); Note($"power cut armed: write step {step}, keeping {kept} bytes"); });
            }
            int flips = _rng.Next(0, 4);
            for (int i = 0; i < flips; i++) At(_rng.NextInt64(0, CaseMs), Flip);
            if (_rng.Next(4) == 0)
            {
                long t = _rng.NextInt64(0, CaseMs - 60_000), length = _rng.Next(300_000, 3_600_000);
                Figures.CounterFailures++;
                At(t, () => { _store.FailingFiles.Add("counters"); Note("counter writes fail"); });
                At(t + length, () => { _store.FailingFiles.Remove("counters"); Note("counter writes work"); });
            }
            int reboots = _rng.Next(0, 3);
            for (int i = 0; i < reboots; i++) At(_rng.NextInt64(0, CaseMs), () => _cleanRebootDue = true);

            // Downlink noise.
            for (long t = Exp(300_000); t < CaseMs; t += Exp(300_000))
            {
                double r = _rng.NextDouble();
                if (r < 0.06)
                {
                    int n = _rng.Next(50, 300);
                    Figures.Floods++;
                    At(t, () => { for (int k = 0; k < n; k++) Noise(); });
                }
                else if (r < 0.14)
                {
                    int size = _rng.Next(2) == 0 ? _rng.Next(17_000, 40_000) : 1 << 20;
                    Figures.Huge++;
                    At(t, () => SendRaw("{\"id\":\"huge\",\"cmd\":\"" + new string('x', size) + "\"}"));
                }
                else At(t, Noise);
            }
            _actions.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Order.CompareTo(b.Order));
        }

        private void GoSilent()
        {
            if (_broker.Usable && _silentFrom < 0) _silentFrom = _now;
            _broker.GoSilent();
        }

        private void Flip()
        {
            // One bit of a live record (outbox) or of a counters slot, as a worn cell does.
            var names = _store.Names.Where(n => n.StartsWith("outbox.") || (n.StartsWith("counters.") && _rng.Next(4) == 0)).ToList();
            if (names.Count == 0) return;
            string name = names[_rng.Next(names.Count)];
            byte[] bytes = _store.Snapshot(name);
            if (bytes.Length == 0) return;
            int at = _rng.Next(bytes.Length);
            bytes[at] ^= (byte)(1 << _rng.Next(8));
            _store.Put(name, bytes);
            Note($"flipped a bit of byte {at} of {name} ({bytes.Length} bytes)");
            Figures.Flips++;
        }

        private void SendRaw(string json)
        {
            if (!_broker.Usable) return;
            Figures.Commands++;
            _hub.LinkEvents.Message(_hub.Topics.For(Channel.Command), Encoding.UTF8.GetBytes(json), false);
        }

        /// <summary>One command that is not the backend's business with an alarm: valid, invalid or odd.</summary>
        private void Noise()
        {
            string id = "n" + (++_commandCount);
            string openSos = _alarms.Values.Where(a => a.Kind == "sos").Select(a => a.Id).LastOrDefault() ?? "hub-0001-1-1";
            switch (_rng.Next(18))
            {
                case 0: SendRaw($$"""{"id":"{{id}}","cmd":"heartbeat","minutes":{{_rng.Next(1, 61)}}}"""); break;
                case 1: SendRaw($$"""{"id":"{{id}}","cmd":"test","kind":"{{new[] { "sos", "smoke", "gas" }[_rng.Next(3)]}}"}"""); break;
                case 2: SendRaw($$"""{"id":"{{id}}","cmd":"notice","noticeId":"r{{_commandCount}}"}"""); break;
                case 3: SendRaw($$"""{"id":"{{id}}","cmd":"presence","state":"{{(_rng.Next(2) == 0 ? "away" : "home")}}"}"""); break;
                case 4: SendRaw($$"""{"id":"{{id}}","cmd":"rebirth"}"""); break;
                case 5:
                {
                    int version = ++_configVersion + 1;
                    string json = TestBench.DemoConfigJson.Replace("\"version\": 1", "\"version\": " + version).Replace("\"heartbeatMinutes\": 5", "\"heartbeatMinutes\": " + _rng.Next(1, 30));
                    SendRaw($$"""{"id":"{{id}}","cmd":"config","config":{{json}}}""");
                    break;
                }
                case 6: if (_rng.Next(4) == 0) SendRaw($$"""{"id":"{{id}}","cmd":"reboot"}"""); break;
                case 7: SendRaw("{\"id\":\"" + id + "\",\"cmd\":"); break;
                case 8: SendRaw("[1,2,3]"); break;
                case 9: SendRaw("""{"cmd":"ack"}"""); break;
                case 10: SendRaw($$"""{"id":"{{id}}","cmd":"explode"}"""); break;
                case 11: SendRaw($$"""{"id":"{{id}}","cmd":"ack","alarmId":"hub-0001-999-{{_commandCount}}"}"""); break;
                case 12: SendRaw($$"""{"id":"{{id}}","cmd":"heartbeat","minutes":"{{_rng.Next(100)}}"}"""); break;
                case 13: SendRaw($$"""{"id":"{{id}}","cmd":"close"}"""); break;
                case 14:
                    if (_broker.Usable) _hub.LinkEvents.Message(_hub.Topics.For(Channel.Command), Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","cmd":"close","alarmId":"{{openSos}}"}"""), true);
                    break;
                case 15: SendRaw($$"""{"id":"{{id}}","cmd":"test","kind":"fire"}"""); break;
                case 16: SendRaw("{\"id\":\"" + id + "\",\"cmd\":\"config\",\"config\":{\"version\":0}}"); break;
                default: SendRaw($$"""{"id":"{{id}}","cmd":"ack","alarmId":{{_rng.Next()}}}"""); break;
            }
        }

        // ------------------------------------------------------------------ running

        private void Boot(bool cut)
        {
            if (_hub != null) _reboots.Add((_now, cut));
            while (true)
            {
                _clock = new FakeClock();
                _bootAt = _now;
                _host = new FakeHost { ResetReason = cut ? "power_on" : "software" };
                _hub = new CoreHub(_config, _clock, _store, _broker, _reader, new RecordingIndicator(), _host);
                _broker.Link = _hub.LinkEvents;
                _broker.HubRebooted();
                try
                {
                    _hub.Start();
                    break;
                }
                catch (PowerCutException)
                {
                    // Cut again while booting.
                    if (_hub.Counters.IdBoot != 0) _boots.Add((_now, _hub.Counters.IdBoot));
                    _store.PowerOn();
                    Figures.PowerCuts++;
                }
            }
            _boots.Add((_now, _hub.Counters.IdBoot));
            _reader.Boot++;
            _sensorStarts.Add((_now, _reader.Boot));
            _lastConfigVersion = _hub.Config.Version;
            // The host posts every input's level at start-up.
            foreach (var (input, active) in _physical) PostLevel(input, active, 0);
        }

        private void PostLevel(string input, bool active, long uptime)
        {
            for (int i = 0; i < _hub.Inputs.Length; i++)
            {
                if (_hub.Inputs[i].Config.Id != input) continue;
                _hub.PostPinEdge(i, active != _hub.Inputs[i].Config.ActiveLow, uptime);
            }
        }

        public void Run()
        {
            Boot(cut: false);
            _reader.Inner.Set("gas", 0);
            HashSet<string> waitingBefore = new();
            int lesserBefore = 0;
            bool calm = false;
            for (_now = PassMs; ; _now += PassMs)
            {
                if (!calm && _now > CaseMs)
                {
                    // Calm end: no more faults, inputs at rest, until everything is delivered and closed.
                    calm = true;
                    _broker.Down = _broker.Blackhole = _broker.Refusing = 0;
                    _store.FailingFiles.Clear();
                    _store.PowerOn();
                    _linkFaults.Add((CaseMs, CaseMs));
                }
                if (calm && (Settled() || _now > CaseMs + MaxCalmMs)) break;

                while (_levelNext < _levels.Count && _levels[_levelNext].At <= _now)
                {
                    var (at, input, active) = _levels[_levelNext++];
                    if (input == "sos" || input == "smoke") Trace?.Add($"{at / 1000.0,10:F3} {input} {(active ? "on" : "off")}");
                    _physical[input] = active;
                    PostLevel(input, active, at - _bootAt);
                }
                while (!calm && _actionNext < _actions.Count && _actions[_actionNext].At <= _now) _actions[_actionNext++].Do();
                _broker.DeliverAcks(_now);
                SendDueCommands();
                _clock.Advance(_now - _bootAt - _clock.UptimeMs);
                int accepted = _broker.Accepted.Count;
                bool wasConnected = _hub.Link.State == ConnectionManager.Connected;
                bool cut = false;
                try
                {
                    _hub.RunOnce();
                }
                catch (PowerCutException)
                {
                    cut = true;
                }
                if (!cut)
                {
                    var waitingNow = WaitingAlarms(out int lesser);
                    CheckAlarmsFirst(waitingBefore, waitingNow, accepted);
                    if (waitingBefore.Count > 0 && lesserBefore > 0 && _broker.Accepted.Count > accepted)
                    {
                        Figures.AlarmsAheadChecks++;
                        if (!wasConnected && _hub.Link.State == ConnectionManager.Connected) Figures.Sessions++;
                    }
                    waitingBefore = waitingNow;
                    lesserBefore = lesser;
                    if (_hub.Config.Version != _lastConfigVersion) { _lastConfigVersion = _hub.Config.Version; _sensorStarts.Add((_now, _reader.Boot)); }
                }
                Backend();
                if (Trace != null && !cut)
                {
                    foreach (PingAnTong.Edge.Core.Alarms.Alarm a in _hub.Alarms.Alarms)
                        if (_traced.Add(a.Id + a.Entry.State + a.Closed)) Note($"hub: {a.Entry.EventClass} {a.Kind} {a.Id} state {a.Entry.State}{(a.Closed ? " closed" : "")}{(a.ConditionCleared ? " cleared" : "")}");
                    Note($"link {ConnectionManager.StateName(_hub.Link.State)}");
                }
                if (cut)
                {
                    Note("power cut");
                    _cutPasses.Add(_now);
                    _linkFaults.Add((_now, _now));
                    _store.PowerOn();
                    Figures.PowerCuts++;
                    Figures.Reboots++;
                    Boot(cut: true);
                    waitingBefore = new();
                    lesserBefore = 0;
                }
                else if (_cleanRebootDue || _host.Reboots > 0)
                {
                    Note("reboot");
                    _cleanRebootDue = false;
                    _linkFaults.Add((_now, _now));
                    Figures.Reboots++;
                    Boot(cut: false);
                    waitingBefore = new();
                    lesserBefore = 0;
                }
            }
            Figures.SimulatedHours = _now / 3600_000.0;
        }

        private bool Settled() =>
            _levelNext == _levels.Count && _hub.Alarms.ActiveCount == 0 && _hub.Outbox.CountPending() == 0 && _open.Count == 0 && _broker.Usable;

        /// <summary>Real life-safety alarms waiting to be sent (stored or due again, not in flight), and how many lesser messages wait.</summary>
        private HashSet<string> WaitingAlarms(out int lesser)
        {
            var result = new HashSet<string>();
            lesser = 0;
            foreach (OutboxEntry e in _hub.Outbox.Entries)
            {
                if (e.InFlight) continue;
                bool waiting = e.State == OutboxState.Pending || (e.ResendDue && e.State == OutboxState.Delivered);
                if (!waiting) continue;
                if (e.IsTrackedAlarm && e.IsRealAlarm && e.Priority == Priority.LifeSafety) result.Add(e.Id);
                else if (e.Priority > Priority.LifeSafety) lesser++;
            }
            return result;
        }

        /// <summary>
        /// While an alarm that waited at the start of this pass still waits, nothing lesser goes out. An alarm that
        /// stopped waiting in this pass without being published (acknowledged, closed) no longer counts.
        /// </summary>
        private void CheckAlarmsFirst(HashSet<string> waitingBefore, HashSet<string> waitingNow, int acceptedBefore)
        {
            if (waitingBefore.Count == 0 || _broker.Accepted.Count == acceptedBefore) return;
            var published = new List<(string Topic, string Id, string Kind, string State, bool LifeSafety)>();
            for (int i = acceptedBefore; i < _broker.Accepted.Count; i++)
            {
                var (_, topic, payload) = _broker.Accepted[i];
                if (topic.EndsWith("/status")) continue;
                using var doc = JsonDocument.Parse(payload);
                var root = doc.RootElement;
                bool lifeSafety = topic.EndsWith("/event") && root.TryGetProperty("priority", out var p) && p.GetInt32() == Priority.LifeSafety;
                published.Add((topic.Substring(topic.LastIndexOf('/') + 1), Str(root, "id"), Str(root, "kind"), Str(root, "state"), lifeSafety));
            }
            var remaining = waitingBefore.Where(id => waitingNow.Contains(id) || published.Any(x => x.Id == id)).ToHashSet();
            foreach (var x in published)
            {
                if (remaining.Count == 0) return;
                if (x.LifeSafety) { remaining.Remove(x.Id); continue; }
                Fail($"at {_now / 1000} s a lesser message ({x.Topic} {x.Kind} {x.State}) was published while alarm(s) {string.Join(", ", remaining)} waited");
                return;
            }
        }

        private static string Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        // ------------------------------------------------------------------ the backend

        private long BootAtOf(string id)
        {
            var m = Regex.Match(id ?? "", "^hub-0001-([0-9]+)-[0-9]+$");
            if (!m.Success) return long.MinValue;
            int boot = int.Parse(m.Groups[1].Value);
            for (int i = _boots.Count - 1; i >= 0; i--) if (_boots[i].IdBoot == boot) return _boots[i].At;
            return long.MinValue;
        }

        private readonly HashSet<string> _traced = new();

        private void Backend()
        {
            for (; _receivedSoFar < _broker.Received.Count; _receivedSoFar++)
            {
                var (at, topic, payload) = _broker.Received[_receivedSoFar];
                if (Trace != null && !topic.EndsWith("/health") && !topic.EndsWith("/status")) Note("backend got " + topic.Substring(topic.LastIndexOf('/') + 1) + " " + payload.Substring(0, Math.Min(payload.Length, 200)));
                using var doc = JsonDocument.Parse(payload);
                var e = doc.RootElement;
                if (topic.EndsWith("/reply"))
                {
                    string commandId = Str(e, "commandId");
                    int status = e.GetProperty("status").GetInt32();
                    if (commandId == null || status == CommandStatus.Busy || status == CommandStatus.Failed) continue;
                    int index = _open.FindIndex(c => c.Id == commandId);
                    if (index < 0) continue;
                    var answered = _open[index];
                    _open.RemoveAt(index);
                    bool done = status == CommandStatus.Ok || status == CommandStatus.AlreadyDone;
                    // The episode is over for the backend: an SOS once its ack is confirmed, smoke and gas once closed.
                    var a = _alarms[answered.AlarmId];
                    if (done && (answered.Cmd == "close" || a.Kind == "sos")) a.EpisodeOverAt = Math.Min(a.EpisodeOverAt, at);
                    continue;
                }
                if (!topic.EndsWith("/event")) continue;
                string id = Str(e, "id"), kind = Str(e, "kind"), cls = Str(e, "class"), state = Str(e, "state");
                long created = BootAtOf(id) + e.GetProperty("uptimeMs").GetInt64();
                if (state == "cleared") Earliest(_clearedCreated, Str(e, "alarmId"), created);
                if (state == "closed") Earliest(_closedReceived, Str(e, "alarmId"), at);
                if (state != "raised" || (cls != "alarm" && cls != "test")) continue;
                if (!_alarms.TryGetValue(id, out var alarm))
                {
                    alarm = new AlarmSeen { Id = id, Kind = kind, Class = cls, Created = created, FirstReceipt = at };
                    _alarms[id] = alarm;
                }
                else if (alarm.Kind != kind || alarm.Class != cls || alarm.Created != created)
                {
                    Fail($"id {id} names two alarms: {alarm.Class} {alarm.Kind} created at {alarm.Created / 1000.0:F3} s and {cls} {kind} created at {created / 1000.0:F3} s");
                }
                // Answer an alarm received for the first time, or again once every earlier answer was replied to (the
                // hub lost them, e.g. rebooted before storing them): a backend acknowledges and closes it again.
                if (_open.Any(c => c.AlarmId == id)) continue;
                alarm.Rounds++;
                double r = _rng.NextDouble();
                long ack = at + (cls == "test" ? _rng.Next(2_000, 30_000) : r < 0.7 ? _rng.Next(2_000, 60_000) : r < 0.9 ? _rng.Next(60_000, 600_000) : _rng.Next(600_000, 2_400_000));
                long close = ack + _rng.Next(5_000, 1_200_000);
                _open.Add(new Command { Id = "ack-" + id + "-" + alarm.Rounds, Cmd = "ack", AlarmId = id, Due = ack, Json = $$"""{"id":"ack-{{id}}-{{alarm.Rounds}}","cmd":"ack","alarmId":"{{id}}"}""" });
                _open.Add(new Command { Id = "close-" + id + "-" + alarm.Rounds, Cmd = "close", AlarmId = id, Due = close, Json = $$"""{"id":"close-{{id}}-{{alarm.Rounds}}","cmd":"close","alarmId":"{{id}}"}""" });
            }
        }

        private void SendDueCommands()
        {
            if (!_broker.Usable) return;
            foreach (var c in _open)
            {
                if (c.Due > _now) continue;
                Figures.Commands++;
                Note("backend sends " + c.Json);
                _hub.LinkEvents.Message(_hub.Topics.For(Channel.Command), Encoding.UTF8.GetBytes(c.Json), false);
                c.Due = _now + 60_000;   // sent again until the hub replies
            }
        }

        // ------------------------------------------------------------------ the checks

        private long HandledAt(long s) => (s + PassMs - 1) / PassMs * PassMs;

        /// <summary>True when the hub that received an edge at <paramref name="edge"/> did not live to handle it at <paramref name="h"/>.</summary>
        private bool LostWithTheHub(long edge, long h) =>
            _cutPasses.Contains(h) || _reboots.Any(r => r.At >= edge && r.At < h);

        private List<Onset> Onsets()
        {
            var onsets = new List<Onset>();
            foreach (var (input, kind, debounce, minimum) in new[] { ("sos", "sos", SosDebounceMs, 40), ("smoke", "smoke", SmokeDebounceMs, 150) })
            {
                var changes = _levels.Where(l => l.Input == input).ToList();
                long lastClear = long.MinValue;
                for (int i = 0; i < changes.Count; i++)
                {
                    if (!changes[i].Active) { lastClear = changes[i].At; continue; }
                    long p = changes[i].At, q = i + 1 < changes.Count ? changes[i + 1].At : long.MaxValue;
                    long s = p + debounce, h = HandledAt(s);
                    if (q - p < debounce)
                    {
                        if (kind == "sos") Figures.Bounces++;
                    }
                    else
                    {
                        bool required = q - p >= minimum && !LostWithTheHub(p, h);
                        onsets.Add(new Onset(kind, s, h, required, false, kind == "smoke" && lastClear != long.MinValue && p - lastClear < 120_000));
                    }
                    // Still active when a hub boots: an onset at boot.
                    foreach (var (at, _) in _reboots.Where(r => r.At > p && r.At < q))
                    {
                        long bs = at + debounce, bh = HandledAt(bs);
                        if (q - at < debounce) continue;
                        onsets.Add(new Onset(kind, bs, bh, q - at >= minimum && !LostWithTheHub(at + 1, bh), true, false));
                    }
                }
            }
            // Gas: a warm reading at or above the threshold after one below it, or the first warm one of a sensor's life.
            bool high = false;
            int segment = -1;
            foreach (var (at, value, boot) in _reader.GasReads)
            {
                int seg = _sensorStarts.FindLastIndex(x => x.Boot == boot && x.At <= at);
                if (seg != segment) { segment = seg; high = false; }
                if (at < _sensorStarts[seg].At + GasWarmupMs) continue;
                bool now = value >= GasHigh;
                if (now && !high) onsets.Add(new Onset("gas", at, at, !_cutPasses.Contains(at), false, false));
                high = now;
            }
            return onsets;
        }

        private static void Earliest(Dictionary<string, long> d, string key, long value)
        {
            if (key != null) d[key] = d.TryGetValue(key, out long v) ? Math.Min(v, value) : value;
        }

        public void Check()
        {
            foreach (var a in _alarms.Values)
            {
                if (_clearedCreated.TryGetValue(a.Id, out long cleared)) a.ClearedCreated = cleared;
                if (_closedReceived.TryGetValue(a.Id, out long closed)) a.EpisodeOverAt = Math.Min(a.EpisodeOverAt, closed);
            }
            var onsets = Onsets();
            var real = _alarms.Values.Where(a => a.Class == "alarm" && (a.Kind == "sos" || a.Kind == "smoke" || a.Kind == "gas")).ToList();

            // No phantom alarms, and no onset raises two.
            foreach (var group in real.GroupBy(a => (a.Kind, a.Created)))
            {
                int handled = onsets.Count(o => o.Kind == group.Key.Kind && o.H == group.Key.Created);
                if (group.Count() > handled)
                    Fail($"{group.Count()} {group.Key.Kind} alarm(s) ({string.Join(", ", group.Select(a => a.Id))}) created at {group.Key.Created / 1000.0:F3} s, where {handled} onset(s) were handled");
            }
            // Boot numbers never repeat (ids would).
            foreach (var g in _boots.Where(b => b.IdBoot != 0).GroupBy(b => b.IdBoot).Where(g => g.Count() > 1))
                Fail($"boot number {g.Key} used by {g.Count()} boots (at {string.Join(", ", g.Select(b => b.At / 1000))} s): ids repeat");

            foreach (var o in onsets)
            {
                Figures.Sos += o.Kind == "sos" ? 1 : 0;
                Figures.Smoke += o.Kind == "smoke" ? 1 : 0;
                Figures.Gas += o.Kind == "gas" ? 1 : 0;
                Figures.SmokeFlaps += o.AfterClear ? 1 : 0;
                Figures.BootOnsets += o.AtBoot ? 1 : 0;
                if (!o.Required) { Figures.Optional++; continue; }
                var raised = real.FirstOrDefault(a => a.Kind == o.Kind && a.Created == o.H);
                AlarmSeen cover = raised;
                if (cover == null)
                {
                    cover = real.Where(a => a.Kind == o.Kind && a.Created < o.H && a.EpisodeOverAt >= o.S && (o.Kind == "sos" || a.ClearedCreated >= o.S))
                        .OrderBy(a => Math.Max(a.FirstReceipt, o.S)).FirstOrDefault();
                    if (cover == null)
                    {
                        var open = real.Where(a => a.Kind == o.Kind && a.Created < o.H).OrderByDescending(a => a.Created).FirstOrDefault();
                        Fail($"{o.Kind} onset at {o.S / 1000.0:F3} s{(o.AtBoot ? " (at boot)" : "")}, handled at {o.H / 1000} s, is covered by no alarm: none raised then" +
                             (open == null ? "" : $"; the latest before it, {open.Id} (created {open.Created / 1000.0:F0} s), was over for the backend at {Secs(open.EpisodeOverAt)} s, its condition cleared at {Secs(open.ClearedCreated)} s"));
                        continue;
                    }
                    Figures.Absorbed++;
                }
                else Figures.Raised++;
                long d = Math.Max(cover.FirstReceipt, o.S);
                long faultEnd = _linkFaults.Where(f => f.From < d).Select(f => f.To).DefaultIfEmpty(long.MinValue).Max();
                long bound = Math.Max(o.S, faultEnd) + GiveUpMs + BackoffCeilingMs + SlackMs;
                Figures.MaxDelayMs = Math.Max(Figures.MaxDelayMs, d - o.S);
                Figures.MaxSlackUsedMs = Math.Max(Figures.MaxSlackUsedMs, d - bound);
                if (d > bound)
                    Fail($"{o.Kind} onset at {o.S / 1000.0:F3} s reached the backend as {cover.Id} at {Secs(d)} s, after the bound {bound / 1000.0:F0} s (last link fault ended {Secs(faultEnd)} s)");
            }
            Figures.Cases = 1;
            Assert.True(_violations.Count == 0, $"alarm conservation violated {Tag}:{Environment.NewLine}{string.Join(Environment.NewLine, _violations)}");
        }

        private static string Secs(long ms) => ms == long.MaxValue ? "never" : ms == long.MinValue ? "-" : (ms / 1000.0).ToString("F0");
    }
}
