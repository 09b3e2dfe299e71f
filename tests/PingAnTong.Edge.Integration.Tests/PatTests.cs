using System.Diagnostics;
using System.Text;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Pat;
using PingAnTong.Edge.Simulator;
using PingAnTong.Edge.Simulator.Adapters;
using Xunit;

namespace PingAnTong.Edge.Tests;

/// <summary>The field tools end to end: pat console against the simulator's TCP console, pat provision → pat config validate, the flash scripts, and that no secret leaks.</summary>
public class PatTests
{
    private const string DemoPin = "2468"; // tools/PingAnTong.Edge.Simulator/demo-config.json
    private static string Samples => Path.Combine(Paths.RepoRoot, "tools", "PingAnTong.Edge.Pat", "samples");

    private static (int Rc, string Out, string Err) Pat(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int rc = PatCli.Run(args, stdout, stderr, new StringReader(""));
        return (rc, stdout.ToString(), stderr.ToString());
    }

    private static SimulatedHub StartHub(string folder)
    {
        string configFile = Path.Combine(Paths.RepoRoot, "tools", "PingAnTong.Edge.Simulator", "demo-config.json");
        var config = SimulatedHub.LoadConfig(configFile);
        config.Broker.Port = 1; // no broker needed: the console works offline
        return new SimulatedHub(config, folder, TextWriter.Null, null, File.ReadAllBytes(configFile));
    }

    [Fact]
    public void Pat_console_exec_talks_to_the_simulator_over_tcp()
    {
        using var hub = StartHub(Directory.CreateTempSubdirectory("pat-console-").FullName);
        using var server = new ConsoleServer(0, () => hub.Hub);
        string port = $"tcp://127.0.0.1:{server.Port}";

        var (rc, output, err) = Pat("console", "--port", port, "--exec", "status", "--exec", "unlock " + DemoPin, "--exec", "config set heartbeatMinutes 7", "--exec", "config apply", "--exec", "events 50");
        Assert.True(rc == 0, output + err);
        Assert.Contains("hub hub-0001 at 350102-001-0001", output);
        Assert.Contains("unlocked for 10 min", output);
        Assert.Contains("applied config version 2", output);
        Assert.Contains("info config applied (version 2)", output);
        Assert.DoesNotContain("pat> ", output);
        Assert.DoesNotContain(DemoPin, output);
        Assert.Equal(7, hub.Hub.Config.HeartbeatMinutes);

        (rc, output, _) = Pat("console", "--port", port, "--exec", "frobnicate");
        Assert.Equal(1, rc);
        Assert.Contains("error: unknown command \"frobnicate\"", output);

        (rc, _, err) = Pat("console", "--port", "tcp://127.0.0.1:1", "--exec", "status");
        Assert.Equal(2, rc);
        Assert.Contains("cannot open tcp://127.0.0.1:1", err);
    }

