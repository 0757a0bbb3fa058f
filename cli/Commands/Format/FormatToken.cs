namespace StateMachineMqtt.Cli.Commands.Format;

/// <summary>
/// One piece of a compiled <c>-F</c> format: literal text, a % parameter with its flags and widths, or an @ time code.
/// </summary>
/// <param name="Kind">'"' for literal text, '%' for a message parameter, '@' for a strftime code.</param>
/// <param name="Code">The parameter's or time code's letter (0 for literal text).</param>
/// <param name="Text">The literal text (empty otherwise).</param>
/// <param name="LeftAlign">The '-' flag: pad on the right.</param>
/// <param name="ZeroPad">The '0' flag: pad numbers with zeros.</param>
/// <param name="Width">The minimum field width (0: none).</param>
/// <param name="MaxWidth">The maximum field width (-1: none).</param>
internal readonly record struct FormatToken(char Kind, char Code, string Text, bool LeftAlign, bool ZeroPad, int Width, int MaxWidth)
{
    /// <summary>A piece of literal text.</summary>
    public static FormatToken Literal(string text) => new('"', '\0', text, false, false, 0, -1);
}
