using PingAnTong.Edge.Core.Device;
using PingAnTong.Edge.Fakes;

namespace PingAnTong.Edge.Bench;

/// <summary>
/// Prints the hub's managed heap (nanoCLR heap-block model, <see cref="NanoHeapModel"/>) and its peak use
/// of I:\ (LittleFS 4 KB-block model, <see cref="BlockCountingStore"/>) for each scenario of
/// <see cref="BudgetScenarios"/> on each board of hardware/boards, against the board's budgets.
/// PAT_BENCH_BOARDS (comma list of board file names without .json) and PAT_BENCH_DAYS narrow the run.
/// </summary>
public static class BudgetReport
{
    public static void Print()
    {
        string dir = FindBoards();
        string only = Environment.GetEnvironmentVariable("PAT_BENCH_BOARDS");
        int days = int.TryParse(Environment.GetEnvironmentVariable("PAT_BENCH_DAYS"), out int d) ? d : 7;
        Console.WriteLine($"memory budgets:       board                     scenario   heap KiB (peak)   budget   I:\\ peak KiB  budget   outbox entries/limit  capacity KiB  evicted  open alarms");
        foreach (string file in Directory.GetFiles(dir, "*.json").OrderBy(f => f))
        {
            string name = Path.GetFileNameWithoutExtension(file);
            if (only != null && !only.Split(',').Contains(name)) continue;
            BoardProfile board = PinMap.Parse(File.ReadAllBytes(file)).Profile;
            foreach (string scenario in BudgetScenarios.Names)
            {
                var f = BudgetScenarios.Run(scenario, board, days);
                bool ok = f.HeapPeakBytes <= board.HeapBudgetBytes && f.FlashPeakBytes <= board.FileSystemBudgetBytes;
                Console.WriteLine($"                      {name,-25} {scenario,-8} {f.HeapBytes / 1024.0,8:F1} ({f.HeapPeakBytes / 1024.0,6:F1}) {board.HeapBudgetBytes / 1024,8} {f.FlashPeakBytes / 1024.0,12:F0} {board.FileSystemBudgetBytes / 1024,8} {f.OutboxEntries,10}/{f.OutboxMaxEntries,-6} {f.OutboxCapacityBytes / 1024,12} {f.Evicted,8} {f.OpenAlarms,7}  {(ok ? "within budget" : "OVER BUDGET")}");
                if (Environment.GetEnvironmentVariable("PAT_BENCH_FILES") == "1") Console.WriteLine("                        I:\\ at peak: " + f.PeakFiles + "\n                        heap by type: " + f.TopTypes);
            }
        }
    }

    private static string FindBoards()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "hardware", "boards");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("hardware/boards not found above " + AppContext.BaseDirectory);
    }
}