    [Fact]
    public void Provisioned_configs_pass_validation_and_a_bad_batch_is_refused_with_line_numbers()
    {
        string outDir = Directory.CreateTempSubdirectory("pat-prov-").FullName;
        var (rc, output, err) = Pat("provision", "--batch", Path.Combine(Samples, "batch.csv"), "--profiles", Path.Combine(Samples, "brokers.json"),
            "--secrets", Path.Combine(Samples, "secrets.example.json"), "--out", outDir);
        Assert.True(rc == 0, err);
        Assert.Contains("provisioned 3 hub(s)", output);
        foreach (var hubId in new[] { "hub-0101", "hub-0102", "hub-0103" })
        {
            string dir = Path.Combine(outDir, hubId);
            var (vrc, vout, verr) = Pat("config", "validate", Path.Combine(dir, "config.json"), "--board", "esp32-devkitc-v4");
            Assert.True(vrc == 0, verr);
            Assert.Contains($"hub {hubId}", vout);
            Assert.True(File.Exists(Path.Combine(dir, "deploy.json")));
            Assert.True(File.Exists(Path.Combine(dir, "secret", "network.json")));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "secret", "network.json")));
        }
        Assert.Contains("\"Ssid\": \"ElderHome-0101\"", File.ReadAllText(Path.Combine(outDir, "hub-0103", "secret", "network.json")));

        string bad = Path.Combine(outDir, "bad.csv");
        File.WriteAllText(bad, "hubId,location,board,wifi,brokerProfile\n" +
            "hub-0201,350102-001-0201,esp32-devkitc-v4,ElderHome-0101,lab\n" +
            "hub-0201,350102-001-0202,esp32-devkitc-v4,ElderHome-0102,lab\n" +
            "hub-0203,350102-001-0203,esp32-devkitc-v4,NoSuchWifi,lab\n" +
            "hub 0204,350102-001-0204,esp32-devkitc-v4,ElderHome-0101,lab\n" +
            "hub-0205,350102-001-0205,esp32-devkitc-v9,ElderHome-0101,lab\n" +
            "hub-0206,350102-001-0206,esp32-devkitc-v4,ElderHome-0101\n");
        string badOut = Path.Combine(outDir, "bad-out");
        (rc, _, err) = Pat("provision", "--batch", bad, "--profiles", Path.Combine(Samples, "brokers.json"), "--secrets", Path.Combine(Samples, "secrets.example.json"), "--out", badOut);
        Assert.Equal(2, rc);
        Assert.Contains("line 3: hubId hub-0201 is already on line 2", err);
        Assert.Contains("line 4: no password for Wi-Fi network \"NoSuchWifi\"", err);
        Assert.Contains("line 5: $.hubId: may contain only letters", err);
        Assert.Contains("line 6: pin map esp32-devkitc-v9: unknown board", err);
        Assert.Contains("line 7: expected 5 values", err);
        Assert.Contains("nothing was written", err);
        Assert.False(Directory.Exists(badOut));
    }

    [Fact]
    public void Config_validate_names_the_field_and_the_file()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("pat-val-").FullName, "hub.json");
        File.WriteAllText(file, File.ReadAllText(Path.Combine(Paths.RepoRoot, "tools", "PingAnTong.Edge.Simulator", "demo-config.json")).Replace("\"pin\": 27", "\"pin\": 7"));
        var (rc, _, err) = Pat("config", "validate", file, "--board", "esp32-devkitc-v4");
        Assert.Equal(1, rc);
        Assert.Contains(file + ": $.inputs[2].pin: GPIO7 (input \"door\") is not in the pin map of esp32-devkitc-v4", err);
        (rc, _, err) = Pat("config", "validate", file + ".missing");
        Assert.Equal(2, rc);
        Assert.Contains("file not found", err);
    }

    [Fact]
    public void No_secret_appears_in_any_tool_output_console_or_log()
    {
        string outDir = Directory.CreateTempSubdirectory("pat-secret-").FullName;
        string secretsFile = Path.Combine(Samples, "secrets.example.json");
        var secrets = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(secretsFile))!;
        var secretValues = secrets["wifi"]!.AsObject().Select(p => (string)p.Value!)
            .Concat(secrets["brokers"]!.AsObject().Select(p => (string)p.Value!))
            .Append((string)secrets["installerPin"]!).ToList();

        var all = new StringBuilder();
        var (rc, o, e) = Pat("provision", "--batch", Path.Combine(Samples, "batch.csv"), "--profiles", Path.Combine(Samples, "brokers.json"), "--secrets", secretsFile, "--out", outDir);
        Assert.Equal(0, rc);
        all.Append(o).Append(e);
        string hubDir = Path.Combine(outDir, "hub-0101");
        var config = File.ReadAllText(Path.Combine(hubDir, "config.json"));
        Assert.DoesNotContain((string)secrets["installerPin"]!, config); // only the salted hash is stored
        (_, o, e) = Pat("config", "validate", Path.Combine(hubDir, "config.json"));
        all.Append(o).Append(e);

        string image = Path.Combine(outDir, "PingAnTong.Edge.Esp32.bin");
        File.WriteAllBytes(image, new byte[16]);
        if (!OperatingSystem.IsWindows())
        {
            (rc, o, e) = Pat("flash", "--hub-dir", hubDir, "--port", "/dev/null", "--image", image, "--dry-run");
            Assert.True(rc == 0, o + e);
            Assert.Contains("--networkdeployment", o);
            all.Append(o).Append(e);
        }

        // The provisioned config in a hub: console output and the hub's log never show the secrets.
        var log = new StringWriter();
        string data = Directory.CreateTempSubdirectory("pat-secret-hub-").FullName;
        var hubConfig = ConfigParser.Parse(File.ReadAllBytes(Path.Combine(hubDir, "config.json")));
        hubConfig.Broker.Host = "127.0.0.1";
        hubConfig.Broker.Port = 1;
        using (var hub = new SimulatedHub(hubConfig, data, log, null, File.ReadAllBytes(Path.Combine(hubDir, "config.json"))))
        using (var server = new ConsoleServer(0, () => hub.Hub))
        {
            (_, o, e) = Pat("console", "--port", $"tcp://127.0.0.1:{server.Port}", "--exec", "config show", "--exec", "status", "--exec", "unlock " + (string)secrets["installerPin"]!, "--exec", "events 100");
            Assert.Contains("unlocked for", o);
            all.Append(o).Append(e);
        }
        all.Append(log);
        string text = all.ToString();
        foreach (var secret in secretValues) Assert.DoesNotContain(secret, text);
        Assert.Contains("\"pinHash\":\"***\"", text);
    }

    [Fact]
    public void Flash_scripts_explain_their_inputs_and_refuse_missing_ones()
    {
        if (OperatingSystem.IsWindows()) return;
        string script = Path.Combine(Paths.RepoRoot, "nanoff-config", "flash.sh");
        var (rc, o, _) = Bash(script, "--help");
        Assert.Equal(0, rc);
        Assert.Contains("Usage: nanoff-config/flash.sh --port PORT --image APP.bin --hub-dir DIR", o);

        (rc, _, var e) = Bash(script);
        Assert.Equal(2, rc);
        Assert.Contains("missing --port", e);
        (rc, _, e) = Bash(script, "--port", "/dev/does-not-exist", "--image", "x.bin", "--hub-dir", "/tmp");
        Assert.Equal(2, rc);
        Assert.Contains("--port /dev/does-not-exist: no such device", e);
        (rc, _, e) = Bash(script, "--port", "/dev/null", "--image", script, "--hub-dir", "/tmp");
        Assert.Contains("expected the .bin deployment image", e);
        string dir = Directory.CreateTempSubdirectory("pat-flash-").FullName;
        string bin = Path.Combine(dir, "app.bin");
        File.WriteAllBytes(bin, new byte[4]);
        (rc, _, e) = Bash(script, "--port", "/dev/null", "--image", bin, "--hub-dir", dir);
        Assert.Equal(2, rc);
        Assert.Contains("config.json is missing; run pat provision", e);
        Directory.CreateDirectory(Path.Combine(dir, "secret"));
        foreach (var f in new[] { "config.json", "deploy.json", "secret/network.json" }) File.WriteAllText(Path.Combine(dir, f), "{}");
        (rc, _, e) = Bash(script, "--port", "/dev/null", "--image", bin, "--hub-dir", dir, "--target", "ESP8266");
        Assert.Contains("--target ESP8266: not an ESP32 target", e);
        (rc, _, e) = Bash(script, "--port", "/dev/null", "--image", bin, "--hub-dir", dir, "--erase");
        Assert.Contains("--erase only works together with --update-firmware", e);
        (rc, o, e) = Bash(script, "--port", "/dev/null", "--image", bin, "--hub-dir", dir, "--update-firmware", "--dry-run");
        Assert.True(rc == 0, e);
        Assert.Contains("--update --target ESP32_REV3 --serialport /dev/null", o);
        Assert.Contains("--nanodevice --deploy --serialport /dev/null --image " + bin, o);
        Assert.Contains("--filedeployment " + Path.Combine(dir, "deploy.json"), o);
    }

    private static (int Rc, string Out, string Err) Bash(params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }
}
