using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using StateMachineMqtt.Extensions.Hosting;

namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>
/// Renders docs/configuration.md's generated blocks from the options classes themselves: every public settable property,
/// its type, the default a new instance has, its XML summary, and its mqtt_as and MQTTnet equivalents
/// (<see cref="ConfigurationEquivalents"/>).
/// </summary>
internal static class ConfigurationReference
{
    /// <summary>The documented options classes: marker name, type, a fresh instance, and their equivalents map.</summary>
    public static IReadOnlyList<(string Name, Type Type, object Defaults, IReadOnlyDictionary<string, (string MqttAs, string Mqttnet)> Equivalents)> Classes { get; } =
    [
        ("MqttClientOptions", typeof(MqttClientOptions), new MqttClientOptions(), ConfigurationEquivalents.ClientOptions),
        ("MqttHostingOptions", typeof(MqttHostingOptions), new MqttHostingOptions(), ConfigurationEquivalents.HostingOptions),
    ];

    /// <summary>The public properties with a public setter, in declaration order.</summary>
    public static IReadOnlyList<PropertyInfo> Settable(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })
            .OrderBy(p => p.MetadataToken)];

    /// <summary>Every generated block, by marker name.</summary>
    public static IReadOnlyList<(string Name, string Markdown)> Blocks() =>
        [.. Classes.Select(c => (c.Name, Block(c.Type, c.Defaults, c.Equivalents)))];

    private static string Block(Type type, object defaults, IReadOnlyDictionary<string, (string MqttAs, string Mqttnet)> equivalents)
    {
        AssemblyXmlDocs docs = AssemblyXmlDocs.For(type.Assembly);
        IReadOnlyList<PropertyInfo> properties = Settable(type);
        var nullability = new NullabilityInfoContext();
        var text = new StringBuilder();
        text.Append("| Option | Type | Default | mqtt_as | MQTTnet 5 |\n|---|---|---|---|---|\n");
        foreach (PropertyInfo property in properties)
        {
            (string mqttAs, string mqttnet) = equivalents.TryGetValue(property.Name, out var pair)
                ? pair
                : throw new InvalidOperationException(
                    $"{type.Name}.{property.Name} has no entry in ConfigurationEquivalents: add its mqtt_as and MQTTnet equivalents (or \"—\").");
            text.Append(CultureInfo.InvariantCulture,
                $"| [{property.Name}](#{property.Name.ToLowerInvariant()}) | `{TypeName(property, nullability)}` | {Cell(Default(property.GetValue(defaults)))} | {Cell(mqttAs)} | {Cell(mqttnet)} |\n");
        }

        foreach (PropertyInfo property in properties)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n#### {property.Name}\n\n");
            text.Append(CultureInfo.InvariantCulture,
                $"`{TypeName(property, nullability)}`, default {Default(property.GetValue(defaults))}. {docs.Of(property)}\n");
        }

        return text.ToString();
    }

    private static string Cell(string markdown) => markdown.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>A default as Markdown: how it reads in C#, with a TimeSpan also in seconds.</summary>
    internal static string Default(object? value) => value switch
    {
        null => "`null`",
        string s => $"`\"{s}\"`",
        bool b => b ? "`true`" : "`false`",
        TimeSpan t => $"{Seconds(t)}",
        Enum e => $"`{e.GetType().Name}.{e}`",
        int or long => $"`{((IFormattable)value).ToString("N0", CultureInfo.InvariantCulture)}`",
        ExponentialBackoff b => $"`ExponentialBackoff` from {Seconds(b.Initial)} to {Seconds(b.Maximum)}",
        ICollection { Count: 0 } => "`[]` (none)",
        _ => throw new InvalidOperationException($"No rendering for a default of type {value.GetType().Name}: add one to ConfigurationReference.Default."),
    };

    internal static string Seconds(TimeSpan t) => t.Ticks % TimeSpan.TicksPerSecond == 0
        ? $"{t.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s"
        : $"{t.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms";

    /// <summary>A property's type as C# spells it: <c>int?</c>, <c>TimeSpan</c>, <c>IReadOnlyList&lt;MqttUserProperty&gt;</c>, <c>string?</c>.</summary>
    internal static string TypeName(PropertyInfo property, NullabilityInfoContext nullability)
    {
        string name = TypeName(property.PropertyType);
        bool nullableReference = !property.PropertyType.IsValueType
            && nullability.Create(property).WriteState == NullabilityState.Nullable;
        return nullableReference ? name + "?" : name;
    }

    private static string TypeName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return TypeName(inner) + "?";
        }

        if (type == typeof(string)) return "string";
        if (type == typeof(int)) return "int";
        if (type == typeof(long)) return "long";
        if (type == typeof(bool)) return "bool";
        if (type.IsGenericType)
        {
            string bare = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
            return $"{bare}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>";
        }

        return type.Name;
    }
}
