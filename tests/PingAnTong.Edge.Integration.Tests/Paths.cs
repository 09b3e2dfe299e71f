using System.Reflection;

namespace PingAnTong.Edge.Tests;

public static class Paths
{
    public static string RepoRoot => Path.GetFullPath(typeof(Paths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!);

    public static string Schemas => Path.Combine(RepoRoot, "docs", "schemas");
}
