using System.Collections.Immutable;
using System.IO.Compression;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.Packaging;

/// <summary>What `dotnet pack StateMachineMqtt.sln` makes: the three packages, each with its README, docs and metadata.</summary>
[Collection(PackedSolutionCollection.Name)]
public sealed class PackageContentsTests(PackedSolution packed, ITestOutputHelper output)
{
    private const string Core = "StateMachineMqtt";
    private const string Hosting = "StateMachineMqtt.Extensions.Hosting";
    private const string Tool = "smqtt";
    private const string Lib = "lib/net10.0/";
    private const string ToolFolder = "tools/net10.0/any/";

    // The client with the spec and the engine it runs: one package, so `dotnet add package StateMachineMqtt` is all it takes.
    private static readonly string[] CoreAssemblies = ["StateMachineMqtt", "StateMachineMqtt.Spec", "StateMachineMqtt.Engine"];

    [Fact]
    public void Packing_the_solution_makes_exactly_the_three_packages()
    {
        output.WriteLine($"dotnet pack (--no-build) took {packed.PackTime.TotalSeconds:F1} s");
        Assert.True(packed.Pack.ExitCode == 0, packed.Pack.Transcript);
        Assert.Equal(
            new[] { $"{Core}.{packed.Version}.nupkg", $"{Hosting}.{packed.Version}.nupkg", $"{Tool}.{packed.Version}.nupkg" }.Order(StringComparer.Ordinal),
            packed.Packages);
    }

