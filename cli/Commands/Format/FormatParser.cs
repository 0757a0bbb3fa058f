using System.Text;

namespace StateMachineMqtt.Cli.Commands.Format;

/// <summary>
/// Compiles a <c>-F</c> format as mosquitto_sub reads it: <c>%[-][0][width][.max]X</c> message parameters, <c>@X</c> time
/// codes and <c>\X</c> escapes. Anything it does not know is a usage error at parse time, not a surprise per message.
/// </summary>
internal static class FormatParser
{
    /// <summary>The message parameters: mosquitto_sub's, all of them.</summary>
    public const string Parameters = "%ACDEFIjJlmpPqrRStUxX";

    // Which parameters take a field width, a maximum width and zero padding (mosquitto_sub(1), "Flag characters").
    private const string Widened = "ACEFIlmpRStxX";
    private const string Capped = "CIRt";
    private const string ZeroPadded = "AEFlmSxX";

    /// <summary>The tokens of <paramref name="format"/>.</summary>
    /// <exception cref="UsageException">An unknown code, or a format ending in a lone %, @ or \.</exception>
    public static FormatToken[] Parse(string format)
    {
        var tokens = new List<FormatToken>();
        var literal = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c is not ('%' or '@' or '\\'))
            {
                literal.Append(c);
                continue;
            }

            if (i + 1 == format.Length)
            {
                throw new UsageException($"-F ends with a lone '{c}'; write {c}{c} for the character itself.");
            }

            if (c == '\\')
            {
                literal.Append(Escape(format[++i]));
                continue;
            }

            if (c == '@')
            {
                char code = format[++i];
                if (code == '@')
                {
                    literal.Append('@');
                    continue;
                }

                Flush();
                tokens.Add(new FormatToken('@', TimeCodes.Check(code), "", false, false, 0, -1));
                continue;
            }

            Flush();
            tokens.Add(Parameter(format, ref i));
        }

        Flush();
        return [.. tokens];

        void Flush()
        {
            if (literal.Length > 0)
            {
                tokens.Add(FormatToken.Literal(literal.ToString()));
                literal.Clear();
            }
        }
    }

    private static FormatToken Parameter(string format, ref int i)
    {
        int start = i;
        bool left = false, zero = false;
        while (i + 1 < format.Length && format[i + 1] is '-' or '0')
        {
            left |= format[++i] == '-';
            zero |= format[i] == '0';
        }

        int width = Number(format, ref i);
        int max = -1;
        if (i + 1 < format.Length && format[i + 1] == '.')
        {
            i++;
            max = Number(format, ref i);
        }

        if (i + 1 == format.Length)
        {
            throw new UsageException($"-F ends inside '{format[start..]}'; a % sequence ends with one of {Parameters}.");
        }

        char code = format[++i];
        if (!Parameters.Contains(code, StringComparison.Ordinal))
        {
            throw new UsageException($"-F: '%{code}' is not a format parameter; use one of %{string.Join(" %", Parameters.ToCharArray())} (as mosquitto_sub), @X for a strftime code, or \\n \\t \\0 \\a \\e \\\\.");
        }

        if (code == '%')
        {
            return FormatToken.Literal("%");
        }

        // As mosquitto_sub: a flag or width a parameter does not take is ignored, and '-' overrides '0'.
        return new FormatToken('%', code, "",
            LeftAlign: left && Widened.Contains(code, StringComparison.Ordinal),
            ZeroPad: zero && !left && ZeroPadded.Contains(code, StringComparison.Ordinal),
            Width: Widened.Contains(code, StringComparison.Ordinal) ? width : 0,
            MaxWidth: Capped.Contains(code, StringComparison.Ordinal) ? max : -1);
    }

    private static int Number(string format, ref int i)
    {
        int value = 0;
        while (i + 1 < format.Length && char.IsAsciiDigit(format[i + 1]))
        {
            value = checked((value * 10) + (format[++i] - '0'));
        }

        return value;
    }

    private static char Escape(char code) => code switch
    {
        'n' => '\n',
        't' => '\t',
        '0' => '\0',
        'a' => '\a',
        'e' => '\u001b',
        '\\' => '\\',
        _ => throw new UsageException($"-F: '\\{code}' is not an escape; use \\n \\t \\0 \\a \\e or \\\\."),
    };
}
