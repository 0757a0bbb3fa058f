using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>
/// The XML documentation of an assembly (NAME.xml, copied beside the test assembly): each member's summary as one line of
/// Markdown, references (<c>see cref</c>, <c>c</c>, <c>langword</c>) kept as code spans, so docs/ can quote the code's own words.
/// </summary>
internal sealed partial class AssemblyXmlDocs
{
    private readonly Dictionary<string, string> _summaries;
    private readonly string _file;

    private AssemblyXmlDocs(string file, Dictionary<string, string> summaries)
    {
        _file = file;
        _summaries = summaries;
    }

    /// <summary>Loads the documentation of <paramref name="assembly"/>.</summary>
    public static AssemblyXmlDocs For(Assembly assembly)
    {
        string name = assembly.GetName().Name!;
        string path = Path.Combine(AppContext.BaseDirectory, name + ".xml");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{path} is missing: the project building {name} must keep GenerateDocumentationFile=true so its XML docs are copied beside the tests.", path);
        }

        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (XElement member in XDocument.Load(path).Descendants("member"))
        {
            string? id = member.Attribute("name")?.Value;
            XElement? summary = member.Element("summary");
            if (id is not null && summary is not null)
            {
                summaries[id] = Whitespace().Replace(Render(summary), " ").Trim();
            }
        }

        return new AssemblyXmlDocs(Path.GetFileName(path), summaries);
    }

    /// <summary>The summary of a property, e.g. MqttClientOptions.KeepAlive.</summary>
    public string Of(PropertyInfo property)
    {
        string id = $"P:{property.DeclaringType!.FullName}.{property.Name}";
        return _summaries.TryGetValue(id, out string? text)
            ? text
            : throw new InvalidOperationException($"{property.DeclaringType.Name}.{property.Name} has no <summary> in {_file}: document it, docs/ quote it.");
    }

    private static string Render(XElement element)
    {
        var text = new StringBuilder();
        foreach (XNode node in element.Nodes())
        {
            switch (node)
            {
                case XText t:
                    text.Append(t.Value);
                    break;
                case XElement { Name.LocalName: "see" or "seealso" } see when see.Attribute("cref") is { } cref:
                    text.Append('`').Append(ShortName(cref.Value)).Append('`');
                    break;
                case XElement { Name.LocalName: "see" } see when see.Attribute("langword") is { } word:
                    text.Append('`').Append(word.Value).Append('`');
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } reference:
                    text.Append('`').Append(reference.Attribute("name")?.Value).Append('`');
                    break;
                case XElement { Name.LocalName: "c" } code:
                    text.Append('`').Append(code.Value).Append('`');
                    break;
                case XElement other:
                    text.Append(Render(other));
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>"T:A.B.Type" → "Type"; "M:A.B.Type.Member(args)" → "Type.Member".</summary>
    internal static string ShortName(string cref)
    {
        string name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        int args = name.IndexOf('(', StringComparison.Ordinal);
        if (args >= 0)
        {
            name = name[..args];
        }

        string[] parts = name.Split('.');
        bool isType = cref.StartsWith("T:", StringComparison.Ordinal) || parts.Length == 1;
        return isType ? parts[^1] : $"{parts[^2]}.{parts[^1]}";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
