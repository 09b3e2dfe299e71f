using System.Diagnostics;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PingAnTong.Edge.ApiListing;

// Writes the public API listing of each nanoFramework package the device projects pin (see README.md).
//   generate --manifest sources.txt --packages-config A [--packages-config B] --git-dir "/path/{owner}+{name}/repo"
//            --mscorlib mscorlib.dll --out tests/api-listings [--only PackageId]
//   assembly --mscorlib mscorlib.dll FILE.dll          list a compiled assembly (to cross-check a listing)
//   facades  --mscorlib mscorlib.dll DIR               list the compile-only facades in DIR
var options = Options.Parse(args);
try
{
    switch (options.Command)
    {
        case "generate": return Generator.Run(options);
        case "assembly":
        {
            var mscorlib = MetadataReference.CreateFromFile(options.One("mscorlib"));
            var target = options.Positional.Single();
            var refs = new List<MetadataReference> { mscorlib };
            if (Path.GetFullPath(target) != Path.GetFullPath(options.One("mscorlib"))) refs.Add(MetadataReference.CreateFromFile(target));
            var compilation = CSharpCompilation.Create("listing", references: refs);
            var assembly = refs.Select(r => (IAssemblySymbol)compilation.GetAssemblyOrModuleSymbol(r)!).Last();
            foreach (var line in ApiLister.List(ApiLister.VisibleTypes(assembly))) Console.WriteLine(line);
            return 0;
        }
        case "facades":
        {
            var dir = options.Positional.Single();
            var trees = Directory.GetFiles(dir, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")).OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f));
            var compilation = CSharpCompilation.Create("facades", trees, new[] { MetadataReference.CreateFromFile(options.One("mscorlib")) },
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            foreach (var d in compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)) Console.Error.WriteLine(d);
            foreach (var line in ApiLister.List(ApiLister.VisibleTypes(compilation.Assembly))) Console.WriteLine(line);
            return 0;
        }
        default:
            Console.Error.WriteLine("usage: generate | assembly | facades (see tools/PingAnTong.Edge.ApiListing/README.md)");
            return 2;
    }
}
catch (ListingException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 1;
}

internal sealed class ListingException : Exception
{
    public ListingException(string message) : base(message) { }
}

internal sealed class Options
{
    public string Command = "";
    public readonly Dictionary<string, List<string>> Named = new();
    public readonly List<string> Positional = new();

    public static Options Parse(string[] args)
    {
        var o = new Options { Command = args.Length > 0 ? args[0] : "" };
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                string key = args[i].Substring(2);
                if (!o.Named.TryGetValue(key, out var list)) o.Named[key] = list = new List<string>();
                list.Add(args[++i]);
            }
            else o.Positional.Add(args[i]);
        }
        return o;
    }

    public string One(string key) => Named.TryGetValue(key, out var v) && v.Count == 1 ? v[0] : throw new ListingException("--" + key + " is needed once");
    public string? Maybe(string key) => Named.TryGetValue(key, out var v) ? v.Single() : null;
    public IReadOnlyList<string> All(string key) => Named.TryGetValue(key, out var v) ? v : new List<string>();
}

/// <summary>One line of sources.txt: where a package's sources are and how its assemblies are compiled.</summary>
internal sealed class Source
{
    public string Id = "";
    public string Repository = ""; // owner/name on GitHub
    public List<string> Projects = new(); // .nfproj paths in the repository, in build order
    public List<string> Symbols = new(); // preprocessor symbols of the Release build
    public string? Ref; // null: the tag v<version>
    public string? Note;
    public string Version = "";
    public List<string> Dependencies = new();
}

internal static class Generator
{
    public static int Run(Options options)
    {
        var versions = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var config in options.All("packages-config"))
        {
            foreach (var p in XDocument.Load(config).Root!.Elements("package"))
            {
                string id = p.Attribute("id")!.Value, version = p.Attribute("version")!.Value;
                if (versions.TryGetValue(id, out var other) && other != version) throw new ListingException($"{id} is pinned at {other} and {version}");
                versions[id] = version;
            }
        }
        var sources = ReadManifest(options.One("manifest"));
        foreach (var id in versions.Keys)
        {
            if (!sources.ContainsKey(id)) throw new ListingException($"{id} is in packages.config but not in the manifest");
            sources[id].Version = versions[id];
        }
        string pattern = options.One("git-dir");
        string outDir = options.One("out");
        string mscorlib = options.One("mscorlib");
        string? only = options.Maybe("only");
        Directory.CreateDirectory(outDir);

