if (args.Length > 0 && args[0] == LLMDistill.Bench.DedupeBenchmark.Name) { return LLMDistill.Bench.DedupeBenchmark.Run(args[1..]); }
Console.WriteLine("benchmarks: see bench/README.md");
return 0;
