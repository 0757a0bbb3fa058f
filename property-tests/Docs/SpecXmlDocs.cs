using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>The XML documentation of spec/ (StateMachineMqtt.Spec.xml, copied beside the test assembly): the one source of each enum value's meaning.</summary>
internal sealed partial class SpecXmlDocs
{
    private readonly Dictionary<string, string> _summaries;

    private SpecXmlDocs(Dictionary<string, string> summaries) => _summaries = summaries;

    public static SpecXmlDocs Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "StateMachineMqtt.Spec.xml");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{path} is missing: spec/StateMachineMqtt.Spec.csproj must keep GenerateDocumentationFile=true so its XML docs are copied beside the tests.", path);
        }

        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (XElement member in XDocument.Load(path).Descendants("member"))
        {
            string? name = member.Attribute("name")?.Value;
            XElement? summary = member.Element("summary");
            if (name is not null && summary is not null)
            {
                summaries[name] = Whitespace().Replace(summary.Value, " ").Trim();
            }
        }

        return new SpecXmlDocs(summaries);
    }

    /// <summary>The summary of one enum value, e.g. ConnectionState.Idle.</summary>
    public string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        string id = $"F:{typeof(TEnum).FullName}.{value}";
        return _summaries.TryGetValue(id, out string? text)
            ? text
            : throw new InvalidOperationException($"{typeof(TEnum).Name}.{value} has no <summary> in spec/: document it, the README is generated from it.");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
