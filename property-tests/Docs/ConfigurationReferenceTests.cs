using System.Reflection;
using System.Text.RegularExpressions;

namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>docs/configuration.md's option tables are generated from the options classes; these fail when they are stale.</summary>
public sealed partial class ConfigurationReferenceTests
{
    private const string Doc = "docs/configuration.md";

    [Fact]
    public void Configuration_reference_matches_the_options_classes()
    {
        var blocks = ConfigurationReference.Blocks();
        MarkedBlocks.AssertCurrent(Doc, text => MarkedBlocks.Apply(Doc, text, blocks), "its option tables differ from the options classes");
    }

    [Fact]
    public void Every_option_is_in_the_table_with_its_default()
    {
        // Not vacuous: the block lists each settable property, and a changed default changes the block.
        string block = ConfigurationReference.Blocks().Single(b => b.Name == "MqttClientOptions").Markdown;
        foreach (PropertyInfo property in ConfigurationReference.Settable(typeof(MqttClientOptions)))
        {
            Assert.Contains($"| [{property.Name}](#", block, StringComparison.Ordinal);
        }

        Assert.Contains("| [KeepAlive](#keepalive) | `TimeSpan` | 60 s |", block, StringComparison.Ordinal);
        Assert.Contains("| [Port](#port) | `int?` | `null` |", block, StringComparison.Ordinal);
        Assert.DoesNotContain("EffectivePort", block, StringComparison.Ordinal); // read-only: not an option
    }

    [Fact]
    public void Every_equivalents_entry_names_an_option_that_exists()
    {
        foreach (var (name, type, _, equivalents) in ConfigurationReference.Classes)
        {
            var options = ConfigurationReference.Settable(type).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            string[] stale = [.. equivalents.Keys.Where(k => !options.Contains(k))];
            Assert.True(stale.Length == 0, $"ConfigurationEquivalents names {name} options that do not exist (remove them): {string.Join(", ", stale)}");
        }
    }

    [Fact]
    public void Every_option_has_an_equivalents_entry()
    {
        foreach (var (name, type, _, equivalents) in ConfigurationReference.Classes)
        {
            string[] missing = [.. ConfigurationReference.Settable(type).Select(p => p.Name).Where(p => !equivalents.ContainsKey(p))];
            Assert.True(missing.Length == 0, $"{name} options with no entry in ConfigurationEquivalents (add their mqtt_as and MQTTnet equivalents, or \"—\"): {string.Join(", ", missing)}");
        }
    }

    [Fact]
    public void Every_mqttnet_method_named_exists_on_its_options_builder()
    {
        var methods = typeof(MQTTnet.MqttClientOptionsBuilder).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var named = ConfigurationReference.Classes.SelectMany(c => c.Equivalents.Values)
            .SelectMany(e => BuilderMethod().Matches(e.Mqttnet).Select(m => m.Groups[1].Value)).ToList();

        Assert.NotEmpty(named);
        string[] unknown = [.. named.Where(n => !methods.Contains(n)).Distinct()];
        Assert.True(unknown.Length == 0, $"ConfigurationEquivalents names MqttClientOptionsBuilder methods MQTTnet 5 does not have: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Every_mqtt_as_key_named_is_a_key_of_its_config()
    {
        var named = ConfigurationReference.Classes.SelectMany(c => c.Equivalents.Values)
            .SelectMany(e => CodeSpan().Matches(e.MqttAs).Select(m => m.Groups[1].Value))
            .Where(word => word.All(ch => char.IsAsciiLetterLower(ch) || ch == '_' || char.IsAsciiDigit(ch)))
            .ToList();

        Assert.NotEmpty(named);
        string[] unknown = [.. named.Where(n => !ConfigurationEquivalents.MqttAsConfigKeys.Contains(n)).Distinct()];
        Assert.True(unknown.Length == 0, $"ConfigurationEquivalents names mqtt_as config keys it does not have: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Defaults_render_as_csharp_reads_them()
    {
        Assert.Equal("`null`", ConfigurationReference.Default(null));
        Assert.Equal("`\"localhost\"`", ConfigurationReference.Default("localhost"));
        Assert.Equal("`10,000`", ConfigurationReference.Default(10_000));
        Assert.Equal("60 s", ConfigurationReference.Default(TimeSpan.FromMinutes(1)));
        Assert.Equal("1500 ms", ConfigurationReference.Default(TimeSpan.FromMilliseconds(1500)));
        Assert.Throws<InvalidOperationException>(() => ConfigurationReference.Default(new object()));
    }

    [GeneratedRegex(@"`(With\w+)`")]
    private static partial Regex BuilderMethod();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex CodeSpan();
}
