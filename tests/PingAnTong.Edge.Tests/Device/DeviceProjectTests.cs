using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Tests.NanoCompat;
using Xunit;

namespace PingAnTong.Edge.Tests.Device;

/// <summary>
/// The ESP32 application is compiled on Linux against the real mscorlib and the facades
/// (tests/PingAnTong.Edge.Esp32Check; the compiler is the test that every member used exists), whose bodies model
/// the ESP32 (the virtual ESP32, tests/PingAnTong.Edge.VirtualEsp32). These tests keep the facades honest and out of
/// anything shipped, and the nfproj in step with the sources.
/// </summary>
public class DeviceProjectTests
{
    private static string Root => Paths.RepoRoot;
    private static string DeviceDir => Path.Combine(Root, "firmware", "PingAnTong.Edge.Esp32");
    private static string FacadeDir => Path.Combine(Root, "tests", "PingAnTong.Edge.NanoFacades");

    private static string NanoTestsDir => Path.Combine(Root, "tests", "PingAnTong.Edge.Core.NanoTests");

    private static Dictionary<string, string> Packages(string dir) =>
        XDocument.Load(Path.Combine(dir, "packages.config")).Root!.Elements("package")
            .ToDictionary(p => p.Attribute("id")!.Value, p => p.Attribute("version")!.Value);

    private static Dictionary<string, string> DevicePackages() => Packages(DeviceDir);