        var compiled = new Dictionary<string, List<CSharpCompilation>>(StringComparer.Ordinal);
        foreach (var id in versions.Keys)
        {
            if (only != null && id != only) continue;
            Compile(id, sources, compiled, pattern, mscorlib, outDir);
        }
        return 0;
    }

    private static SortedDictionary<string, Source> ReadManifest(string path)
    {
        var result = new SortedDictionary<string, Source>(StringComparer.Ordinal);
        foreach (var raw in File.ReadAllLines(path))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length < 4) throw new ListingException("manifest line needs id | repository | projects | symbols [| ref | note]: " + line);
            var s = new Source
            {
                Id = cells[0],
                Repository = cells[1],
                Projects = cells[2].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
                Symbols = cells[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
                Ref = cells.Length > 4 && cells[4].Length > 0 ? cells[4] : null,
                Note = cells.Length > 5 && cells[5].Length > 0 ? cells[5] : null,
            };
            result.Add(s.Id, s);
        }
        return result;
    }

    /// <summary>Binds a package's sources (after its dependencies', so signatures resolve) and writes its listing.</summary>
    private static List<CSharpCompilation> Compile(string id, SortedDictionary<string, Source> sources, Dictionary<string, List<CSharpCompilation>> compiled,
        string pattern, string mscorlib, string outDir)
    {
        if (compiled.TryGetValue(id, out var done)) return done;
        if (!sources.TryGetValue(id, out var source) || source.Version.Length == 0) throw new ListingException($"dependency {id} is not pinned in packages.config or not in the manifest");
        string owner = source.Repository.Split('/')[0], name = source.Repository.Split('/')[1];
        var git = new Git(pattern.Replace("{owner}", owner).Replace("{name}", name));
        string gitRef = source.Ref ?? "v" + source.Version;
        string commit = git.Run("rev-parse", "--verify", gitRef + "^{commit}").Trim();

        // Dependencies from the package's nuspec (the one that ships these projects), CoreLibrary being mscorlib.
        var nuspecs = git.Run("ls-tree", "-r", "-z", "--name-only", commit).Split((char)0).Where(f => f.EndsWith(".nuspec", StringComparison.Ordinal)).ToList();
        string nuspecPath = nuspecs.FirstOrDefault(n => XDocument.Parse(git.Show(commit, n)).Descendants().Any(e => e.Name.LocalName == "id" && e.Value.Trim() == id))
            ?? throw new ListingException($"{id}: no nuspec with that id at {gitRef}");
        var nuspec = XDocument.Parse(git.Show(commit, nuspecPath));
        source.Dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).ToList();

        var references = new List<MetadataReference>();
        bool isCorlib = id == "nanoFramework.CoreLibrary";
        if (!isCorlib) references.Add(MetadataReference.CreateFromFile(mscorlib));
        // A packages.config project references every package of the dependency closure, so the build does too.
        var closure = new List<string>();
        void Close(string dep)
        {
            if (dep == "nanoFramework.CoreLibrary" || dep == "nanoFramework.CoreLibrary.NoReflection" || closure.Contains(dep)) return;
            Compile(dep, sources, compiled, pattern, mscorlib, outDir);
            closure.Add(dep);
            foreach (var d in sources[dep].Dependencies) Close(d);
        }
        foreach (var dep in source.Dependencies) Close(dep);
        foreach (var dep in closure.OrderBy(d => d, StringComparer.Ordinal))
        {
            foreach (var c in compiled[dep]) references.Add(c.ToMetadataReference());
        }

        var parse = new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: source.Symbols);
        var compilations = new List<CSharpCompilation>();
        var assemblies = new List<string>();
        foreach (var project in source.Projects)
        {
            var files = ProjectFiles(git, commit, project);
            var trees = files.Select(f => CSharpSyntaxTree.ParseText(git.Show(commit, f), parse, path: f)).ToList();
            var nfproj = XDocument.Parse(git.Show(commit, project));
            string assemblyName = nfproj.Descendants().First(e => e.Name.LocalName == "AssemblyName").Value.Trim();
            var compilation = CSharpCompilation.Create(assemblyName, trees, references.Concat(compilations.Select(c => c.ToMetadataReference())),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
            // CS0281: friend access granted to the signed original and not to this unsigned copy; it touches bodies only.
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS0281").ToList();
            Console.Error.WriteLine($"{id} {assemblyName}: {files.Count} files, {errors.Count} binding errors (a signature left unresolved stops the listing)");
            foreach (var d in errors.Take(5)) Console.Error.WriteLine("  " + d);
            compilations.Add(compilation);
            assemblies.Add($"{assemblyName} ({project}, {files.Count} files)");
        }
        compiled[id] = compilations;

        var lines = new List<string>
        {
            "# Public API of a nanoFramework package: its public types and their public and protected members, one per line.",
            "# Generated by tools/PingAnTong.Edge.ApiListing from the package's C# sources (signatures only); do not edit by hand.",
            "# package: " + id,
            "# version: " + source.Version,
            "# repository: https://github.com/" + source.Repository,
            "# ref: " + gitRef,
            "# commit: " + commit,
        };
        if (source.Note != null) lines.Add("# note: " + source.Note);
        lines.Add("# assemblies: " + string.Join("; ", assemblies));
        lines.Add("# symbols: " + (source.Symbols.Count == 0 ? "(none: Release build, no DEBUG)" : string.Join(",", source.Symbols) + " (Release build, no DEBUG)"));
        lines.Add("");
        try
        {
            lines.AddRange(ApiLister.List(compilations.SelectMany(c => ApiLister.VisibleTypes(c.Assembly))));
        }
        catch (InvalidOperationException e)
        {
            throw new ListingException(id + ": " + e.Message);
        }
        File.WriteAllText(Path.Combine(outDir, id + ".txt"), string.Join("\n", lines) + "\n");
        Console.Error.WriteLine($"{id} {source.Version}: {lines.Count} lines from {gitRef} {commit}");
        return compilations;
    }

    /// <summary>The C# files an .nfproj compiles: its Compile items and those of imported shared .projitems.</summary>
    private static List<string> ProjectFiles(Git git, string commit, string project)
    {
        var result = new List<string>();
        void Read(string file, string baseDir)
        {
            var doc = XDocument.Parse(git.Show(commit, file));
            string thisDir = Dir(file);
            foreach (var e in doc.Descendants())
            {
                if (e.Name.LocalName == "Compile" && e.Attribute("Include") != null)
                {
                    if (e.Attribute("Condition") != null) throw new ListingException($"{file}: conditional Compile item not supported");
                    string include = e.Attribute("Include")!.Value;
                    const string here = "$(MSBuildThisFileDirectory)";
                    bool fromHere = include.StartsWith(here, StringComparison.Ordinal);
                    if (fromHere) include = include.Substring(here.Length);
                    if (include.Contains('*') || include.Contains("$(")) throw new ListingException($"{file}: Compile item {include} not supported");
                    // Relative items are relative to the project, even in an imported file.
                    string path = Normalize(Combine(fromHere ? thisDir : baseDir, include));
                    if (!result.Contains(path)) result.Add(path);
                }
                else if (e.Name.LocalName == "Import" && e.Attribute("Project")!.Value.EndsWith(".projitems", StringComparison.Ordinal))
                {
                    string imported = Normalize(Combine(thisDir, e.Attribute("Project")!.Value));
                    Read(imported, baseDir);
                }
            }
        }
        Read(project, Dir(project));
        return result;
    }

    private static string Dir(string path) => path.Contains('/') ? path.Substring(0, path.LastIndexOf('/')) : "";
    private static string Combine(string dir, string relative) => dir.Length == 0 ? relative.Replace('\\', '/') : dir + "/" + relative.Replace('\\', '/');

    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var p in path.Replace('\\', '/').Split('/'))
        {
            if (p == "" || p == ".") continue;
            if (p == "..") parts.RemoveAt(parts.Count - 1);
            else parts.Add(p);
        }
        return string.Join("/", parts);
    }
}

internal sealed class Git
{
    private readonly string _gitDir;

    public Git(string gitDir)
    {
        if (!Directory.Exists(gitDir)) throw new ListingException("no git directory " + gitDir);
        _gitDir = gitDir;
    }

    private readonly Dictionary<string, Dictionary<string, string>> _trees = new();

    /// <summary>A file at a commit; paths match case-insensitively, as MSBuild on Windows resolves them.</summary>
    public string Show(string commit, string path)
    {
        if (!_trees.TryGetValue(commit, out var tree))
        {
            tree = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var f in Run("ls-tree", "-r", "-z", "--name-only", commit).Split((char)0, StringSplitOptions.RemoveEmptyEntries)) tree[f] = f;
            _trees[commit] = tree;
        }
        if (!tree.TryGetValue(path, out var actual)) throw new ListingException($"{path} is not in {commit} of {_gitDir}");
        return Run("show", commit + ":" + actual);
    }

    public string Run(params string[] args)
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("--git-dir=" + _gitDir);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new ListingException($"git {string.Join(" ", args)} in {_gitDir}: {error.Trim()}");
        return output;
    }
}
