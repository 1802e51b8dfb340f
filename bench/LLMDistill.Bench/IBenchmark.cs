namespace LLMDistill.Bench;

/// <summary>A benchmark the dispatcher finds by reflection: add a class implementing this to add a benchmark.</summary>
internal interface IBenchmark
{
    /// <summary>The name given on the command line.</summary>
    string Name { get; }

    /// <summary>One line for the list of benchmarks.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark with its own arguments; returns the exit code.</summary>
    Task<int> RunAsync(BenchArgs args);
}
