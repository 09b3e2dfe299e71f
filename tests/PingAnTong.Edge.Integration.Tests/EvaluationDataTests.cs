using PingAnTong.Edge.Eval;
using PingAnTong.Edge.Simulator.Replay;
using PingAnTong.Edge.Tests;
using Xunit;
using Xunit.Abstractions;

namespace PingAnTong.Edge.Integration.Tests;

/// <summary>The evaluation's conversion of the van Kasteren recordings (read from ../shared; never copied into the repository).</summary>
public class EvaluationDataTests(ITestOutputHelper output)
{
    private static string DataDir => Path.GetFullPath(Path.Combine(Paths.RepoRoot, "..", "shared", "data", "activity", "vankasteren"));

    [Theory]
    [InlineData("A")]
    [InlineData("B")]
    [InlineData("C")]
    public void Recordings_convert_to_a_valid_replay_with_doors_and_labelled_absences(string house)
    {
        if (!Directory.Exists(DataDir))
        {
            output.WriteLine($"skipped: {DataDir} is absent (the recordings are not shipped with the project)");
            return;
        }
        var h = VanKasterenHouse.Load(DataDir, house);
        Assert.NotEmpty(h.Events);
        Assert.NotEmpty(h.Absences);
        Assert.Contains(h.Events, e => e.Kind == "door");
        Assert.True(h.Events.Zip(h.Events.Skip(1)).All(p => p.First.TimeMs <= p.Second.TimeMs), "events in time order");
        Assert.All(h.Events, e => Assert.InRange(e.TimeMs, h.WindowStartMs, h.WindowEndMs));
        string csv = Path.GetTempFileName();
        h.WriteCsv(csv);
        Assert.Equal(h.Events.Count, ActivityCsv.Read(csv).Count); // the simulator's replay reads what the tool writes
        var config = ReplayRunner.ConfigFor(h.Events);
        var first = h.Events.Take(200).ToList();
        var replay = new StringWriter();
        ReplayRunner.Run(first, config, first[^1].TimeMs + 3_600_000, replay, 10_000);
        Assert.Contains("\"kind\":\"boot\"", replay.ToString());
    }

    [Fact]
    public void Door_absences_start_at_the_door_that_began_them_and_cover_door_to_door_gaps_with_nobody_seen()
    {
        const long Min = 60_000;
        ActivityEvent E(long minute, string sensor, string kind, string state) => new(0, minute * Min, sensor, kind, state);
        var h = new VanKasterenHouse
        {
            Name = "synthetic",
            WindowStartMs = 0,
            WindowEndMs = 1000 * Min,
            Events = new List<ActivityEvent>
            {
                E(100, "pir", "motion", "on"), E(107, "front", "door", "open"), E(108, "front", "door", "closed"),
                // labelled absence from 110 (3 min after the door) to 200
                E(200, "front", "door", "open"), E(205, "pir", "motion", "on"),
                E(300, "front", "door", "open"), // unlabelled: the door, nobody seen for 80 min, the door again
                E(380, "front", "door", "closed"), E(382, "pir", "motion", "on"),
                E(500, "front", "door", "open"), E(510, "front", "door", "closed"), // 10 min: too short to count
            },
            Absences = new List<(long Start, long End)> { (110 * Min, 200 * Min) },
        };
        Assert.True(h.IsAway(150 * Min));
        Assert.False(h.IsAway(108 * Min));
        Assert.False(h.IsAway(340 * Min));
        var d = h.WithDoorAbsences();
        Assert.True(d.IsAway(107 * Min), "from the door 3 min before the label");
        Assert.True(d.IsAway(108 * Min));
        Assert.False(d.IsAway(106 * Min));
        Assert.True(d.IsAway(340 * Min), "door to door with nobody seen");
        Assert.False(d.IsAway(381 * Min));
        Assert.False(d.IsAway(505 * Min));
        Assert.Equal(h.Events, d.Events);
    }
}
