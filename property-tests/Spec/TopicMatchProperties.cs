using System.Globalization;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StateMachineMqtt.PropertyTests.Fixtures.Seeds;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Spec;

/// <summary>
/// Topic matching [MQTT-4.7]: spec's TopicMatchRules.Matches and core's public MqttTopicMatcher agree with a reference
/// written here another way (split into levels, each filter turned into a regular expression), on pairs built to match
/// often, and on the standard's own examples.
/// </summary>
public sealed class TopicMatchProperties
{
    // Levels topics are built from: empty ones, case, '$' (at the first level it marks a system topic), spaces, non-ASCII.
    private static readonly string[] Levels = ["", "a", "b", "A", "sport", "tennis", "player1", "$SYS", "$a", "x y", "é", "中"];

    /// <summary>A valid topic name of one to five levels.</summary>
    private static Gen<string> Topic { get; } =
        Gen.Choose(1, 5).SelectMany(n => Gen.Elements(Levels).ArrayOf(n)).Select(levels => string.Join('/', levels)).Where(t => t.Length > 0);

    /// <summary>
    /// A filter derived from <paramref name="topic"/>: each level kept, replaced by '+' or by another level, optionally cut
    /// short by '#', one level added or removed, sometimes shared ($share/g/...): most match, the rest miss by one step.
    /// </summary>
    private static Gen<string> FilterFrom(string topic)
    {
        string[] levels = topic.Split('/');
        Gen<string> level(string kept) => Gen.Frequency((6, Gen.Constant(kept)), (3, Gen.Constant("+")), (1, Gen.Elements(Levels)));
        return from chosen in Gen.CollectToArray(levels.Select(level))
               from cut in Gen.Frequency((3, Gen.Constant(-1)), (2, Gen.Choose(0, levels.Length)))
               from extra in Gen.Frequency((8, Gen.Constant(0)), (1, Gen.Constant(1)), (1, Gen.Constant(-1)))
               from shared in Gen.Frequency((4, Gen.Constant("")), (1, Gen.Elements("$share/g/", "$share/group-1/")))
               select shared + Shape(chosen, cut, extra);
    }

    private static string Shape(string[] levels, int cut, int extra)
    {
        List<string> kept = [.. levels];
        if (extra > 0)
        {
            kept.Add("a");
        }
        else if (extra < 0 && kept.Count > 1)
        {
            kept.RemoveAt(kept.Count - 1);
        }

        if (cut >= 0)
        {
            kept = [.. kept.Take(Math.Min(cut, kept.Count)), "#"];
        }

        return string.Join('/', kept);
    }

    /// <summary>Filters written by hand: valid, and invalid in every way the standard names.</summary>
    private static readonly string[] OddFilters =
    [
        "#", "+", "+/+", "/+", "+/#", "/#", "a/#", "a/+/#", "$SYS/#", "$SYS/+", "", "a/b#", "a#", "#/a", "a/#/b", "a+", "+a", "a/+b",
        "++", "##", "$share/g/#", "$share/g/+/a", "$share//a", "$share/g", "$share/g/", "$share/", "$share", "$share/g+/a", "$share/#/a",
        "$share/g/a#", "a\0b", "$SHARE/g/a",
    ];

    /// <summary>Topics written by hand: valid, and invalid (empty, wildcards, U+0000).</summary>
    private static readonly string[] OddTopics = ["a", "/", "//", "a/", "/a", "$SYS", "$SYS/a", "$share/g/a", "", "a/+", "#", "a\0", "A"];

    private static Gen<(string Filter, string Topic)> Pairs { get; } = Gen.Frequency(
        (8, from topic in Topic from filter in FilterFrom(topic) select (filter, topic)),
        (1, from topic in Gen.Elements(OddTopics) from filter in Gen.OneOf(Gen.Elements(OddFilters), FilterFrom(topic.Length == 0 ? "a" : topic)) select (filter, topic)),
        (1, from topic in Topic from filter in Gen.Elements(OddFilters) select (filter, topic)));

    [Property(MaxTest = 3000)]
    public Property Spec_rule_agrees_with_the_reference() =>
        Prop.ForAll(Pairs.ToArbitrary(), pair =>
        {
            bool expected = Reference.Matches(pair.Filter, pair.Topic);
            return (TopicMatchRules.Matches(pair.Filter, pair.Topic) == expected)
                .Label($"\"{pair.Filter}\" vs \"{pair.Topic}\": expected {expected}")
                .Classify(expected, "match");
        });

