using System.CommandLine;
using System.Net;
using LLMDistill.Cli.Hosting;
using LLMDistill.Cli.Serving;
using LLMDistill.Configuration;
using LLMDistill.Hub;
using LLMDistill.Inference;
using LLMDistill.Tokenization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Cli.Commands;

/// <summary>
/// <c>llmdistill serve --model DIR [--port P] [--host 127.0.0.1] [--api-key KEY] [--device D] [--dtype T]
/// [--max-batch-size N] [--model-name NAME] [--chat-template T] [--batching continuous|dynamic]</c>: serves a model as an
/// OpenAI-compatible API (<see cref="ModelServer"/>). Prints the API base URL (with the chosen port when --port is 0) as
/// the only line on stdout; logs go to stderr. Settings come from the <c>Serve</c> section, then the options. The API key
/// comes from --api-key or <c>LLMDISTILL_SERVE_API_KEY</c>. Ctrl+C stops it gracefully (exit 0).
/// </summary>
internal static class ServeCommand
{
    /// <summary>The environment variable holding the API key clients must send.</summary>
    public const string ApiKeyVariable = "LLMDISTILL_SERVE_API_KEY";

    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Model directory (config.json, safetensors, tokenizer) or hf:org/name [default: Serve:Model]." };
        var port = new Option<int?>("--port") { Description = "Port; 0 picks a free one [default: Serve:Port, 8000]." };
        var host = new Option<string?>("--host") { Description = "Address to listen on: an IP or localhost [default: 127.0.0.1]. Use an API key beyond loopback." };
        var apiKey = new Option<string?>("--api-key") { Description = $"Require 'Authorization: Bearer KEY' [default: ${ApiKeyVariable}, else none]." };
        var device = new Option<string?>("--device") { Description = "auto, cpu, cuda or cuda:N [default: auto]." };
        var dtype = new Option<string?>("--dtype") { Description = "Weight dtype: float32, bfloat16 or float16 [default: float32]." };
        var maxBatch = new Option<int?>("--max-batch-size") { Description = "Most sequences decoded together [default: 64]." };
        var modelName = new Option<string?>("--model-name") { Description = "Model id clients send [default: the directory's name]." };
        var template = new Option<ChatTemplateKind?>("--chat-template") { Description = "auto, chatml, llama3 or plain [default: auto; plain for models without one]." };
        var batching = new Option<BatchingMode?>("--batching") { Description = "continuous (join between decoding steps) or dynamic (collect for a window) [default: continuous]." };
        var command = new Command("serve", "Serve a model as an OpenAI-compatible API (/v1/chat/completions, /v1/completions, /v1/models); concurrent requests share batched forward passes.")
        {
            model, port, host, apiKey, device, dtype, maxBatch, modelName, template, batching,
        };
        var configOption = ConfigOptions.AddTo(command);
        command.SetAction((parseResult, ct) => CommandRunner.RunAsync(
            async token =>
            {
                var configuration = ConfigOptions.Load(parseResult, configOption);
                var options = OptionsBinder.Bind<ServeOptions>(configuration, ServeOptions.SectionName);
                options.Model = parseResult.GetValue(model) ?? options.Model;
                options.Port = parseResult.GetValue(port) ?? options.Port;
                options.Host = parseResult.GetValue(host) ?? options.Host;
                options.Device = parseResult.GetValue(device) ?? options.Device;
                options.Dtype = parseResult.GetValue(dtype) ?? options.Dtype;
                options.MaxBatchSize = parseResult.GetValue(maxBatch) ?? options.MaxBatchSize;
                options.ModelName = parseResult.GetValue(modelName) ?? options.ModelName;
                options.ChatTemplate = parseResult.GetValue(template) ?? options.ChatTemplate;
                options.Batching = parseResult.GetValue(batching) ?? options.Batching;
                OptionsBinder.Validate(options, "serve");
                var key = parseResult.GetValue(apiKey) ?? Environment.GetEnvironmentVariable(ApiKeyVariable);
                return await RunAsync(options, key, OptionsBinder.Bind<HubOptions>(configuration, HubOptions.SectionName), token);
            },
            ct));
        return command;
    }

    private static async Task<int> RunAsync(ServeOptions options, string? apiKey, HubOptions hubOptions, CancellationToken cancellationToken)
    {
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            })
            .AddFilter("Microsoft", LogLevel.Warning)
            .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace)); // stdout holds only the URL
        await using var services = new ServiceCollection().AddLogging().AddLlmDistillHub(hubOptions).BuildServiceProvider();
        var server = await ModelServer.StartAsync(options, apiKey, loggerFactory, services.GetRequiredService<ModelLocator>(), cancellationToken); // a signal while loading: 130

        try
        {
            await Console.Out.WriteLineAsync(server.BaseAddress.AbsoluteUri);
            await Console.Out.FlushAsync(CancellationToken.None);
            var exposed = IPAddress.TryParse(options.Host, out var address) && !IPAddress.IsLoopback(address);
            var warning = exposed && string.IsNullOrEmpty(apiKey) ? $" WARNING: listening beyond loopback without an API key (set --api-key or {ApiKeyVariable})." : "";
            await Console.Error.WriteLineAsync($"llmdistill serve: serving '{server.Model.Name}' at {server.BaseAddress.AbsoluteUri}; Ctrl+C stops.{warning}");
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C/SIGTERM (CommandRunner's StopSignals cancel the token): the normal way to stop a server, so exit 0
        }
        finally
        {
            await server.StopAsync(CancellationToken.None);
        }

        await Console.Error.WriteLineAsync("llmdistill serve: stopped");
        return 0;
    }
}
