using System.Globalization;
using System.Reflection;

namespace StateMachineMqtt.PropertyTests.FaultSchedules;

/// <summary>
/// Writes a schedule as the C# that builds it, so a shrunk failing schedule is pasted into
/// Regressions/ScheduleRegressions.cs as it is, not retyped from its prose.
/// </summary>
public static class ScheduleCode
{
    /// <summary>A C# expression constructing <paramref name="schedule"/>.</summary>
    public static string Of(FaultSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        string steps = string.Join(", ", schedule.Steps.Select(Step));
        return $"new FaultSchedule({Literal(schedule.CleanSession)}, [{steps}])";
    }

    private static string Step(FaultStep step)
    {
        Type type = step.GetType();
        // Positional records: the primary constructor's parameters are the properties of the same name.
        ConstructorInfo constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(p => Literal(type.GetProperty(p.Name!)!.GetValue(step)));
        return $"new FaultStep.{type.Name}({string.Join(", ", arguments)})";
    }

    private static string Literal(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        Enum e => $"{e.GetType().FullName!.Replace('+', '.')}.{e}",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"no literal for {value.GetType().Name}", nameof(value)),
    };
}