    [Property(MaxTest = 3000)]
    public Property Public_IsMatch_agrees_with_the_reference_and_refuses_what_is_invalid() =>
        Prop.ForAll(Pairs.ToArbitrary(), pair =>
        {
            bool valid = Reference.IsValidFilter(pair.Filter) && Reference.IsValidTopic(pair.Topic);
            string outcome;
            try
            {
                outcome = MqttTopicMatcher.IsMatch(pair.Filter, pair.Topic).ToString();
            }
            catch (ArgumentException e)
            {
                outcome = "ArgumentException: " + e.Message;
            }

            string expected = valid ? Reference.Matches(pair.Filter, pair.Topic).ToString() : "ArgumentException";
            return (valid ? outcome == expected : outcome.StartsWith(expected, StringComparison.Ordinal))
                .Label($"\"{pair.Filter}\" vs \"{pair.Topic}\": expected {expected}, got {outcome}")
                .And(MqttTopicMatcher.IsValidFilter(pair.Filter) == Reference.IsValidFilter(pair.Filter))
                .Label($"IsValid(\"{pair.Filter}\") should be {Reference.IsValidFilter(pair.Filter)}");
        });

    [Fact]
    public void Generated_pairs_match_often_and_miss_often()
    {
        string[] seed = TestSeeds.Replay.Split(',');
        var rnd = new Rnd(ulong.Parse(seed[0], CultureInfo.InvariantCulture), ulong.Parse(seed[1], CultureInfo.InvariantCulture));
        (string Filter, string Topic)[] sample = Gen.Sample(Pairs, 20, rnd, 2000);
        double matching = sample.Count(p => Reference.Matches(p.Filter, p.Topic)) / (double)sample.Length;
        double invalid = sample.Count(p => !Reference.IsValidFilter(p.Filter) || !Reference.IsValidTopic(p.Topic)) / (double)sample.Length;
        Assert.InRange(matching, 0.35, 0.8);
        Assert.InRange(invalid, 0.02, 0.25);
    }

    // The standard's non-normative examples (section 4.7.1), then the '$' rule (4.7.2), then shared subscriptions (MQTT 5.0 4.8.2).
    [Theory]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/ranking", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true)]
    [InlineData("sport/#", "sport", true)]
    [InlineData("#", "sport/tennis", true)]
    [InlineData("sport/tennis/#", "sport/tennis", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player2", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1/ranking", false)]
    [InlineData("sport/+", "sport", false)]
    [InlineData("sport/+", "sport/", true)]
    [InlineData("+/+", "/finance", true)]
    [InlineData("/+", "/finance", true)]
    [InlineData("+", "/finance", false)]
    [InlineData("+/tennis/#", "sport/tennis/player1", true)]
    [InlineData("sport/+/player1", "sport/tennis/player1", true)]
    [InlineData("Sport/#", "sport/tennis", false)]
    [InlineData("#", "$SYS/uptime", false)]
    [InlineData("+/monitor/Clients", "$SYS/monitor/Clients", false)]
    [InlineData("$SYS/#", "$SYS/monitor/Clients", true)]
    [InlineData("$SYS/monitor/+", "$SYS/monitor/Clients", true)]
    [InlineData("$SYS/#", "$SYS", true)]
    [InlineData("$share/consumer1/sport/tennis/+", "sport/tennis/player1", true)]
    [InlineData("$share/consumer1/sport/tennis/+", "$share/consumer1/sport/tennis/player1", false)]
    [InlineData("$share/g/#", "$SYS/uptime", false)]
    [InlineData("$share/g/$SYS/#", "$SYS/uptime", true)]
    public void The_standards_examples(string filter, string topic, bool expected)
    {
        Assert.Equal(expected, MqttTopicMatcher.IsMatch(filter, topic));
        Assert.Equal(expected, TopicMatchRules.Matches(filter, topic));
        Assert.Equal(expected, Reference.Matches(filter, topic));
    }

