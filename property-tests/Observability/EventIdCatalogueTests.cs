using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using StateMachineMqtt.PropertyTests.Docs;

namespace StateMachineMqtt.PropertyTests.Observability;

/// <summary>
/// The event ids are a contract with whoever alerts on them: each is used once, sits in its documented range, and
/// docs/observability.md lists every one with its name and level, as ClientLog declares it.
/// </summary>
public partial class EventIdCatalogueTests
{
    private static readonly (int From, int To, string Area)[] Ranges =
    [
        (1000, 1999, "connection"), (2000, 2999, "publishing"), (3000, 3999, "from the broker"),
        (4000, 4999, "subscriptions"), (5000, 5999, "the durable store"), (8000, 8999, "the client itself"), (9000, 9000, "transitions"),
    ];

    private static List<LoggerMessageAttribute> Declared() =>
        [.. typeof(ClientLog).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()];

    [Fact]
    public void Every_event_id_is_used_once_has_a_name_and_sits_in_a_documented_range()
    {
        List<LoggerMessageAttribute> declared = Declared();
        Assert.Contains(declared, a => a.EventId == 9000); // found them at all: transitions, outages and re-sends
        Assert.Contains(declared, a => a.EventId == 1003);
        Assert.Contains(declared, a => a.EventId == 2000);
        Assert.Equal(declared.Count, declared.Select(a => a.EventId).Distinct().Count());
        Assert.Equal(declared.Count, declared.Select(a => a.EventName).Distinct().Count());
        Assert.All(declared, a =>
        {
            Assert.False(string.IsNullOrEmpty(a.EventName), $"event {a.EventId} has no name");
            Assert.Contains(Ranges, r => a.EventId >= r.From && a.EventId <= r.To);
        });
    }

    [Fact]
    public void Docs_observability_lists_every_event_with_its_id_name_and_level()
    {
        string doc = File.ReadAllText(Path.Combine(SpecReadmeTests.RepositoryRoot(), "docs", "observability.md"));
        var documented = EventRow().Matches(doc).Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value, m.Groups[3].Value)).ToList();
        var declared = Declared().Select(a => (a.EventId, a.EventName!, a.Level.ToString()!)).OrderBy(e => e.EventId).ToList();
        Assert.Equal(declared, documented.OrderBy(e => e.Item1).ToList());
    }

    // A row of the event table: | 1003 | LinkLost | Warning | ... |
    [GeneratedRegex(@"^\| (\d{4}) \| (\w+) \| (\w+) \|", RegexOptions.Multiline)]
    private static partial Regex EventRow();
}
