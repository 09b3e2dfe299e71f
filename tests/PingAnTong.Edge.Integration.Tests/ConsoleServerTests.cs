using System.Net.Sockets;
using System.Text;
using PingAnTong.Edge.Simulator;
using PingAnTong.Edge.Simulator.Adapters;
using Xunit;

namespace PingAnTong.Edge.Tests;

/// <summary>
/// Issue 16, finding 11: the simulator's TCP console buffered a line without limit (a 300 MB line
/// took it to 1.1 GB). Lines are now bounded as on the device (256 bytes); a longer one is
/// discarded up to its newline and the client told, and the console goes on working.
/// </summary>
public class ConsoleServerTests
{
    private static async Task<List<ConsoleLine>> ReadAll(Stream stream)
    {
        var reader = new ConsoleLineReader(stream);
        var lines = new List<ConsoleLine>();
        ConsoleLine line;
        while ((line = await reader.ReadLineAsync(CancellationToken.None)) != null) lines.Add(line);
        return lines;
    }

    [Fact]
    public async Task Lines_are_split_like_the_device_and_a_long_one_is_discarded_whole()
    {
        string exact = new string('x', ConsoleLineReader.MaxLineBytes);
        byte[] input = Encoding.UTF8.GetBytes("status\r\n" + new string('a', 300_000) + "\nhelp\r" + exact + "\n" + exact + "y\r\n平安\ntail");
        var lines = await ReadAll(new MemoryStream(input));
        Assert.Equal(new[] { "status", null, "help", exact, null, "平安", "tail" }, lines.Select(l => l.Text));
        Assert.Equal(300_000, lines[1].Bytes);
        Assert.Equal(ConsoleLineReader.MaxLineBytes + 1, lines[4].Bytes);
    }

    [Fact]
    public async Task An_endless_line_costs_no_more_memory_than_a_short_one()
    {
        var stream = new MemoryStream(new byte[16 << 20]); // 16 MB of zero bytes and no newline
        await ReadAll(new MemoryStream(new byte[10]));     // warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        var lines = await ReadAll(stream);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(Assert.Single(lines).TooLong);
        Assert.True(allocated < 64 * 1024, $"reading a 16 MB line allocated {allocated} bytes");
    }

    [Fact]
    public void A_line_over_the_limit_gets_an_error_and_the_console_keeps_working()
    {
        string folder = Directory.CreateTempSubdirectory("console-line-").FullName;
        string configFile = Path.Combine(Paths.RepoRoot, "tools", "PingAnTong.Edge.Simulator", "demo-config.json");
        var config = SimulatedHub.LoadConfig(configFile);
        config.Broker.Port = 1; // no broker needed: the console works offline
        using var hub = new SimulatedHub(config, folder, TextWriter.Null, null, File.ReadAllBytes(configFile));
        using var server = new ConsoleServer(0, () => hub.Hub);
        using var client = new TcpClient("127.0.0.1", server.Port) { ReceiveTimeout = 30_000 };
        var stream = client.GetStream();

        byte[] huge = Encoding.ASCII.GetBytes("config set location " + new string('a', 1 << 20));
        stream.Write(huge);
        stream.Write(Encoding.ASCII.GetBytes("\nstatus\n"));
        string text = ReadUntil(stream, "hub hub-0001");
        Assert.Contains($"error: line of {huge.Length} bytes discarded; the console takes lines of at most 256 bytes", text);
        Assert.True(text.Length < 4096, "the reply never echoes the line");
        Assert.Equal("350102-001-0001", hub.Hub.Config.Location);
    }

    /// <summary>Reads replies until <paramref name="marker"/> appears; a blocking read with the socket's timeout, no sleeping.</summary>
    private static string ReadUntil(NetworkStream stream, string marker)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (!text.ToString().Contains(marker))
        {
            int n = stream.Read(buffer, 0, buffer.Length);
            if (n == 0) break;
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        return text.ToString();
    }
}
