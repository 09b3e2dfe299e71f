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
}
