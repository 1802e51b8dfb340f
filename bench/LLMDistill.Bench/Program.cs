if (args.Length > 0 && args[0] == LLMDistill.Bench.DedupeBenchmark.Name) { return LLMDistill.Bench.DedupeBenchmark.Run(args[1..]); }
if (args.Length > 0 && args[0] == LLMDistill.Bench.GenerateThroughputBenchmark.Name) { return await LLMDistill.Bench.GenerateThroughputBenchmark.RunAsync(args[1..]); }
Console.WriteLine("benchmarks: see bench/README.md");
return 0;
