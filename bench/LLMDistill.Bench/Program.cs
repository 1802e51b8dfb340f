using System.Reflection;
using LLMDistill.Bench;

// Benchmarks print ratios against a baseline measured in the same process.
// Usage: dotnet run -c Release --project bench/LLMDistill.Bench -- NAME [--option value ...]
var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToDictionary(b => b.Name, StringComparer.OrdinalIgnoreCase);

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.Error.WriteLine(args.Length == 0 ? "usage: LLMDistill.Bench NAME [--option value ...]" : $"unknown benchmark '{args[0]}'");
    foreach (var b in benchmarks.Values)
    {
        Console.Error.WriteLine($"  {b.Name,-14} {b.Description}");
    }

    return 2;
}

try
{
    return await benchmark.RunAsync(new BenchArgs(args[1..]));
}
catch (Exception ex) when (ex is ArgumentException or IOException)
{
    Console.Error.WriteLine($"bench {benchmark.Name}: error: {ex.Message}");
    return 1;
}
