using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Perisai.Cli.Commands;
using Perisai.Server;
using Perisai.Server.Application;

namespace Perisai.Cli.Demo;

/// <summary>One node of the demo region: the CERT that runs it, where it listens, and its keys.</summary>
internal sealed class RegionNode(string name, string home, string dataDir, int port, IReadOnlyDictionary<string, string> keys, string? adminKey)
{
    /// <summary>Short name (the peer name others give it).</summary>
    public string Name { get; } = name;

    /// <summary>Its home organization's name.</summary>
    public string Home { get; } = home;

    /// <summary>Its SQLite data directory.</summary>
    public string DataDir { get; } = dataDir;

    /// <summary>Its loopback port.</summary>
    public int Port { get; } = port;

    /// <summary>Its address.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>The demo accounts' keys on this node, by account.</summary>
    public IReadOnlyDictionary<string, string> Keys { get; } = keys;

    /// <summary>The administrator's key, when this start made it.</summary>
    public string? AdminKey { get; } = adminKey;

    /// <summary>Its store and application layer, while it runs.</summary>
    public LocalNode? Local { get; set; }

    /// <summary>Its server, while it runs.</summary>
    public WebApplication? App { get; set; }
}

/// <summary>
/// <c>perisai demo region</c>: the ten ASEAN national CERTs' nodes and the ASEAN Regional CERT's hub on loopback ports,
/// in one process, each on its own SQLite store with the demo directory; joined by invitations in a star through the
/// hub (which speaks for every national CERT, explicitly) plus a direct MyCERT–SingCERT link. The hub holds the demo
/// intelligence, and the national nodes receive it from it. The same region the federation tests run.
/// </summary>
internal sealed class DemoRegion : IAsyncDisposable
{
    /// <summary>The hub's short name.</summary>
    public const string Hub = "hub";

    private DemoRegion(IReadOnlyList<RegionNode> nodes) => Nodes = nodes;

    /// <summary>The nodes, the hub first.</summary>
    public IReadOnlyList<RegionNode> Nodes { get; }

    /// <summary>A node by short name (hub, mycert, singcert, ...) or home organization.</summary>
    public RegionNode this[string name] => Nodes.First(n => n.Name == name || n.Home == name);

    /// <summary>The short name of a CERT's node.</summary>
    public static string Slug(string org) => new([.. org.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);

    /// <summary>Starts the region in <paramref name="dataDir"/> (existing stores are reused: a restart resumes) and joins it.</summary>
    /// <param name="dataDir">One sub-directory per node.</param>
    /// <param name="ports">The port of each node, the hub first; free loopback ports when null.</param>
    /// <param name="configure">Adjusts every node's settings (tests shorten the peer tick).</param>
    /// <param name="log">Lines for the person watching.</param>
    /// <param name="ct">Cancellation.</param>
    public static async Task<DemoRegion> StartAsync(string dataDir, IReadOnlyList<int>? ports, Action<NodeOptions>? configure, Action<string> log, CancellationToken ct)
    {
        var homes = new List<(string Name, string Home)> { (Hub, DemoData.RegionalCert) };
        homes.AddRange(DemoData.Members.Select(m => (Slug(m.Name), m.Name)));
        var nodes = new List<RegionNode>();
        var region = new DemoRegion(nodes);
        try
        {
            for (int i = 0; i < homes.Count; i++)
            {
                var (name, home) = homes[i];
                int port = ports is not null ? ports[i] : FreePort();
                string dir = Path.Combine(dataDir, name);
                var local = await LocalNode.OpenSqliteAsync(dir, ct).ConfigureAwait(false);
                string? adminKey = await local.Trust.BootstrapAsync(ct).ConfigureAwait(false);
                var keys = (await DemoData.LoadAsync(local, ct, intelligence: name == Hub).ConfigureAwait(false)).ToDictionary(k => k.Account, k => k.Key, StringComparer.Ordinal);
                // The hub speaks for every national CERT (and so relays CLEAR and GREEN among them); a national node
                // speaks for its CERT and that one's constituents.
                await local.Peers.ConfigureAsync(Actor.Operator, home, $"http://127.0.0.1:{port}",
                    name == Hub ? [.. DemoData.Members.Select(m => m.Name)] : null, ct).ConfigureAwait(false);
                var node = new RegionNode(name, home, dir, port, keys, adminKey) { Local = local };
                nodes.Add(node);
                await StartServerAsync(node, configure, ct).ConfigureAwait(false);
            }
            if ((await nodes[0].Local!.Peers.ListAsync(ct).ConfigureAwait(false)).Count == 0)
            {
                // The star: every national node joins the hub for the ASEAN and partners collections.
                foreach (var node in nodes.Skip(1))
                {
                    await JoinAsync(nodes[0], node, ["asean", "partners"], ct).ConfigureAwait(false);
                    log($"{node.Name} joined the hub");
                }
                // The bilateral link, directly.
                await JoinAsync(region["mycert"], region["singcert"], ["asean", "my-sg"], ct).ConfigureAwait(false);
                log("singcert joined mycert directly");
            }
            return region;
        }
        catch
        {
            await region.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task JoinAsync(RegionNode inviter, RegionNode joiner, string[] collections, CancellationToken ct)
    {
        var made = await inviter.Local!.Peers.InviteAsync(Actor.Operator, joiner.Name, joiner.Home, null, collections, null, null, ct).ConfigureAwait(false);
        await joiner.Local!.Peers.JoinAsync(Actor.Operator, made.Token, inviter.Name, ct).ConfigureAwait(false);
    }

    /// <summary>Starts (or restarts) a node's server on its port.</summary>
    public static async Task StartServerAsync(RegionNode node, Action<NodeOptions>? configure, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(node);
        node.Local ??= await LocalNode.OpenSqliteAsync(node.DataDir, ct).ConfigureAwait(false);
        var options = new NodeOptions { PeerTick = TimeSpan.FromSeconds(1) };
        configure?.Invoke(options);
        node.App = node.Local.BuildServer(options, [node.Url], b => b.Logging.SetMinimumLevel(LogLevel.Warning));
        await node.App.StartAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Stops a node's server and closes its store, as a shutdown would.</summary>
    public static async Task StopServerAsync(RegionNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.App is { } app)
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            node.App = null;
        }
        if (node.Local is { } local)
        {
            await local.DisposeAsync().ConfigureAwait(false);
            node.Local = null;
        }
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var n in Nodes)
        {
            await StopServerAsync(n).ConfigureAwait(false);
        }
    }
}
