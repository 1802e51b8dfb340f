using Microsoft.Extensions.Hosting;

namespace LLMDistill.Cli.Serving;

/// <summary>A host lifetime that hooks no signals: the server runs inside a CLI command (or a test) that decides when it stops.</summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