    [Theory]
    [InlineData("sport/tennis#", "'#' must be a whole level")]
    [InlineData("sport/#/ranking", "'#' must be a whole level")]
    [InlineData("sport+", "'+' must fill a whole level")]
    [InlineData("", "must not be empty")]
    [InlineData("$share/g", "malformed shared subscription")]
    [InlineData("$share//sport/#", "malformed shared subscription")]
    [InlineData("$share/g+/sport", "the share name must not contain '+' or '#'")]
    [InlineData("$share/+/sport", "malformed shared subscription")]
    [InlineData("$share/#", "malformed shared subscription")]
    public void An_invalid_filter_throws_ArgumentException_saying_what_to_fix(string filter, string says)
    {
        var e = Assert.Throws<ArgumentException>(() => MqttTopicMatcher.IsMatch(filter, "sport/tennis"));
        Assert.Contains(says, e.Message, StringComparison.Ordinal);
        Assert.Equal("filter", e.ParamName);
        Assert.False(MqttTopicMatcher.IsValidFilter(filter));
        Assert.False(TopicMatchRules.Matches(filter, "sport/tennis")); // the spec rule: a malformed filter matches nothing
    }

    [Fact]
    public void An_invalid_topic_throws_ArgumentException_and_matches_nothing_in_the_spec_rule()
    {
        foreach (string topic in new[] { "", "sport/+", "sport/#", "a\0" })
        {
            Assert.Equal("topic", Assert.Throws<ArgumentException>(() => MqttTopicMatcher.IsMatch("#", topic)).ParamName);
            Assert.False(TopicMatchRules.Matches("#", topic));
        }

        Assert.False(MqttTopicMatcher.IsValidFilter(null));
        Assert.ThrowsAny<ArgumentException>(() => MqttTopicMatcher.IsMatch(null!, "a"));
        Assert.ThrowsAny<ArgumentException>(() => MqttTopicMatcher.IsMatch("a", null!));
    }

    [Fact]
    public void Matching_allocates_nothing()
    {
        Assert.True(MqttTopicMatcher.IsMatch("$share/g/sport/+/player1/#", "sport/tennis/player1/score"));
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool all = true;
        for (int i = 0; i < 1000; i++)
        {
            all &= MqttTopicMatcher.IsMatch("$share/g/sport/+/player1/#", "sport/tennis/player1/score");
            all &= !TopicMatchRules.Matches("sport/+", "sport/tennis/player1");
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(all);
    }

    /// <summary>The reference: the standard's words, turned into levels and a regular expression, with no shared code.</summary>
    private static class Reference
    {
        public static bool IsValidTopic(string? topic) => !string.IsNullOrEmpty(topic) && topic.IndexOfAny(['+', '#', '\0']) < 0;

        public static bool IsValidFilter(string? filter) => FilterPart(filter) is { } part && LevelsAreValid(part);

        public static bool Matches(string filter, string topic)
        {
            if (!IsValidTopic(topic) || FilterPart(filter) is not { } part || !LevelsAreValid(part))
            {
                return false;
            }

            if (topic.StartsWith('$') && (part.StartsWith('+') || part.StartsWith('#')))
            {
                return false;
            }

            return Regex.IsMatch(topic, ToRegex(part), RegexOptions.Singleline | RegexOptions.CultureInvariant);
        }

        /// <summary>What topics are matched against: the filter, or a shared subscription's part after $share/{name}/; null when malformed.</summary>
        private static string? FilterPart(string? filter)
        {
            if (string.IsNullOrEmpty(filter) || filter.Contains('\0', StringComparison.Ordinal))
            {
                return null;
            }

            string[] levels = filter.Split('/');
            if (levels[0] != "$share" || levels.Length == 1)
            {
                return filter;
            }

            string rest = string.Join('/', levels.Skip(2));
            bool goodName = levels[1].Length > 0 && !levels[1].Contains('+', StringComparison.Ordinal) && !levels[1].Contains('#', StringComparison.Ordinal);
            return levels.Length >= 3 && goodName && rest.Length > 0 ? rest : null;
        }

        private static bool LevelsAreValid(string filter)
        {
            string[] levels = filter.Split('/');
            for (int i = 0; i < levels.Length; i++)
            {
                string level = levels[i];
                if ((level.Contains('#', StringComparison.Ordinal) && (level != "#" || i != levels.Length - 1))
                    || (level.Contains('+', StringComparison.Ordinal) && level != "+"))
                {
                    return false;
                }
            }

            return true;
        }

        private static string ToRegex(string filter)
        {
            if (filter == "#")
            {
                return @"\A.*\z";
            }

            string[] levels = filter.Split('/');
            bool multi = levels[^1] == "#";
            IEnumerable<string> fixedLevels = multi ? levels[..^1] : levels;
            string body = string.Join("/", fixedLevels.Select(l => l == "+" ? "[^/]*" : Regex.Escape(l)));
            return @"\A" + body + (multi ? "(/.*)?" : "") + @"\z";
        }
    }
}
