namespace StateMachineMqtt.Cli.Commands.Output;

/// <summary>
/// A status line on stderr redrawn in place ("\r") during long runs, at most every <see cref="Interval"/>; nothing at all
/// when stderr is not a terminal, so logs and pipes get no carriage-return clutter.
/// </summary>
internal sealed class ProgressLine
{
    /// <summary>Redraw at most this often: readable, and cheap next to the work being reported.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly TextWriter _stderr;
    private readonly TimeProvider _time;
    private readonly bool _enabled;
    private long _lastDraw;
    private int _drawnLength;

    /// <summary>A progress line on <paramref name="stderr"/>, drawn only when <see cref="CliEnvironment.StderrIsTerminal"/>.</summary>
    public ProgressLine(TextWriter stderr, CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _stderr = stderr;
        _time = environment.Time;
        _enabled = environment.StderrIsTerminal;
    }

    /// <summary>Redraws with <paramref name="text"/> if the last draw is older than <see cref="Interval"/> (the first draw is at once).</summary>
    public void Update(Func<string> text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!_enabled)
        {
            return;
        }

        long now = _time.GetTimestamp();
        if (_drawnLength > 0 && _time.GetElapsedTime(_lastDraw, now) < Interval)
        {
            return;
        }

        _lastDraw = now;
        Draw(text());
    }

    /// <summary>Erases the line, so what follows on stderr starts on a clean line.</summary>
    public void Clear()
    {
        if (_drawnLength > 0)
        {
            _stderr.Write('\r' + new string(' ', _drawnLength) + '\r');
            _stderr.Flush();
            _drawnLength = 0;
        }
    }

    private void Draw(string line)
    {
        // Pad over a longer previous line instead of relying on an ANSI erase, which not every terminal honours.
        string padded = line.Length < _drawnLength ? line + new string(' ', _drawnLength - line.Length) : line;
        _stderr.Write('\r' + padded);
        _stderr.Flush();
        _drawnLength = Math.Max(line.Length, 1);
    }
}
