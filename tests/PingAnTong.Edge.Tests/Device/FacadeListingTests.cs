using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PingAnTong.Edge.ApiListing;
using Xunit;

namespace PingAnTong.Edge.Tests.Device;

/// <summary>
/// The compile-only facades (tests/PingAnTong.Edge.NanoFacades) against the public API listings of the real
/// packages (tests/api-listings, written by tools/PingAnTong.Edge.ApiListing from each package's sources at
/// its release tag). Every facade type and member must be in the listing of the package its [Mirrors] names,
/// with the identical line (kind, base type or enum type, modifiers, parameters with names and defaults,
/// accessors, enum values); a facade may leave out what the device does not use. Works offline: it reads
/// the checked-in listings only.
/// </summary>
public class FacadeListingTests
{
    private static string Root => Paths.RepoRoot;
    private static string ListingDir => Path.Combine(Root, "tests", "api-listings");
    private static string FacadeDir => Path.Combine(Root, "tests", "PingAnTong.Edge.NanoFacades");

    private static Dictionary<string, string> Pinned()
    {
        var result = new Dictionary<string, string>();
        foreach (var dir in new[] { Path.Combine(Root, "firmware", "PingAnTong.Edge.Esp32"), Path.Combine(Root, "tests", "PingAnTong.Edge.Core.NanoTests") })
        {
            foreach (var p in XDocument.Load(Path.Combine(dir, "packages.config")).Root!.Elements("package"))
                result[p.Attribute("id")!.Value] = p.Attribute("version")!.Value;
        }
        return result;
    }

    private sealed record Listing(Dictionary<string, string> Header, HashSet<string> Lines);

