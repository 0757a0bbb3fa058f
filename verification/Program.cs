using System.Text.Json;
using StateMachineMqtt.Verification.ModelChecking;

// One model-checking run per process: `check OPTIONS_JSON DEPTH` explores the model the options describe to DEPTH events
// (int.MaxValue: until exhausted) and writes the CheckReport as JSON on stdout. A violation is a finding, not an error:
// it is in the report and the exit code is 0. Usage errors exit 2.
if (args.Length != 3 || args[0] != "check" || !int.TryParse(args[2], out int depth) || depth < 1)
{
    Console.Error.WriteLine("usage: StateMachineMqtt.Verification check OPTIONS_JSON DEPTH");
    Console.Error.WriteLine("  OPTIONS_JSON  a ModelOptions object as JSON, e.g. {\"MaxMessages\":1,\"CleanSession\":false}, or @FILE holding one");
    Console.Error.WriteLine("  DEPTH         events to explore from the initial state (2147483647: until no new state remains)");
    return 2;
}

ModelOptions? options;
try
{
    string json = args[1].StartsWith('@') ? File.ReadAllText(args[1][1..]) : args[1];
    options = JsonSerializer.Deserialize<ModelOptions>(json, CheckProtocol.Json);
}
catch (Exception e) when (e is JsonException or IOException)
{
    Console.Error.WriteLine($"OPTIONS_JSON is not a ModelOptions object: {e.Message}");
    return 2;
}

if (options is null)
{
    Console.Error.WriteLine("OPTIONS_JSON is null; give a ModelOptions object, e.g. {}.");
    return 2;
}

CheckReport report = new ModelChecker(options: options).Run(depth);
Console.Out.Write(JsonSerializer.Serialize(report, CheckProtocol.Json));
return 0;
