using BenchmarkDotNet.Running;
using WaferNotebooks.Benchmarks;

// Run all: dotnet run -c Release --project tests/WaferNotebooks.Benchmarks -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Workloads).Assembly).Run(args);