    private static Listing ReadListing(string package)
    {
        var header = new Dictionary<string, string>();
        var lines = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(ListingDir, package + ".txt")))
        {
            var m = Regex.Match(line, @"^# ([a-z]+): (.*)$");
            if (m.Success) header[m.Groups[1].Value] = m.Groups[2].Value;
            else if (line.Length > 0 && !line.StartsWith('#')) lines.Add(line);
        }
        return new Listing(header, lines);
    }

    private static CSharpCompilation CompileFacades()
    {
        var trees = Directory.GetFiles(FacadeDir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), new CSharpParseOptions(LanguageVersion.CSharp9), path: f));
        var compilation = CSharpCompilation.Create("PingAnTong.Edge.NanoFacades", trees,
            new[] { MetadataReference.CreateFromFile(Paths.NanoMscorlib) }, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        return compilation;
    }

    private static string MirroredPackage(INamedTypeSymbol type)
    {
        while (type.ContainingType != null) type = type.ContainingType;
        var mirrors = type.GetAttributes().Single(a => a.AttributeClass!.Name == "MirrorsAttribute");
        return (string)mirrors.ConstructorArguments[0].Value!;
    }

    [Fact]
    public void Every_pinned_package_has_a_listing_of_its_version_with_its_source_named()
    {
        var pinned = Pinned();
        foreach (var (id, version) in pinned)
        {
            Assert.True(File.Exists(Path.Combine(ListingDir, id + ".txt")), $"no listing tests/api-listings/{id}.txt: run tools/PingAnTong.Edge.ApiListing (README there)");
            var header = ReadListing(id).Header;
            Assert.Equal(id, header["package"]);
            Assert.True(header["version"] == version, $"{id}.txt lists {header["version"]} but packages.config pins {version}: regenerate it");
            Assert.StartsWith("https://github.com/", header["repository"]);
            Assert.Matches("^[0-9a-f]{40}$", header["commit"]);
            Assert.True(header["ref"] == "v" + version || header.ContainsKey("note"), $"{id}.txt is listed from {header["ref"]}, not v{version}, and says nothing about why");
        }
        var extra = Directory.GetFiles(ListingDir, "*.txt").Select(Path.GetFileNameWithoutExtension).Where(f => !pinned.ContainsKey(f!)).ToList();
        Assert.True(extra.Count == 0, "listings of packages nothing pins: " + string.Join(", ", extra));
    }

    [Fact]
    public void Every_facade_type_and_member_is_in_the_listing_of_its_package_with_the_identical_signature()
    {
        var compilation = CompileFacades();
        var listings = new Dictionary<string, Listing>();
        var problems = new List<string>();
        int checkedLines = 0;
        var types = ApiLister.VisibleTypes(compilation.Assembly).Where(t => t.ContainingNamespace.ToDisplayString() != "PingAnTong.Edge.NanoFacades").ToList();
        Assert.True(types.Count >= 30, "expected the facade types, found " + types.Count);
        foreach (var type in types)
        {
            string package = MirroredPackage(type);
            if (!listings.TryGetValue(package, out var listing)) listings[package] = listing = ReadListing(package);
            foreach (var line in ApiLister.List(new[] { type }))
            {
                checkedLines++;
                if (listing.Lines.Contains(line)) continue;
                // Show what the package has under the same type and member name.
                string key = line.Contains(" :: ") ? line.Substring(0, line.IndexOf(" :: ", StringComparison.Ordinal) + 4) : line.Substring(0, line.IndexOf(" = ", StringComparison.Ordinal) + 3);
                string name = MemberName(line);
                var near = listing.Lines.Where(l => l.StartsWith(key, StringComparison.Ordinal) && (name.Length == 0 || MemberName(l) == name)).OrderBy(l => l, StringComparer.Ordinal).ToList();
                if (near.Count == 0)
                {
                    // Maybe in another namespace: the same simple type name (and member name).
                    string simple = SimpleTypeName(line);
                    near = listing.Lines.Where(l => SimpleTypeName(l) == simple && MemberName(l) == name && l.Contains(" :: ") == line.Contains(" :: "))
                        .OrderBy(l => l, StringComparer.Ordinal).ToList();
                }
                problems.Add($"facade:  {line}{Environment.NewLine}  {package} {listing.Header["version"]} has: " +
                    (near.Count == 0 ? "nothing of that name" : string.Join(Environment.NewLine + "           ", near)));
            }
        }
        Assert.True(checkedLines > 100, "checked only " + checkedLines + " lines");
        Assert.True(problems.Count == 0, problems.Count + " facade lines differ from the real API:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }

    private static string SimpleTypeName(string line)
    {
        string type = line.Substring(0, line.IndexOf(' '));
        return type.Substring(type.LastIndexOf('.') + 1);
    }

    /// <summary>The member's name in a member line ("" for a type line): the word before its "(", " {", " =" or the end.</summary>
    private static string MemberName(string line)
    {
        int at = line.IndexOf(" :: ", StringComparison.Ordinal);
        if (at < 0) return "";
        string rest = line.Substring(at + 4);
        int end = rest.Length;
        foreach (var stop in new[] { "(", " {", " =" })
        {
            int i = rest.IndexOf(stop, StringComparison.Ordinal);
            if (i >= 0 && i < end) end = i;
        }
        rest = rest.Substring(0, end);
        return rest.Substring(rest.LastIndexOf(' ') + 1);
    }

    [Fact]
    public void The_listing_format_is_stable()
    {
        const string source = @"
namespace N
{
    [System.Flags] public enum E : byte { A = 1, B = A << 1 }
    public delegate void D(object sender, E e);
    public struct S { public int F; public S(int x) { F = x; } }
    public abstract class C : System.IDisposable
    {
        public const string K = ""k"";
        internal C() { }
        protected C(int x) { }
        public static int P { get; private set; }
        public int this[int i] { get { return i; } protected set { } }
        public event D Changed;
        public abstract void M(ref int a, out string b, params object[] rest);
        public virtual E N(E e = E.B, string s = null, System.Exception x = null) { return e; }
        public void Dispose() { }
        protected void Hidden() { }
        private void Private() { }
        public class Inner { }
    }
    public static class X { public static void Ext(this string s, int n = 5) { } }
    internal class Invisible { }
}";
        var compilation = CSharpCompilation.Create("sample", new[] { CSharpSyntaxTree.ParseText(source) },
            new[] { MetadataReference.CreateFromFile(Paths.NanoMscorlib) }, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var lines = ApiLister.List(ApiLister.VisibleTypes(compilation.Assembly));
        Assert.Equal(new[]
        {
            "N.C = public abstract class : object, System.IDisposable",
            "N.C :: protected .ctor(int x)",
            "N.C :: protected void Hidden()",
            "N.C :: public abstract void M(ref int a, out string b, params object[] rest)",
            "N.C :: public const string K = \"k\"",
            "N.C :: public event N.D Changed",
            "N.C :: public int this[int i] { get; protected set; }",
            "N.C :: public static int P { get; }",
            "N.C :: public virtual N.E N(N.E e = N.E.B, string s = null, System.Exception x = null)",
            "N.C :: public void Dispose()",
            "N.C.Inner = public class : object",
            "N.C.Inner :: public .ctor()",
            "N.D = public delegate void D(object sender, N.E e)",
            "N.E = public enum : byte [Flags]",
            "N.E :: A = 1",
            "N.E :: B = 2",
            "N.S = public struct",
            "N.S :: public .ctor(int x)",
            "N.S :: public int F",
            "N.X = public static class : object",
            "N.X :: public static void Ext(this string s, int n = 5)",
        }, lines);
    }
}
