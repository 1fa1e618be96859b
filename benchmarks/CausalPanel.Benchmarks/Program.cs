using BenchmarkDotNet.Running;

// Run all:    dotnet run -c Release --project benchmarks/CausalPanel.Benchmarks -- --filter '*'
// Run one:    dotnet run -c Release --project benchmarks/CausalPanel.Benchmarks -- --filter '*Did*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
