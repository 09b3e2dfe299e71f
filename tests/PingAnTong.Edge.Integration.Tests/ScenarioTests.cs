using PingAnTong.Edge.Simulator;
using PingAnTong.Edge.Simulator.Scenarios;
using PingAnTong.Edge.Tests;
using Xunit;

namespace PingAnTong.Edge.Integration.Tests;

/// <summary>The shipped scenarios (tools/scenarios) are documentation and CI tests at once.</summary>
public class ScenarioTests
{
    public static IEnumerable<object[]> Shipped() =>
        Directory.GetFiles(Path.Combine(Paths.RepoRoot, "tools", "scenarios"), "*.scenario").Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(Shipped))]
    public void Shipped_scenario_passes(string name)
    {
        var report = new StringWriter();
        bool ok = ScenarioRunner.Run(Path.Combine(Paths.RepoRoot, "tools", "scenarios", name), SimulatedHub.LoadConfig(null), report);
        Assert.True(ok, report.ToString());
        Assert.Contains("PASS", report.ToString());
    }

    [Fact]
    public void A_failing_expectation_is_reported_with_its_line_and_what_was_published()
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, "at 00:00:05 press sos\nexpect alarm smoke raised within 2s\n");
        var report = new StringWriter();
        Assert.False(ScenarioRunner.Run(path, SimulatedHub.LoadConfig(null), report));
        string text = report.ToString();
        Assert.Contains("FAIL", text);
        Assert.Contains("line 2: expect alarm smoke raised within 2s: did not happen; published: event sos raised alarm", text);
        Assert.Contains("FAILED " + path, text);
    }

    [Fact]
    public void A_backend_reboot_command_restarts_the_scenario_hub_from_its_storage_with_its_open_alarm()
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, """
            at 00:00:05 press sos
            expect alarm sos raised within 2s
            at +1s backend cmd {"id":"r-1","cmd":"reboot"}
            expect published reply within 1s
            expect event boot started within 10s
            at +1s backend ack sos
            expect indication help_coming within 2s
            """);
        var report = new StringWriter();
        bool ok = ScenarioRunner.Run(path, SimulatedHub.LoadConfig(null), report);
        File.Delete(path);
        Assert.True(ok, report.ToString());
    }

    [Theory]
    [InlineData("at 00:00:05 jump sos\n", ":1: unknown action \"jump\"")]
    [InlineData("at soon press sos\n", ":1: expected HH:MM:SS or +DURATION")]
    [InlineData("at 00:00:05 press sos\nexpect alarm sos raised within soon\n", ":2: expected a duration")]
    [InlineData("press sos\n", ":1: expected a line starting with \"at\" or \"expect\"")]
    public void Malformed_scenarios_are_refused_with_file_and_line(string text, string expected)
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, text);
        var e = Assert.Throws<FormatException>(() => ScenarioRunner.Run(path, SimulatedHub.LoadConfig(null), new StringWriter()));
        Assert.Contains(path + expected, e.Message);
    }
}
