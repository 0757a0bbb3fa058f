using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using StateMachineMqtt.PropertyTests.Docs;

namespace StateMachineMqtt.PropertyTests.Packaging;

/// <summary>
/// `dotnet pack StateMachineMqtt.sln` run once for the Packaging tests, into a temporary folder. It packs what this test
/// run already built (same configuration, --no-build), so it costs seconds, not a Release build of the solution; and
/// --no-build implies --no-restore, so it needs no network.
/// </summary>
public sealed class PackedSolution : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    /// <summary>Creates the temporary folder and packs the solution into it.</summary>
    public PackedSolution()
    {
        Root = SpecReadmeTests.RepositoryRoot();
        Version = XDocument.Load(Path.Combine(Root, "build", "Packaging.props")).Descendants("Version").Single().Value;
        WorkFolder = Directory.CreateTempSubdirectory("smqtt-pack-").FullName;
        PackageFolder = Path.Combine(WorkFolder, "packages");

        var clock = Stopwatch.StartNew();
        Pack = DotnetCommand.Run("dotnet",
        [
            "pack", Path.Combine(Root, "StateMachineMqtt.sln"), "-c", Configuration, "--no-build",
            $"-p:PackageOutputPath={PackageFolder}", "-nologo", "-v", "q",
        ]);
        PackTime = clock.Elapsed;
    }

    /// <summary>The repository's root folder.</summary>
    public string Root { get; }

    /// <summary>The version build/Packaging.props gives every package.</summary>
    public string Version { get; }

    /// <summary>A temporary folder for this fixture (deleted at the end); the packages are in <see cref="PackageFolder"/>.</summary>
    public string WorkFolder { get; }

    /// <summary>Where `dotnet pack` put the packages.</summary>
    public string PackageFolder { get; }

    /// <summary>The pack command's result.</summary>
    public CommandResult Pack { get; }

    /// <summary>How long the pack took.</summary>
    public TimeSpan PackTime { get; }

    /// <summary>The file names of the .nupkg files made (symbol packages not included).</summary>
    public IReadOnlyList<string> Packages =>
        Directory.Exists(PackageFolder)
            ? [.. Directory.GetFiles(PackageFolder, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal)!]
            : [];

    /// <summary>The path of package <paramref name="id"/>'s .nupkg (or .snupkg with <paramref name="symbols"/>).</summary>
    public string PackagePath(string id, bool symbols = false) =>
        Path.Combine(PackageFolder, $"{id}.{Version}.{(symbols ? "snupkg" : "nupkg")}");

    /// <summary>Opens package <paramref name="id"/>, failing with the pack's output when it was not made.</summary>
    public ZipArchive Open(string id, bool symbols = false)
    {
        string path = PackagePath(id, symbols);
        Assert.True(File.Exists(path), $"{path} was not made.\n{Pack.Transcript}");
        return ZipFile.OpenRead(path);
    }

    /// <summary>Deletes the temporary folder.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkFolder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder; the OS cleans it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>The Packaging test classes share one pack of the solution.</summary>
[CollectionDefinition(Name)]
public sealed class PackedSolutionCollection : ICollectionFixture<PackedSolution>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Packed solution";
}