    [Theory]
    [InlineData(Core)]
    [InlineData(Hosting)]
    [InlineData(Tool)]
    public void Each_package_has_its_readme_and_metadata(string id)
    {
        using ZipArchive package = packed.Open(id);
        XElement metadata = Nupkg.Metadata(package, id);

        Assert.Equal(id, Nupkg.Value(metadata, "id"));
        Assert.Equal(packed.Version, Nupkg.Value(metadata, "version"));
        Assert.False(string.IsNullOrWhiteSpace(Nupkg.Value(metadata, "authors")), "authors missing");
        Assert.True((Nupkg.Value(metadata, "description") ?? "").Length > 40, $"{id}: the description is missing or too short to say what the package is");
        Assert.False(string.IsNullOrWhiteSpace(Nupkg.Value(metadata, "tags")), "tags missing");

        // The readme the nuspec names is in the package, and it is this package's page, not a placeholder.
        Assert.Equal("README.md", Nupkg.Value(metadata, "readme"));
        string readme = Nupkg.ReadText(package, "README.md");
        Assert.StartsWith($"# {id}\n", readme.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains(id == Tool ? "dotnet tool install" : "dotnet add package", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void The_client_package_carries_the_spec_and_the_engine_with_their_xml_docs()
    {
        using ZipArchive package = packed.Open(Core);
        HashSet<string> files = Nupkg.Files(package);

        foreach (string assembly in CoreAssemblies)
        {
            Assert.Contains($"{Lib}{assembly}.dll", files);
            Assert.Contains($"{Lib}{assembly}.xml", files);
            AssertEveryPublicTypeDocumented(package, $"{Lib}{assembly}");
        }
        // Bundled, so not dependencies (no such packages exist); the client's own package references are.
        IReadOnlyList<(string Id, string Version)> dependencies = Nupkg.Dependencies(Nupkg.Metadata(package, Core));
        Assert.DoesNotContain(dependencies, d => d.Id.StartsWith("StateMachineMqtt", StringComparison.Ordinal));
        Assert.Contains(dependencies, d => d.Id == "Stateless");
        Assert.Contains(dependencies, d => d.Id == "Microsoft.Extensions.Logging.Abstractions");
        // Analyzers used to build it (PublicApiAnalyzers) are not passed on.
        Assert.DoesNotContain(dependencies, d => d.Id.Contains("Analyzers", StringComparison.Ordinal));
    }

    [Fact]
    public void The_hosting_package_depends_on_the_client_package_of_the_same_version()
    {
        using ZipArchive package = packed.Open(Hosting);
        HashSet<string> files = Nupkg.Files(package);

        Assert.Contains($"{Lib}{Hosting}.dll", files);
        Assert.Contains($"{Lib}{Hosting}.xml", files);
        Assert.DoesNotContain($"{Lib}{Core}.dll", files);
        AssertEveryPublicTypeDocumented(package, $"{Lib}{Hosting}");
        Assert.Contains((Core, packed.Version), Nupkg.Dependencies(Nupkg.Metadata(package, Hosting)));
    }

    [Fact]
    public void The_tool_package_declares_the_smqtt_command()
    {
        using ZipArchive package = packed.Open(Tool);
        XElement metadata = Nupkg.Metadata(package, Tool);

        Assert.Contains(metadata.Descendants(), e => e.Name.LocalName == "packageType" && (string?)e.Attribute("name") == "DotnetTool");
        XElement command = XDocument.Parse(Nupkg.ReadText(package, $"{ToolFolder}DotnetToolSettings.xml")).Descendants("Command").Single();
        Assert.Equal("smqtt", (string?)command.Attribute("Name"));
        Assert.Equal("smqtt.dll", (string?)command.Attribute("EntryPoint"));
        HashSet<string> files = Nupkg.Files(package);
        Assert.Contains($"{ToolFolder}smqtt.dll", files);
        Assert.Contains($"{ToolFolder}smqtt.runtimeconfig.json", files);
        Assert.Contains($"{ToolFolder}StateMachineMqtt.dll", files);
        // A tool carries everything it runs: no package dependencies to resolve at install.
        Assert.Empty(Nupkg.Dependencies(metadata));
    }

    [Theory]
    [InlineData(Core, "StateMachineMqtt")]
    [InlineData(Core, "StateMachineMqtt.Spec")]
    [InlineData(Core, "StateMachineMqtt.Engine")]
    [InlineData(Hosting, "StateMachineMqtt.Extensions.Hosting")]
    public void Packaged_assemblies_are_deterministic_and_their_portable_pdbs_are_in_the_symbol_package(string id, string assembly)
    {
        using ZipArchive package = packed.Open(id);
        using ZipArchive symbols = packed.Open(id, symbols: true);

        using var pe = new PEReader(Nupkg.Read(package, $"{Lib}{assembly}.dll").ToImmutableArray());
        ImmutableArray<DebugDirectoryEntry> debug = pe.ReadDebugDirectory();
        // The compiler writes a Reproducible entry only under /deterministic: same sources and references, same bytes.
        Assert.Contains(debug, e => e.Type == DebugDirectoryEntryType.Reproducible);
        DebugDirectoryEntry codeView = Assert.Single(debug, e => e.Type == DebugDirectoryEntryType.CodeView);
        Assert.True(codeView.IsPortableCodeView, $"{assembly}.dll does not point at a portable pdb");
        CodeViewDebugDirectoryData pointer = pe.ReadCodeViewDebugDirectoryData(codeView);

        // The .snupkg holds the very pdb this assembly was built with (its id matches the assembly's CodeView record).
        using MetadataReaderProvider pdb = MetadataReaderProvider.FromPortablePdbImage(Nupkg.Read(symbols, $"{Lib}{assembly}.pdb").ToImmutableArray());
        BlobContentId pdbId = new(pdb.GetMetadataReader().DebugMetadataHeader!.Id);
        Assert.Equal(pointer.Guid, pdbId.Guid);
        Assert.Equal(codeView.Stamp, pdbId.Stamp);
    }

    /// <summary>Every public type of the package's <paramref name="assemblyPath"/>.dll has an entry in its .xml.</summary>
    private static void AssertEveryPublicTypeDocumented(ZipArchive package, string assemblyPath)
    {
        XDocument docs = XDocument.Parse(Nupkg.ReadText(package, $"{assemblyPath}.xml"));
        HashSet<string> documented = [.. docs.Descendants("member").Select(m => (string)m.Attribute("name")!)];

        using var pe = new PEReader(Nupkg.Read(package, $"{assemblyPath}.dll").ToImmutableArray());
        MetadataReader metadata = pe.GetMetadataReader();
        string[] publicTypes = [.. metadata.TypeDefinitions.Select(h => metadata.GetTypeDefinition(h)).Where(t => IsVisible(metadata, t)).Select(t => DocumentationId(metadata, t))];

        Assert.NotEmpty(publicTypes);
        string[] undocumented = [.. publicTypes.Where(t => !documented.Contains(t))];
        Assert.True(undocumented.Length == 0, $"{assemblyPath}.xml documents none of: {string.Join(", ", undocumented)}");
    }

    private static bool IsVisible(MetadataReader metadata, TypeDefinition type)
    {
        TypeAttributes visibility = type.Attributes & TypeAttributes.VisibilityMask;
        return visibility switch
        {
            TypeAttributes.Public => true,
            TypeAttributes.NestedPublic or TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem =>
                IsVisible(metadata, metadata.GetTypeDefinition(type.GetDeclaringType())),
            _ => false,
        };
    }

    private static string DocumentationId(MetadataReader metadata, TypeDefinition type)
    {
        string name = metadata.GetString(type.Name);
        if (type.IsNested)
        {
            return $"{DocumentationId(metadata, metadata.GetTypeDefinition(type.GetDeclaringType()))}.{name}";
        }
        string space = metadata.GetString(type.Namespace);
        return space.Length == 0 ? $"T:{name}" : $"T:{space}.{name}";
    }
}
