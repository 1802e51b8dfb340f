using System.Diagnostics;
using System.Net;
using LLMDistill.Hub;
using LLMDistill.Inference;
using LLMDistill.Model;
using LLMDistill.Teachers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LLMDistill.Cli.Serving;

/// <summary>
/// A local model behind an OpenAI-compatible HTTP API (Kestrel): <c>/v1/chat/completions</c>, <c>/v1/completions</c>
/// (streaming and not, logprobs, echo, n, stop, seed), <c>/v1/models</c> and <c>/health</c>. Concurrent requests share
/// batched forward passes through the model's scheduler. The service behind <c>llmdistill serve</c>; other code
/// (tests, the <c>run</c> pipeline) starts it in-process.
/// </summary>
public sealed partial class ModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsModel;
    private int _stopped;

    private ModelServer(WebApplication app, LocalModel model, Uri root, bool ownsModel)
    {
        _app = app;
        Model = model;
        RootAddress = root;
        _ownsModel = ownsModel;
    }

    /// <summary>The server root, e.g. <c>http://127.0.0.1:8000/</c>.</summary>
    public Uri RootAddress { get; }

    /// <summary>The OpenAI API base address, e.g. <c>http://127.0.0.1:8000/v1</c> (what clients use as their endpoint).</summary>
    public Uri BaseAddress => new(RootAddress, "v1");

    /// <summary>The served model.</summary>
    public LocalModel Model { get; }

    /// <summary>Loads the model of <paramref name="options"/> and starts serving it.</summary>
    /// <param name="options">Model, address, device and batching.</param>
    /// <param name="apiKey">Required Bearer key, or null/empty for none.</param>
    /// <param name="loggerFactory">Logging (model loading, one line per request); null for none.</param>
    /// <param name="locator">Resolves <c>hf:</c> models; null when only directories are allowed.</param>
    /// <param name="cancellationToken">Cancels loading and start-up.</param>
    /// <returns>The running server; it owns the model.</returns>
    /// <exception cref="ArgumentException">No model, or an invalid host or device.</exception>
    public static async Task<ModelServer> StartAsync(ServeOptions options, string? apiKey, ILoggerFactory? loggerFactory, ModelLocator? locator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var reference = string.IsNullOrWhiteSpace(options.Model) ? throw new ArgumentException("no model: give --model DIR (or Serve:Model)") : options.Model;
        var address = ParseHost(options.Host);
        var directory = reference;
        var name = string.IsNullOrWhiteSpace(options.ModelName) ? null : options.ModelName;
        if (HubModelReference.IsHubReference(reference))
        {
            directory = locator is null
                ? throw new ArgumentException($"'{reference}' is a Hub reference but the Hub is not available here; use a local directory")
                : (await locator.ResolveAsync(reference, "--model", progress: null, cancellationToken)).Directory;
            name ??= HubModelReference.Parse(reference).RepoId.Value;
        }
        else if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"model directory '{directory}' does not exist");
        }

        var factory = loggerFactory ?? NullLoggerFactory.Instance;
        var model = await LocalModel.LoadAsync(
            new LocalModelOptions(directory, name, DeviceResolver.Resolve(options.Device), ModelDtypes.Parse(options.Dtype), options.ChatTemplate, options.ToSchedulerOptions()),
            factory.CreateLogger<ModelServer>(),
            cancellationToken);
        try
        {
            return await StartCoreAsync(model, options, address, apiKey, factory, ownsModel: true, cancellationToken);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Serves an already loaded model (which the server does not dispose).</summary>
    /// <param name="model">The model.</param>
    /// <param name="options">Address and limits (the model settings are ignored).</param>
    /// <param name="apiKey">Required Bearer key, or null/empty for none.</param>
    /// <param name="loggerFactory">Logging; null for none.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <returns>The running server.</returns>
    public static Task<ModelServer> StartAsync(LocalModel model, ServeOptions options, string? apiKey, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        return StartCoreAsync(model, options, ParseHost(options.Host), apiKey, loggerFactory ?? NullLoggerFactory.Instance, ownsModel: false, cancellationToken);
    }

    /// <summary>Stops accepting requests, gives running ones <see cref="ServeOptions.ShutdownSeconds"/> to finish (then cancels them), and frees the model if owned.</summary>
    /// <param name="cancellationToken">Ends the graceful wait early.</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            await _app.StopAsync(cancellationToken);
        }
        finally
        {
            await _app.DisposeAsync();
            if (_ownsModel)
            {
                Model.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private static async Task<ModelServer> StartCoreAsync(LocalModel model, ServeOptions options, IPAddress address, string? apiKey, ILoggerFactory loggerFactory, bool ownsModel, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders(); // requests are logged by this class, never with their headers
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>(); // Ctrl+C belongs to the CLI, not to the host
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownSeconds));
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, options.Port);
        });
        var app = builder.Build();
        var serve = new ServeContext(model, options.MaxTopLogprobs, TimeProvider.System);
        var logger = loggerFactory.CreateLogger<ModelServer>();
        var auth = new ApiKeyCheck(apiKey);
        var chat = new ChatCompletionsEndpoint(serve);
        var completions = new CompletionsEndpoint(serve);
        RequestDelegate chatRoute = http => RunAsync(http, chat.HandleAsync, auth, logger);
        RequestDelegate completionsRoute = http => RunAsync(http, completions.HandleAsync, auth, logger);
        var models = new ModelsEndpoint(serve, serve.Created());
        RequestDelegate modelsRoute = http => RunAsync(http, models.ListAsync, auth, logger);
        RequestDelegate modelRoute = http => RunAsync(http, models.GetAsync, auth, logger);
        RequestDelegate unknownRoute = http => RunAsync(http, ModelsEndpoint.UnknownAsync, auth, logger);
        app.MapPost("/v1/chat/completions", chatRoute);
        app.MapPost("/v1/completions", completionsRoute);
        app.MapGet("/v1/models", modelsRoute);
        app.MapGet("/v1/models/{id}", modelRoute);
        app.MapGet("/health", () => Results.Ok());
        app.MapFallback(unknownRoute);
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ModelServer(app, model, new Uri(bound.TrimEnd('/') + "/"), ownsModel);
    }

    /// <summary>Runs one request with the error contract: OpenAI error JSON and status before a stream starts, an error event after.</summary>
    private static async Task RunAsync(HttpContext http, Func<HttpContext, CancellationToken, Task<RequestSummary>> handler, ApiKeyCheck auth, ILogger logger)
    {
        var clock = Stopwatch.StartNew();
        var aborted = http.RequestAborted;
        var method = http.Request.Method;
        var path = http.Request.Path.Value ?? "";
        try
        {
            if (auth.Check(http.Request) is { } denied)
            {
                await denied.WriteAsync(http.Response, aborted);
                Log(denied.Status, null, "");
                return;
            }

            var summary = await handler(http, aborted);
            Log(http.Response.StatusCode, summary, summary.Streamed ? " (streamed)" : "");
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                Disconnected(logger, method, path, clock.ElapsedMilliseconds);
            }
        }
        catch (StreamFailure failure)
        {
            var error = Map(failure.InnerException!, logger);
            Log(error.Status, null, " (the stream ended with an error: " + error.Message + ")");
            await failure.Events.WriteAsync(error.WriteTo, aborted);
            await failure.Events.DoneAsync(aborted);
        }
        catch (Exception ex) when (!http.Response.HasStarted)
        {
            var error = Map(ex, logger);
            Log(error.Status, null, ": " + error.Message);
            await error.WriteAsync(http.Response, aborted);
        }

        void Log(int status, RequestSummary? summary, string note)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                Served(logger, method, path, status, clock.ElapsedMilliseconds, summary?.PromptTokens ?? 0, summary?.CompletionTokens ?? 0, note);
            }
        }
    }

    private static OpenAiError Map(Exception exception, ILogger logger)
    {
        switch (exception)
        {
            case OpenAiError error:
                return error;
            case ContextLengthExceededException e:
                return OpenAiError.Invalid(ErrorText.Of(e), null, "context_length_exceeded");
            case ArgumentException or NotSupportedException:
                return OpenAiError.Invalid(ErrorText.Of(exception));
            case SchedulerOverloadedException e:
                return OpenAiError.Overloaded(e.Message);
            case ObjectDisposedException:
                return new OpenAiError(503, "the server is shutting down", "server_error") { RetryAfterSeconds = 1 };
            default:
                if (logger.IsEnabled(LogLevel.Error))
                {
                    Failed(logger, exception);
                }

                return OpenAiError.Internal($"internal error: {exception.Message.ReplaceLineEndings(" ")}");
        }
    }

    private static IPAddress ParseHost(string host)
        => host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var address) ? address
            : throw new ArgumentException($"--host '{host}' must be an IP address (127.0.0.1, 0.0.0.0, ::1) or localhost");

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} {Status} in {Milliseconds} ms, {PromptTokens} prompt + {CompletionTokens} completion tokens{Note}")]
    private static partial void Served(ILogger logger, string method, string path, int status, long milliseconds, int promptTokens, int completionTokens, string note);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path}: the client went away after {Milliseconds} ms; its sequences were dropped")]
    private static partial void Disconnected(ILogger logger, string method, string path, long milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "request failed")]
    private static partial void Failed(ILogger logger, Exception exception);
}
