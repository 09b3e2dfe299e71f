using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Device;

namespace PingAnTong.Edge.Pat;

/// <summary><c>pat config validate</c>: the hub's own validator (ConfigParser), and optionally the board's pin map.</summary>
public static class ConfigValidate
{
    public static int Run(string file, string board, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(file))
        {
            stderr.WriteLine($"{file}: file not found");
            return 2;
        }
        var problems = Check(File.ReadAllBytes(file), board, out HubConfig config);
        foreach (var p in problems) stderr.WriteLine($"{file}: {p}");
        if (problems.Count > 0)
        {
            stderr.WriteLine($"{file}: refused ({problems.Count} problem(s)); the hub would keep its previous config");
            return 1;
        }
        stdout.WriteLine($"{file}: valid: hub {config.HubId} at {config.Location}, config version {config.Version}, {config.Inputs.Length} inputs, {config.Sensors.Length} sensors, broker {config.Broker.Host}:{config.Broker.Port}{(config.Broker.Tls ? " (TLS)" : "")}" +
            (board != null ? $", fits {board}" : ""));
        return 0;
    }

    /// <summary>Every problem, each naming its field; empty when the config is valid (and fits the board).</summary>
    public static List<string> Check(byte[] json, string board, out HubConfig config)
    {
        config = null;
        var problems = new List<string>();
        try
        {
            config = ConfigParser.Parse(json);
        }
        catch (ConfigException e)
        {
            problems.AddRange(e.Errors.Cast<string>());
            return problems;
        }
        if (board != null)
        {
            try
            {
                var map = LoadBoard(board);
                problems.AddRange(map.CheckConfig(config).Cast<string>());
            }
            catch (ConfigException e)
            {
                problems.AddRange(e.Errors.Cast<string>().Select(x => "pin map " + board + ": " + x));
            }
        }
        return problems;
    }

    public static PinMap LoadBoard(string board)
    {
        string path = File.Exists(board) ? board : PatCli.ShippedFile("boards", board + ".json");
        if (!File.Exists(path))
        {
            var known = Directory.Exists(PatCli.ShippedFile("boards"))
                ? Directory.GetFiles(PatCli.ShippedFile("boards"), "*.json").Select(Path.GetFileNameWithoutExtension)
                : Enumerable.Empty<string>();
            throw new ConfigException("pin map", new System.Collections.ArrayList { $"unknown board \"{board}\" (known: {string.Join(", ", known)})" });
        }
        return PinMap.Parse(File.ReadAllBytes(path));
    }
}
