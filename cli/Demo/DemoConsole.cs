using System.Globalization;

namespace StateMachineMqtt.Cli.Demo;

/// <summary>Writes the demo's lines, each stamped with the seconds since the start. Thread-safe.</summary>
internal sealed class DemoConsole
{
    private readonly TextWriter _out;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly Lock _gate = new();

    /// <summary>Starts the clock at zero.</summary>
    public DemoConsole(TextWriter output, TimeProvider time)
    {
        _out = output;
        _time = time;
        _start = time.GetTimestamp();
    }

    /// <summary>Seconds since the start.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_start);

    /// <summary>Writes "  12.3s  text".</summary>
    public void Line(string text)
    {
        lock (_gate)
        {
            _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Elapsed.TotalSeconds,6:0.0}s  {text}"));
            _out.Flush();
        }
    }

    /// <summary>Writes text as is (headings, the summary).</summary>
    public void Raw(string text)
    {
        lock (_gate)
        {
            _out.WriteLine(text);
            _out.Flush();
        }
    }
}
