using PingAnTong.Edge.Pat;

namespace PingAnTong.Edge.Tests;

/// <summary>pat in-process for tests: its exit code and output, and a provisioning run over a batch the test writes.</summary>
public static class PatRun
{
    public static string Samples => Path.Combine(Paths.RepoRoot, "tools", "PingAnTong.Edge.Pat", "samples");

    public static (int Rc, string Out, string Err) RunPat(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int rc = PatCli.Run(args, stdout, stderr, new StringReader(""));
        return (rc, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Writes batch.csv, brokers.json and secrets.json into <paramref name="inputDir"/> and runs pat provision into <paramref name="outDir"/>; throws with pat's errors when it fails.</summary>
    public static void Provision(string inputDir, string outDir, string batchCsv, string brokersJson, string secretsJson)
    {
        Directory.CreateDirectory(inputDir);
        string batch = Path.Combine(inputDir, "batch.csv"), brokers = Path.Combine(inputDir, "brokers.json"), secrets = Path.Combine(inputDir, "secrets.json");
        File.WriteAllText(batch, batchCsv);
        File.WriteAllText(brokers, brokersJson);
        File.WriteAllText(secrets, secretsJson);
        var (rc, _, err) = RunPat("provision", "--batch", batch, "--profiles", brokers, "--secrets", secrets, "--out", outDir);
        if (rc != 0) throw new InvalidOperationException("pat provision failed: " + err);
    }
}
