using System.Net;
using System.Net.Sockets;
using PingAnTong.Edge.Simulator;
using PingAnTong.Edge.Tests;
using Xunit;

namespace PingAnTong.Edge.Integration.Tests;

/// <summary>
/// The simulator's command line as a new user meets it: each mistake ends the process with one line on stderr
/// that names the option and says what to do, exit code 2 for a mistake on the command line and 1 for a runtime
/// failure, and never a stack trace. The simulator runs as its own process (<see cref="SimulatorProcess"/>); each
/// test waits for its exit, never sleeps.
/// </summary>
public class SimulatorCommandLineTests
{
    private static async Task<(int Rc, string Error, string Output)> Run(params string[] args)
    {
        await using var sim = SimulatorProcess.Start(args);
        sim.CloseInput();
        int rc = await sim.WaitForExitAsync();
        string output = sim.Output;
        var errors = output.Split('\n').Where(l => l.StartsWith("stderr: ")).Select(l => l["stderr: ".Length..]).ToList();
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Unhandled exception", output);
        Assert.True(errors.Count == 1, $"expected one line on stderr, got:\n{output}");
        Assert.StartsWith("error: ", errors[0]);
        return (rc, errors[0], output);
    }

    [Theory]
    [InlineData("replay")]
    [InlineData("scenario")]
    [InlineData("latency")]
    [InlineData("run")]
    public async Task Help_of_every_mode_is_printed_even_without_its_required_options(string mode)
    {
        // "replay --help" used to end in an unhandled exception (its --events is required and was read first).
        await using var sim = SimulatorProcess.Start(mode, "--help");
        sim.CloseInput();
        int rc = await sim.WaitForExitAsync();
        Assert.Equal(0, rc);
        Assert.DoesNotContain("Unhandled exception", sim.Output);
        Assert.Contains("Usage:", sim.Output);
    }

    [Fact]
    public async Task A_config_file_that_does_not_exist_is_named()
    {
        var (rc, error, _) = await Run("--config", "/nope.json");
        Assert.Equal(2, rc);
        Assert.Equal("error: --config: file not found: /nope.json (give a hub config JSON, or leave --config out for the demo config)", error);
    }

