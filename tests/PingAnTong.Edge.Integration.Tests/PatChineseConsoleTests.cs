using System.Text.Json.Nodes;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Pat;
using PingAnTong.Edge.Simulator;
using PingAnTong.Edge.Simulator.Adapters;
using Xunit;
using static PingAnTong.Edge.Tests.PatRun;

namespace PingAnTong.Edge.Tests;

/// <summary>
/// Issue 15 item 3, the hub side: a hub provisioned from the installer template answers in Chinese
/// (console.language zh-CN), and pat's console flows work the same against it: replies read to the prompt,
/// the prompt stripped, exit 1 exactly when a reply has an "error:" line, the PIN never shown.
/// </summary>
public class PatChineseConsoleTests
{
    [Fact]
    public void Pat_console_flows_work_against_a_chinese_console()
    {
        string outDir = Directory.CreateTempSubdirectory("pat-zh-").FullName;
        var (rc, output, err) = RunPat("provision", "--batch", Path.Combine(Samples, "batch.csv"), "--profiles", Path.Combine(Samples, "brokers.json"),
            "--secrets", Path.Combine(Samples, "secrets.example.json"), "--out", outDir);
        Assert.True(rc == 0, err);
        string hubDir = Path.Combine(outDir, "hub-0101");
        byte[] configBytes = File.ReadAllBytes(Path.Combine(hubDir, "config.json"));
        Assert.Equal("zh-CN", (string)JsonNode.Parse(configBytes)!["console"]!["language"]!);
        string pin = File.ReadAllText(Path.Combine(hubDir, "secret", "installer-pin")).Trim();

        var config = ConfigParser.Parse(configBytes);
        config.Broker.Host = "127.0.0.1";
        config.Broker.Port = 1; // no broker needed: the console works offline
        using var hub = new SimulatedHub(config, Directory.CreateTempSubdirectory("pat-zh-hub-").FullName, TextWriter.Null, null, configBytes);
        using var server = new ConsoleServer(0, () => hub.Hub);
        string port = $"tcp://127.0.0.1:{server.Port}";

        (rc, output, err) = RunPat("console", "--port", port, "--exec", "help", "--exec", "status", "--exec", "unlock " + pin,
            "--exec", "config set heartbeatMinutes 7", "--exec", "config apply", "--exec", "config show", "--exec", "lock");
        Assert.True(rc == 0, output + err);
        Assert.Contains("help                   显示本列表", output);
        Assert.Contains("网关 hub-0101，位置 ", output);
        Assert.Contains("控制台已上锁", output);
        Assert.Contains("已解锁 10 分钟", output);
        Assert.Contains("已设置 heartbeatMinutes = 7（1 项修改待生效；config apply 校验并生效）", output);
        Assert.Contains("已生效配置版本 2", output);
        Assert.Contains("heartbeatMinutes = 7", output); // config show: the same JSON lines as in English
        Assert.Contains("\"language\":\"zh-CN\"", output);
        Assert.DoesNotContain("pat> ", output);
        Assert.DoesNotContain(pin, output);
        Assert.Equal(7, hub.Hub.Config.HeartbeatMinutes);

        // A config the hub refuses: its validator's problems (English in the core) are said in Chinese by pat, paths kept.
        (rc, output, _) = RunPat("console", "--port", port, "--exec", "unlock " + pin, "--exec", "config set heartbeatMinutes 0",
            "--exec", "config set topicPrefix pat/v1/", "--exec", "config apply", "--exec", "config discard", "--exec", "lock");
        Assert.True(rc == 1, output);
        string refused = output.Split('\n').Single(l => l.StartsWith("error: config apply"));
        Assert.StartsWith("error: config apply 被拒绝，未做任何修改：配置被拒绝：$.topicPrefix：应为像 \"pat/v1\" 这样的主题层级，开头和结尾不能有 '/'；", refused);
        Assert.True(refused.Contains("；$.heartbeatMinutes：应为 1 到 60 的整数，实际为 0"), output);
        Assert.EndsWith("（保留正在运行的配置版本 2）", refused);
        Assert.DoesNotContain("expected", refused);
        Assert.Equal(7, hub.Hub.Config.HeartbeatMinutes);

        // A Chinese error reply still fails the script (pat console looks for "error:" at the start of a line).
        (rc, output, _) = RunPat("console", "--port", port, "--exec", "status", "--exec", "frobnicate");
        Assert.Equal(1, rc);
        Assert.Contains("error: 未知命令 \"frobnicate\"；输入 help 查看命令", output);
        (rc, output, _) = RunPat("console", "--port", port, "--exec", "unlock 00000000");
        Assert.Equal(1, rc);
        Assert.Contains("error: unlock：PIN 错误", output);
        Assert.DoesNotContain("00000000", output);

        // Switched back to English from the console, the same flows read English.
        System.Threading.Thread.Sleep(2100); // the pause after a wrong PIN
        (rc, output, err) = RunPat("console", "--port", port, "--exec", "unlock " + pin, "--exec", "config set console.language en", "--exec", "config apply", "--exec", "lock");
        Assert.True(rc == 0, output + err);
        Assert.Contains("applied config version 3", output);
        Assert.EndsWith("locked\n", output.Replace("\r\n", "\n"));
    }

    [Fact]
    public void The_simulator_console_greets_and_refuses_long_lines_in_the_configured_language()
    {
        string json = File.ReadAllText(Path.Combine(Paths.RepoRoot, "tools", "PingAnTong.Edge.Simulator", "demo-config.json"))
            .Replace("\"unlockMinutes\": 10 }", "\"unlockMinutes\": 10, \"language\": \"zh-CN\" }");
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(json);
        var config = ConfigParser.Parse(bytes);
        Assert.Equal("zh-CN", config.ConsoleLanguage);
        config.Broker.Port = 1;
        using var hub = new SimulatedHub(config, Directory.CreateTempSubdirectory("pat-zh-sim-").FullName, TextWriter.Null, null, bytes);
        using var server = new ConsoleServer(0, () => hub.Hub);
        using var client = new System.Net.Sockets.TcpClient("127.0.0.1", server.Port);
        var stream = client.GetStream();
        byte[] line = System.Text.Encoding.UTF8.GetBytes(new string('x', 300) + "\n");
        stream.Write(line);
        string text = "";
        var buffer = new byte[4096];
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && System.Text.RegularExpressions.Regex.Matches(text, "pat> ").Count < 2)
        {
            stream.ReadTimeout = 1000;
            try { int n = stream.Read(buffer); if (n <= 0) break; text += System.Text.Encoding.UTF8.GetString(buffer, 0, n); } catch (IOException) { }
        }
        Assert.Contains("PingAnTong.Edge 网关控制台（模拟器）；输入 help 查看命令", text);
        Assert.Contains("error: 300 字节的一行已丢弃；控制台每行最多 256 字节", text);
    }
}
