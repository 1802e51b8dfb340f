using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Tests.Fixtures;

/// <summary>Starts a Kestrel app on 127.0.0.1 that answers every request with one handler: the base of the tests' fake servers.</summary>
internal static class LoopbackApp
{
    /// <summary>Starts the app; the caller disposes it.</summary>
    /// <param name="handler">Answers every request.</param>
    /// <param name="port">The port; 0 picks a free one.</param>
    /// <returns>The running app and its root address, e.g. <c>http://127.0.0.1:5123/</c>.</returns>
    public static async Task<(WebApplication App, Uri Root)> StartAsync(RequestDelegate handler, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address.TrimEnd('/') + "/"));
    }
}
