using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench -- --filter '*'` (see README.md); any BenchmarkDotNet option works after `--`.
BenchmarkSwitcher.FromAssembly(typeof(StateMachineMqtt.Benchmarks.InMemory.InMemoryTransport).Assembly).Run(args);
