using StateMachineMqtt.Samples.Worker;

// A worker service with an MQTT client: it publishes a reading on a timer and logs the readings it receives.
// Run a broker on localhost:1883 (e.g. mosquitto), then `dotnet run --project samples/WorkerSample`.
await WorkerSampleHost.CreateBuilder(args).Build().RunAsync();
