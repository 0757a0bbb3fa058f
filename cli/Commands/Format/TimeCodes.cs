using System.Globalization;

namespace StateMachineMqtt.Cli.Commands.Format;

/// <summary>
/// mosquitto_sub's <c>@X</c> codes: strftime(3)'s <c>%X</c> for the POSIX codes below, in the C locale, plus its own
/// <c>@N</c> (nanoseconds within the second). mosquitto_sub passes any letter to the platform's strftime; a code outside
/// this set is refused here rather than printed differently.
/// </summary>
internal static class TimeCodes
{
    private const string Known = "aAbBdeFHIjmMNpsSTuwyYzZ";

    /// <summary>Returns <paramref name="code"/> when it is one of the supported codes.</summary>
    /// <exception cref="UsageException">It is not.</exception>
    public static char Check(char code) => Known.Contains(code, StringComparison.Ordinal)
        ? code
        : throw new UsageException($"-F: '@{code}' is not a supported time code; use one of @{string.Join(" @", Known.ToCharArray())} (strftime's, in the C locale) or @@.");

    /// <summary>The text of <paramref name="code"/> for the time <paramref name="now"/> (its own offset is the local zone's).</summary>
    public static string Format(char code, DateTimeOffset now)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        return code switch
        {
            'a' => now.ToString("ddd", c),
            'A' => now.ToString("dddd", c),
            'b' => now.ToString("MMM", c),
            'B' => now.ToString("MMMM", c),
            'd' => now.ToString("dd", c),
            'e' => now.Day.ToString(c).PadLeft(2),
            'F' => now.ToString("yyyy-MM-dd", c),
            'H' => now.ToString("HH", c),
            'I' => now.ToString("hh", c),
            'j' => now.DayOfYear.ToString("000", c),
            'm' => now.ToString("MM", c),
            'M' => now.ToString("mm", c),
            'N' => Nanoseconds(now).ToString(c),
            'p' => now.Hour < 12 ? "AM" : "PM",
            's' => now.ToUnixTimeSeconds().ToString(c),
            'S' => now.ToString("ss", c),
            'T' => now.ToString("HH:mm:ss", c),
            'u' => (now.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)now.DayOfWeek).ToString(c),
            'w' => ((int)now.DayOfWeek).ToString(c),
            'y' => now.ToString("yy", c),
            'Y' => now.Year.ToString(c),
            'z' => Offset(now),
            'Z' => ZoneName(now),
            _ => throw new ArgumentOutOfRangeException(nameof(code), code, "not a checked time code"),
        };
    }

    /// <summary>The UTC offset as strftime's %z writes it: +hhmm.</summary>
    public static string Offset(DateTimeOffset now)
    {
        TimeSpan offset = now.Offset;
        string sign = offset < TimeSpan.Zero ? "-" : "+";
        offset = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{offset.Hours:00}{offset.Minutes:00}");
    }

    /// <summary>Nanoseconds within the second (.NET's clock has 100 ns ticks, so the last two digits are 0).</summary>
    public static long Nanoseconds(DateTimeOffset now) => now.Ticks % TimeSpan.TicksPerSecond * 100;

    private static string ZoneName(DateTimeOffset now)
    {
        TimeZoneInfo zone = TimeZoneInfo.Local;
        if (zone.BaseUtcOffset == TimeSpan.Zero && !zone.SupportsDaylightSavingTime)
        {
            return "UTC";
        }

        return zone.IsDaylightSavingTime(now) ? zone.DaylightName : zone.StandardName;
    }
}
