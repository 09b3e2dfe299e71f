using System.Reflection;

namespace PingAnTong.Edge.Tests;

/// <summary>Paths baked in at build time (see the test project file).</summary>
public static class Paths
{
    private static string Meta(string key) =>
        typeof(Paths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;

    public static string NanoMscorlib => Meta("NanoMscorlib");

    public static string NanoCoreAssembly => Path.GetFullPath(Meta("NanoCoreAssembly"));

    public static string NanoDeviceAssembly => Path.GetFullPath(Meta("NanoDeviceAssembly"));

    public static string NanoTestsAssembly => Path.GetFullPath(Meta("NanoTestsAssembly"));

    public static string RepoRoot => Path.GetFullPath(Meta("RepoRoot"));

    public static string Schemas => Path.Combine(RepoRoot, "docs", "schemas");
}
