using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LLMDistill.Data;
using LLMDistill.Tests.Fixtures;
using LLMDistill.Tests.Fixtures.OpenAiServer;

namespace LLMDistill.Tests.Acceptance;

/// <summary>
/// Issue "Done when": a malformed seed line is reported with file:line and skipped (or fails fast by config); an
/// unreachable teacher stops the run with a clear one-line message, a non-zero exit and the written samples intact.
/// All through the real <c>llmdistill generate</c> process.
/// </summary>
public sealed class FailureAcceptanceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Generate_MalformedSeedLines_AreReportedWithFileAndLineAndSkipped()
    {
        using var paths = new AcceptancePaths();
        WriteSeeds(paths);
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedTeacher.Replies();

        var (exit, stdout, stderr) = await CliProcess.RunAsync(paths.Root, null, Timeout, Args(paths, server.V1, "out", 20));

        Assert.True(exit == 0, $"exit {exit}: {CliProcess.Tail(stderr)}");
        Assert.Contains("generate: note: seed line skipped: seeds/mixed.jsonl:3: not valid JSON", stdout, StringComparison.Ordinal);
        Assert.Contains("generate: note: seed line skipped: seeds/mixed.jsonl:5: needs a non-empty \"instruction\" or \"prompt\" string", stdout, StringComparison.Ordinal);
        Assert.Contains("seeds/mixed.jsonl:3", stderr, StringComparison.Ordinal); // the structured log says it too
        var audit = await DatasetAudit.AssertAddsUpAsync(paths.Output("out"), 20);
        Assert.Equal(2, audit.Manifest.Counts["seedErrors"]);
        Assert.Equal(8, audit.Manifest.Counts["seeds"]);
        Assert.Equal(2, audit.Manifest.Notes!.Count(n => n.StartsWith("seed line skipped: seeds/mixed.jsonl:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Generate_MalformedSeedLineWithSeedErrorsFail_StopsBeforeAnyRequestWithFileAndLine()
    {
        using var paths = new AcceptancePaths();
        WriteSeeds(paths);
        await using var server = await ScriptedOpenAiServer.StartAsync();

        var (exit, stdout, stderr) = await CliProcess.RunAsync(paths.Root, null, Timeout, [.. Args(paths, server.V1, "out", 20), "--Generate:SeedErrors=Fail"]);

        Assert.Equal(1, exit);
        AssertErrorLine(stderr, "llmdistill: error: seeds/mixed.jsonl:3: not valid JSON");
        Assert.Equal(0, server.HitCount);
        Assert.Empty(DatasetDirectory.FindSampleFiles(paths.Output("out")));
        Assert.DoesNotContain("samples in", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_TeacherUnreachableFromTheStart_StopsWithOneLineNamingTheTeacher()
    {
        using var paths = new AcceptancePaths();
        WriteSeeds(paths);
        var endpoint = new Uri($"http://127.0.0.1:{FreePort()}/v1"); // nothing listens there

        var (exit, _, stderr) = await CliProcess.RunAsync(paths.Root, null, Timeout, Args(paths, endpoint, "out", 20));

        Assert.NotEqual(0, exit);
        var line = AssertErrorLine(stderr, $"llmdistill: error: teacher 'scripted' ({endpoint}): Unavailable: connection failed");
        Assert.EndsWith($"the 0 samples written to {paths.Output("out")} are intact: rerun the same command to resume", line, StringComparison.Ordinal);
        Assert.False(DatasetDirectory.TryReadManifest(paths.Output("out"))?.Complete ?? false);
    }

    [Fact]
    public async Task Generate_TeacherGoesAwayMidRun_StopsWithOneLineKeepsWrittenSamplesAndResumes()
    {
        using var paths = new AcceptancePaths();
        WriteSeeds(paths, generatedSeeds: 40);
        var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedTeacher.Replies(maxDelayMs: 10);
        var endpoint = server.V1;
        string[] args = [.. Args(paths, endpoint, "out", 400), "--Generate:Pipeline:FlushEvery=4"];
        var message = "";
        var output = paths.Output("out");
        using (var run = CliProcess.Start(paths.Root, null, args))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (SampleLines(output) < 60 && !run.HasExited && clock.Elapsed < Timeout)
            {
                await Task.Delay(5);
            }

            await server.DisposeAsync(); // the port now refuses connections
            var (exit, _, stderr) = await run.WaitAsync(Timeout);

            Assert.NotEqual(0, exit);
            var line = AssertErrorLine(stderr, $"llmdistill: error: teacher 'scripted' ({endpoint}): Unavailable: connection failed");
            message = line;
        }

        // Intact: every line of every shard is a whole sample, and the manifest counts exactly those.
        var written = DatasetDirectory.FindSampleFiles(output).SelectMany(File.ReadLines)
            .Select(line => JsonSerializer.Deserialize(line, DatasetJson.Default.DistillationSample)!).ToList();
        var manifest = DatasetDirectory.TryReadManifest(output)!;
        Assert.False(manifest.Complete);
        Assert.InRange(written.Count, 60, 399);
        Assert.Equal(written.Count, manifest.Counts["kept"]);
        Assert.Equal(written.Count, written.Select(s => s.Id).Distinct().Count());
        Assert.EndsWith($"the {written.Count} samples written to {output} are intact: rerun the same command to resume", message, StringComparison.Ordinal);

        // The same command resumes once the teacher is back (same address: the endpoint is part of the run's identity).
        await using var back = await ScriptedOpenAiServer.StartAsync(endpoint.Port);
        back.Default = ScriptedTeacher.Replies();
        var (resumedExit, _, resumedErr) = await CliProcess.RunAsync(paths.Root, null, Timeout, args);
        Assert.True(resumedExit == 0, $"resume: exit {resumedExit}: {CliProcess.Tail(resumedErr)}");
        var audit = await DatasetAudit.AssertAddsUpAsync(output, 400);
        Assert.Subset(audit.Samples.Select(s => s.Id).ToHashSet(), written.Select(s => s.Id).ToHashSet());
    }

    private static string[] Args(AcceptancePaths paths, Uri endpoint, string output, int target) =>
    [
        "generate", "--config", AcceptancePaths.Config("scripted-chat.json"), .. paths.Scratch(output),
        "--Teachers:scripted:Endpoint=" + endpoint, "--Teachers:scripted:MaxRetries=1", "--Teachers:scripted:RetryBaseDelaySeconds=0.05",
        "--Generate:TargetSamples=" + target, "--Generate:Seeds:0=seeds/mixed.jsonl",
        "--Generate:PromptsDirectory=" + Path.Combine(SharedPaths.RepoRoot, "prompts"),
    ];

    /// <summary>seeds/mixed.jsonl: line 3 is torn JSON, line 5 has no instruction; the rest are good.</summary>
    private static void WriteSeeds(AcceptancePaths paths, int generatedSeeds = 0)
    {
        var good = File.ReadLines(Path.Combine(SharedPaths.RepoRoot, "seeds", "instructions.jsonl")).Take(8 + generatedSeeds).ToList();
        var lines = new List<string>(good);
        lines.Insert(2, """{"id": "torn", "instruction": "Write a haiku about""");
        lines.Insert(4, """{"id": "empty", "category": "writing"}""");
        Directory.CreateDirectory(Path.Combine(paths.Root, "seeds"));
        File.WriteAllLines(Path.Combine(paths.Root, "seeds", "mixed.jsonl"), lines);
    }

    /// <summary>The one error line, which must be the last line of stderr (logs may precede it).</summary>
    private static string AssertErrorLine(string stderr, string expectedStart)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var errors = lines.Where(l => l.StartsWith("llmdistill: ", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(errors);
        Assert.Equal(lines[^1], line);
        Assert.StartsWith(expectedStart, line, StringComparison.Ordinal);
        return line;
    }

    private static int SampleLines(string output)
    {
        try
        {
            return DatasetDirectory.FindSampleFiles(output).Sum(f => File.ReadLines(f).Count());
        }
        catch (IOException)
        {
            return 0; // being created
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