    private static IEnumerable<(string File, BaseTypeDeclarationSyntax? Type, DelegateDeclarationSyntax? Delegate)> FacadeTypes()
    {
        foreach (var file in Directory.GetFiles(FacadeDir, "*.cs").Where(f => Path.GetFileName(f) != "Facade.cs"))
        {
            var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(file));
            foreach (var t in tree.GetRoot().DescendantNodes().OfType<BaseTypeDeclarationSyntax>().Where(t => t.Parent is not TypeDeclarationSyntax))
                yield return (Path.GetFileName(file), t, null);
            foreach (var d in tree.GetRoot().DescendantNodes().OfType<DelegateDeclarationSyntax>().Where(d => d.Parent is not TypeDeclarationSyntax))
                yield return (Path.GetFileName(file), null, d);
        }
    }

    /// <summary>The nfproj lists its sources explicitly; they must be exactly the .cs files on disk.</summary>
    private static void AssertCompilesEveryFile(XDocument nfproj, string dir)
    {
        XNamespace ns = "http://schemas.microsoft.com/developer/msbuild/2003";
        var listed = nfproj.Descendants(ns + "Compile").Select(c => c.Attribute("Include")!.Value.Replace('\\', '/')).OrderBy(x => x).ToList();
        var onDisk = Directory.GetFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/"))
            .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).OrderBy(x => x).ToList();
        Assert.Equal(onDisk, listed);
    }

    [Fact]
    public void Every_facade_type_cites_a_package_and_version_the_device_or_test_project_uses()
    {
        var packages = DevicePackages();
        foreach (var p in Packages(NanoTestsDir)) packages[p.Key] = p.Value;
        var types = FacadeTypes().ToList();
        Assert.True(types.Count >= 30, "expected the facade types, found " + types.Count);
        foreach (var (file, type, del) in types)
        {
            var attributes = type != null ? type.AttributeLists : del!.AttributeLists;
            string name = type != null ? type.Identifier.Text : del!.Identifier.Text;
            var mirrors = attributes.SelectMany(l => l.Attributes).FirstOrDefault(a => a.Name.ToString() == "Mirrors");
            Assert.True(mirrors != null, $"{file}: {name} lacks [Mirrors(package, version)]");
            var args = mirrors!.ArgumentList!.Arguments.Select(a => ((LiteralExpressionSyntax)a.Expression).Token.ValueText).ToArray();
            Assert.True(packages.TryGetValue(args[0], out var version), $"{file}: {name} mirrors {args[0]}, which neither firmware/PingAnTong.Edge.Esp32 nor tests/PingAnTong.Edge.Core.NanoTests lists in packages.config");
            Assert.True(version == args[1], $"{file}: {name} mirrors {args[0]} {args[1]}, but the device uses {version}");
        }
    }

    /// <summary>
    /// A facade file may instead model the real package, so the device code can run on Linux against it (Mqtt.cs: M2Mqtt over
    /// real sockets, for tests/PingAnTong.Edge.DeviceMqtt.Tests). Such a file starts with "// Model of" and names the release
    /// tag of every package version it mirrors ("at tag v1.2.3"), the sources its behaviour was ported from.
    /// </summary>
    private static bool IsModel(string text) => text.StartsWith("// Model of ", StringComparison.Ordinal);

    /// <summary>owner/repo@tag-or-commit:path, e.g. nanoframework/nf-interpreter@a3e8139...:targets/ESP32/_nanoCLR/...cpp.</summary>
    private static readonly Regex SourceCitation = new(@"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+:[A-Za-z0-9_./{},-]+\.(cs|cpp|c|h|csv)\b");

    /// <summary>
    /// A facade member either runs the virtual ESP32's model of the native behaviour (tests/PingAnTong.Edge.NanoFacades/Models)
    /// or throws Facade.NotOnDevice(), never anything in between; and a file with modelled members cites the native or
    /// library source it models (owner/repo@tag-or-commit:path), because CI cannot fetch it to check.
    /// </summary>
    [Fact]
    public void Every_facade_member_is_modelled_from_a_cited_source_or_throws()
    {
        int modelledFiles = 0;
        foreach (var file in Directory.GetFiles(FacadeDir, "*.cs").Where(f => Path.GetFileName(f) != "Facade.cs"))
        {
            string text = File.ReadAllText(file);
            if (IsModel(text))
            {
                var versions = Regex.Matches(text, @"\[Mirrors\(""[^""]+"", ""([^""]+)""\)\]").Select(m => m.Groups[1].Value).Distinct().ToList();
                Assert.NotEmpty(versions);
                foreach (var version in versions)
                    Assert.True(text.Contains("at tag v" + version, StringComparison.Ordinal), $"{Path.GetFileName(file)} models version {version} but does not name the tag it was ported from (\"at tag v{version}\")");
                continue;
            }
            var root = CSharpSyntaxTree.ParseText(text).GetRoot();
            var bodies = root.DescendantNodes().OfType<BaseMethodDeclarationSyntax>().Select(m => (Node: (SyntaxNode)m, m.Body, m.ExpressionBody))
                .Concat(root.DescendantNodes().OfType<AccessorDeclarationSyntax>().Select(a => (Node: (SyntaxNode)a, a.Body, a.ExpressionBody)));
            int modelled = 0;
            foreach (var (node, body, expression) in bodies)
            {
                if (node is MethodDeclarationSyntax m && m.Modifiers.Any(SyntaxKind.AbstractKeyword)) continue;
                if (node is AccessorDeclarationSyntax && node.Ancestors().OfType<PropertyDeclarationSyntax>().Any(p => p.Modifiers.Any(SyntaxKind.AbstractKeyword))) continue;
                bool throws = body != null
                    ? body.Statements.Count == 1 && body.Statements[0] is ThrowStatementSyntax t && t.Expression!.ToString() == "Facade.NotOnDevice()"
                    : expression != null && expression.Expression is ThrowExpressionSyntax;
                if (!throws) modelled++;
            }
            if (modelled == 0) continue;
            modelledFiles++;
            Assert.True(SourceCitation.IsMatch(text), $"{Path.GetFileName(file)} models {modelled} members but cites no source (owner/repo@tag-or-commit:path of the native or library code it follows)");
        }
        Assert.True(modelledFiles >= 7, "expected the modelled facades (GPIO, I2C, PWM, ESP32, networking, runtime, storage), found " + modelledFiles);
        foreach (var file in Directory.GetFiles(Path.Combine(FacadeDir, "Models"), "*.cs"))
        {
            string text = File.ReadAllText(file);
            if (!text.Contains("Model of", StringComparison.Ordinal)) continue;
            Assert.True(SourceCitation.IsMatch(text), $"Models/{Path.GetFileName(file)} says what it models but cites no source");
        }
    }

    [Fact]
    public void No_shipped_project_references_the_facades_or_the_compile_check()
    {
        var shipped = Directory.GetFiles(Path.Combine(Root, "firmware"), "*.*proj", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(Root, "tools"), "*.*proj", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .ToList();
        Assert.Contains(shipped, p => p.EndsWith("PingAnTong.Edge.Esp32.nfproj"));
        foreach (var project in shipped)
        {
            // Comments may mention the check; items (references, hint paths, compiled files, imports) must not.
            var values = XDocument.Load(project).Descendants()
                .SelectMany(e => e.Attributes().Select(a => a.Value).Append(e.HasElements ? "" : e.Value));
            Assert.DoesNotContain(values, v => v.Contains("NanoFacades") || v.Contains("Esp32Check"));
        }
        // The facade sources live in one folder and are compiled nowhere else.
        var facadeTypes = Directory.GetFiles(Path.Combine(Root, "firmware"), "*.cs", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("Facade.NotOnDevice")).ToList();
        Assert.Empty(facadeTypes);
    }

    [Fact]
    public void The_nfproj_compiles_every_device_source_and_references_exactly_the_packages_in_packages_config()
    {
        var nfproj = XDocument.Load(Path.Combine(DeviceDir, "PingAnTong.Edge.Esp32.nfproj"));
        XNamespace ns = "http://schemas.microsoft.com/developer/msbuild/2003";
        AssertCompilesEveryFile(nfproj, DeviceDir);

        var packages = DevicePackages();
        var hinted = nfproj.Descendants(ns + "HintPath").Select(h => h.Value.Split('\\')[3]).Distinct().ToList();
        foreach (var folder in hinted)
        {
            Assert.True(packages.Any(p => folder == p.Key + "." + p.Value), $"HintPath folder {folder} is not a package in packages.config");
        }
        foreach (var p in packages)
        {
            Assert.True(hinted.Contains(p.Key + "." + p.Value), $"packages.config lists {p.Key} {p.Value} but the nfproj references nothing from it");
        }
        Assert.Contains("{11A8DD76-328B-46DF-9F39-F559912D0360}", nfproj.ToString());
        string sln = File.ReadAllText(Path.Combine(Root, "PingAnTong.Edge.sln"));
        Assert.Contains("Project(\"{11A8DD76-328B-46DF-9F39-F559912D0360}\") = \"PingAnTong.Edge.Esp32\", \"firmware\\PingAnTong.Edge.Esp32\\PingAnTong.Edge.Esp32.nfproj\"", sln);
    }

    [Fact]
    public void The_device_and_nano_test_sources_compiled_against_nano_mscorlib_hold_nothing_nanoFramework_cannot_run()
    {
        foreach (var assembly in new[] { Paths.NanoDeviceAssembly, Paths.NanoTestsAssembly })
        {
            Assert.True(File.Exists(assembly), "compile-check output missing: " + assembly);
            var problems = NanoMetadataCheck.Check(assembly, "mscorlib", "PingAnTong.Edge.NanoFacades");
            Assert.True(problems.Count == 0, assembly + ":" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        }
    }

    [Fact]
    public void The_nfunittest_project_follows_the_launcher_rules_and_compiles_every_source()
    {
        var nfproj = XDocument.Load(Path.Combine(NanoTestsDir, "NFUnitTest.nfproj"));
        XNamespace ns = "http://schemas.microsoft.com/developer/msbuild/2003";
        Assert.Equal("NFUnitTest", nfproj.Descendants(ns + "AssemblyName").Single().Value);
        Assert.Contains(nfproj.Descendants(ns + "ProjectCapability"), e => e.Attribute("Include")!.Value == "TestContainer");
        Assert.Contains(nfproj.Descendants(ns + "RunSettingsFilePath"), e => e.Value.EndsWith("nano.runsettings"));
        AssertCompilesEveryFile(nfproj, NanoTestsDir);
        var settings = XDocument.Load(Path.Combine(NanoTestsDir, "nano.runsettings"));
        Assert.Equal("False", settings.Descendants("IsRealHardware").Single().Value);
        Assert.Equal("3.0.80", Packages(NanoTestsDir)["nanoFramework.TestFramework"]);
        string workflow = File.ReadAllText(Path.Combine(Root, ".github", "workflows", "nanoframework.yml"));
        Assert.Contains("NFUnitTest.dll", workflow);
        Assert.Contains("nano.runsettings", workflow);
    }

    [Fact]
    public void The_built_in_unprovisioned_config_is_valid()
    {
        string program = File.ReadAllText(Path.Combine(DeviceDir, "Program.cs"));
        var m = Regex.Match(program, @"UnprovisionedConfig = (""(?:[^""\\]|\\.)*""(?:\s*\+\s*""(?:[^""\\]|\\.)*"")*);");
        Assert.True(m.Success, "UnprovisionedConfig not found in Program.cs");
        string json = string.Concat(Regex.Matches(m.Groups[1].Value, @"""((?:[^""\\]|\\.)*)""").Select(x => Regex.Unescape(x.Groups[1].Value)));
        var config = ConfigParser.Parse(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.Equal("unprovisioned", config.HubId);
        var map = PingAnTong.Edge.Core.Device.PinMap.Parse(File.ReadAllBytes(Path.Combine(Root, "hardware", "boards", "esp32-devkitc-v4.json")));
        Assert.Empty(map.CheckConfig(config).Cast<string>());
    }
}
