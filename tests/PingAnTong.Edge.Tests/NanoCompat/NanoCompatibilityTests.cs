using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace PingAnTong.Edge.Tests.NanoCompat;

/// <summary>
/// The core compiles against the real nanoFramework mscorlib (the NanoCheck project; a failure
/// there fails the build) and its metadata holds nothing nanoFramework 1.x cannot run. The checker
/// itself is tested on samples compiled the same way, so it cannot silently pass everything.
/// </summary>
public class NanoCompatibilityTests
{
    [Fact]
    public void Core_compiled_against_nano_mscorlib_has_no_constructs_nanoFramework_cannot_run()
    {
        Assert.True(File.Exists(Paths.NanoCoreAssembly), "NanoCheck output missing: " + Paths.NanoCoreAssembly);
        var problems = NanoMetadataCheck.Check(Paths.NanoCoreAssembly);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Json_and_Config_never_index_into_a_string()
    {
        // Issue 13: nanoCLR keeps strings as UTF-8, so s[i] re-scans the string (a loop over it is
        // quadratic) and returns the wrong character after a surrogate pair; take ToCharArray once.
        var callers = NanoMetadataCheck.CallersOf(Paths.NanoCoreAssembly, "System.String::get_Chars", "PingAnTong.Edge.Core.Json.")
            .Concat(NanoMetadataCheck.CallersOf(Paths.NanoCoreAssembly, "System.String::get_Chars", "PingAnTong.Edge.Core.Config.")).ToList();
        Assert.True(callers.Count == 0, "s[i] in: " + string.Join(", ", callers));
        // The check itself sees indexing where there is some.
        Assert.NotEmpty(NanoMetadataCheck.CallersOf(Paths.NanoCoreAssembly, "System.String::get_Chars", "PingAnTong.Edge.Core."));
    }

    [Fact]
    public void Core_is_compiled_with_language_version_9()
    {
        string props = File.ReadAllText(Path.Combine(Paths.RepoRoot, "Directory.Build.props"));
        Assert.Contains("<CoreLangVersion>9.0</CoreLangVersion>", props);
        string nfproj = File.ReadAllText(Path.Combine(Paths.RepoRoot, "firmware", "PingAnTong.Edge.Core", "PingAnTong.Edge.Core.nfproj"));
        Assert.Contains("<LangVersion>9.0</LangVersion>", nfproj);
    }

    [Fact]
    public void A_List_of_int_does_not_compile_against_nano_mscorlib()
    {
        var (diagnostics, _) = Compile("using System.Collections.Generic; class A { List<int> x = new List<int>(); }");
        Assert.Contains(diagnostics, d => d.Severity == DiagnosticSeverity.Error && (d.Id == "CS0234" || d.Id == "CS0246"));
    }

    [Fact]
    public void Math_and_StringBuilder_do_not_compile_against_nano_mscorlib()
    {
        var (diagnostics, _) = Compile("class A { int M() { var sb = new System.Text.StringBuilder(); return System.Math.Abs(-1); } }");
        Assert.Contains(diagnostics, d => d.Id == "CS0234");
    }

    [Fact]
    public void Checker_flags_enum_ToString()
    {
        var problems = CheckSample("enum Color { Red } class A { string M(Color c) { return c.ToString(); } }");
        Assert.Contains(problems, p => p.Contains("Enum.ToString"));
    }

    [Fact]
    public void Checker_flags_enum_concatenated_into_text()
    {
        var problems = CheckSample("enum Color { Red } class A { string M(Color c) { return \"colour \" + c; } }");
        Assert.Contains(problems, p => p.Contains("Enum.ToString"));
    }

    [Fact]
    public void Checker_flags_generic_delegate_instantiation()
    {
        var problems = CheckSample("class A { void M() { System.Action<int> a = x => { }; a(1); } }");
        Assert.Contains(problems, p => p.Contains("generic instantiation"));
    }

    [Fact]
    public void Checker_flags_own_generic_types_and_methods()
    {
        var problems = CheckSample("class Box<T> { T v; } class A { T Id<T>(T x) { return x; } int M() { return Id(1); } }");
        Assert.Contains(problems, p => p.Contains("generic definition: type Box`1"));
        Assert.Contains(problems, p => p.Contains("generic method instantiation: Id"));
    }

    [Fact]
    public void Checker_flags_multidimensional_arrays()
    {
        var problems = CheckSample("class A { int M() { int[,] g = new int[2, 2]; return g[1, 1]; } }");
        Assert.Contains(problems, p => p.Contains("multidimensional array"));
    }

    [Fact]
    public void Checker_flags_references_to_other_assemblies()
    {
        var (_, lib) = Compile("public class Lib { public static int X() { return 1; } }", "OtherLib");
        var libRef = MetadataReference.CreateFromImage(lib!);
        var problems = CheckSample("class A { int M() { return Lib.X(); } }", libRef);
        Assert.Contains(problems, p => p.Contains("assembly reference 'OtherLib'"));
    }

    [Fact]
    public void Checker_passes_plain_nano_code()
    {
        var problems = CheckSample("enum Color { Red } class A { System.Collections.ArrayList l = new System.Collections.ArrayList(); int[][] j; string M(Color c) { return c == Color.Red ? \"red\" : \"other\"; } }");
        Assert.Empty(problems);
    }

    private static List<string> CheckSample(string source, MetadataReference extra = null)
    {
        var (diagnostics, image) = Compile(source, "Sample", extra);
        Assert.True(image != null, string.Join("\n", diagnostics));
        return NanoMetadataCheck.Check(image!);
    }

    private static (List<Diagnostic>, byte[]) Compile(string source, string name = "Sample", MetadataReference extra = null)
    {
        var refs = new List<MetadataReference> { MetadataReference.CreateFromFile(Paths.NanoMscorlib) };
        if (extra != null) refs.Add(extra);
        var compilation = CSharpCompilation.Create(name,
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp9)) },
            refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var ms = new MemoryStream();
        var result = compilation.Emit(ms);
        return (result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList(), result.Success ? ms.ToArray() : null);
    }
}