    [Fact]
    public async Task A_config_file_that_is_not_a_hub_config_names_the_file()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("pat-sim-cli-").FullName, "hub.json");
        File.WriteAllText(file, "{ not json");
        var (rc, error, _) = await Run("run", "--config", file);
        Assert.Equal(2, rc);
        Assert.StartsWith($"error: {file}: ", error);
    }

    [Fact]
    public async Task A_data_folder_that_cannot_be_written_is_named()
    {
        string blocker = Path.Combine(Directory.CreateTempSubdirectory("pat-sim-cli-").FullName, "a-file");
        File.WriteAllText(blocker, "");
        string data = Path.Combine(blocker, "data"); // under a file: no folder can be made there, even as root
        var (rc, error, _) = await Run("run", "--data", data);
        Assert.Equal(2, rc);
        Assert.StartsWith($"error: --data: cannot write to {data} (", error);
        Assert.EndsWith("choose a folder you can write to, or leave --data out for a temporary folder", error);
    }

    [Fact]
    public async Task The_demo_with_a_console_says_where_the_console_is()
    {
        await using var sim = SimulatorProcess.Start("demo", "--console", "tcp:0");
        sim.CloseInput();
        int rc = await sim.WaitForExitAsync();
        Assert.True(rc == 0, sim.Output);
        Assert.Matches(@"\[sim\] hub console on tcp://127\.0\.0\.1:\d+ \(pat console --port tcp://127\.0\.0\.1:\d+\)", sim.Output);
    }

    [Fact]
    public async Task A_console_port_in_use_is_a_runtime_failure_that_says_what_to_do()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        int port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var (rc, error, _) = await Run("run", "--console", $"tcp:{port}");
        Assert.Equal(1, rc);
        Assert.Equal($"error: --console tcp:{port}: port {port} is already in use on 127.0.0.1 (another simulator?); choose another port, or tcp:0 for any free one", error);
    }

    [Fact]
    public async Task A_broker_with_nothing_listening_is_a_runtime_failure_that_names_the_broker()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop(); // a port nothing listens on
        var (rc, error, _) = await Run("run", "--broker", $"mqtt://127.0.0.1:{port}");
        Assert.Equal(1, rc);
        Assert.StartsWith($"error: --broker mqtt://127.0.0.1:{port}: cannot connect to the MQTT broker at 127.0.0.1:{port} (", error);
        Assert.EndsWith("start the broker, or check the address and port", error);
    }

    [Fact]
    public async Task A_ca_file_that_does_not_exist_or_is_not_pem_is_named()
    {
        var (rc, error, _) = await Run("run", "--broker", "mqtts://127.0.0.1:8883", "--ca", "/nope.pem");
        Assert.Equal(2, rc);
        Assert.Equal("error: --ca: file not found: /nope.pem (the broker's CA certificate, PEM)", error);

        string notPem = Path.Combine(Directory.CreateTempSubdirectory("pat-sim-cli-").FullName, "ca.pem");
        File.WriteAllText(notPem, "not a pem");
        (rc, error, _) = await Run("run", "--broker", "mqtts://127.0.0.1:8883", "--ca", notPem);
        Assert.Equal(2, rc);
        Assert.StartsWith($"error: --ca: {notPem} is not a PEM certificate (expected -----BEGIN CERTIFICATE-----)", error);

        (rc, error, _) = await Run("run", "--ca", "/nope.pem");
        Assert.Equal(2, rc);
        Assert.StartsWith("error: --ca: only with --broker URL", error);
    }

    [Fact]
    public async Task A_password_file_without_a_user_name_is_refused_not_ignored()
    {
        var (rc, error, _) = await Run("run", "--broker", "mqtt://127.0.0.1:1883", "--password-file", "mqtt-password");
        Assert.Equal(2, rc);
        Assert.Equal("error: --password-file: needs --username NAME too (MQTT sends a password only with a user name)", error);

        // A config may name the user (pat provision's config.json has broker.username); the demo config does not.
        string config = Path.Combine(Paths.RepoRoot, "tools", "PingAnTong.Edge.Simulator", "demo-config.json");
        (rc, error, _) = await Run("run", "--broker", "mqtt://127.0.0.1:1883", "--config", config, "--password-file", "mqtt-password");
        Assert.Equal(2, rc);
        Assert.Equal($"error: --password-file: needs --username NAME too, or a broker.username in {config} (MQTT sends a password only with a user name)", error);
    }

    [Fact]
    public async Task The_stand_in_centres_account_and_key_files_are_checked_before_anything_starts()
    {
        var (rc, error, _) = await Run("--centre-password-file", "x");
        Assert.Equal(2, rc);
        Assert.Equal("error: --centre-password-file: needs --centre-username (the centre's account, e.g. pat.backend)", error);

        string dir = Directory.CreateTempSubdirectory("pat-sim-cli-").FullName;
        string empty = Path.Combine(dir, "backend-password");
        File.WriteAllText(empty, "\n");
        (rc, error, _) = await Run("run", "--broker", "mqtt://127.0.0.1:1883", "--centre-username", "pat.backend", "--centre-password-file", empty);
        Assert.Equal(2, rc);
        Assert.Equal($"error: --centre-password-file: {empty} is empty", error);
        (rc, error, _) = await Run("run", "--broker", "mqtt://127.0.0.1:1883", "--centre-username", "pat.backend", "--centre-password-file", "/nope");
        Assert.Equal(2, rc);
        Assert.StartsWith("error: --centre-password-file: file not found: /nope", error);

        (rc, error, _) = await Run("--centre-keys", "/nope.csv");
        Assert.Equal(2, rc);
        Assert.Equal("error: --centre-keys: file not found: /nope.csv", error);
        string csv = Path.Combine(dir, "command-keys.csv");
        File.WriteAllText(csv, $"hubId,commandKey\nhub-other,{new string('a', 64)}\n");
        (rc, error, _) = await Run("--centre-keys", csv);
        Assert.Equal(2, rc);
        Assert.Equal($"error: --centre-keys {csv}: no key for hub hub-0001", error); // the demo config's hub

        (rc, error, _) = await Run("--command-key-file", "/nope");
        Assert.Equal(2, rc);
        Assert.Equal("error: --command-key-file: file not found: /nope", error);

        (rc, error, _) = await Run("latency", "--centre-keys", csv);
        Assert.Equal(2, rc);
        Assert.Equal("error: --centre-keys: only in the run and demo modes (the stand-in centre), not in latency", error);
    }

    [Fact]
    public async Task Unknown_arguments_and_bad_values_name_what_was_expected()
    {
        var (rc, error, _) = await Run("frobnicate");
        Assert.Equal(2, rc);
        Assert.Contains("'frobnicate'", error);

        (rc, error, _) = await Run("run", "--console", "4700");
        Assert.Equal(2, rc);
        Assert.Equal("error: --console: expected tcp:PORT (loopback only), got \"4700\"", error);

        (rc, error, _) = await Run("run", "--broker", "http://example.org");
        Assert.Equal(2, rc);
        Assert.StartsWith("error: --broker: expected mqtt://host:port or mqtts://host:port", error);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        await using var sim = SimulatorProcess.Start("--version");
        Assert.Equal(0, await sim.WaitForExitAsync());
        Assert.Equal(SimCli.VersionText, sim.Output.Trim());
        Assert.Matches(@"^\d+\.\d+\.\d+", SimCli.VersionText);
    }

    [Fact]
    public void The_parser_maps_modes_and_options()
    {
        var o = SimOptions.Parse(new[] { "scenario", "a.scenario", "b.scenario", "--config", "hub.json" });
        Assert.Equal("scenario", o.Mode);
        Assert.Equal(new[] { "a.scenario", "b.scenario" }, o.ScenarioFiles);
        Assert.Equal("hub.json", o.ConfigFile);
        o = SimOptions.Parse(new[] { "--data", "d", "run", "--console", "tcp:0" });
        Assert.Equal(("run", "d", 0), (o.Mode, o.DataFolder, o.ConsolePort));
        Assert.Equal("demo", SimOptions.Parse(Array.Empty<string>()).Mode);
        Assert.Equal(20, SimOptions.Parse(new[] { "latency", "--presses", "20" }).Presses);
        o = SimOptions.Parse(new[] { "replay", "--events", "e.csv", "--until", "2011-06-15T08:20:00", "--out", "o.jsonl" });
        Assert.Equal(("e.csv", "2011-06-15T08:20:00", "o.jsonl"), (o.EventsFile, o.Until, o.OutFile));
        Assert.Throws<ArgumentException>(() => SimOptions.Parse(new[] { "replay", "--config", "x" })); // --events is required
    }
}
