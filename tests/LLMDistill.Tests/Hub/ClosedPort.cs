using System.Net;
using System.Net.Sockets;

namespace LLMDistill.Tests.Hub;

/// <summary>A loopback endpoint where nothing listens, so connections are refused at once (an offline Hub without DNS).</summary>
internal static class ClosedPort
{
    public static Uri Endpoint()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }
}
