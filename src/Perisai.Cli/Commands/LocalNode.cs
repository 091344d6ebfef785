using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Perisai.Server;
using Perisai.Server.Application;
using Perisai.Stix.Sharing;
using Perisai.Storage;
using Perisai.Storage.Postgres;
using Perisai.Storage.Sqlite;

namespace Perisai.Cli.Commands;

/// <summary>
/// The command line's composition root: the one place that chooses and opens the store (<c>--data</c> or
/// <c>--postgres</c>, declared here once for every verb) and hands the verbs the node's application layer (the one
/// read path, the one intake, the one trust administration, the feeds), never the store itself.
/// </summary>
internal sealed class LocalNode : IAsyncDisposable
{
    private readonly IStixStore _store;

    private LocalNode(IStixStore store, string description)
    {
        _store = store;
        Description = description;
        Reads = new Reads(store);
        Intake = new Intake(store, TimeProvider.System);
        Trust = new TrustAdministration(store, TimeProvider.System);
        Feeds = new Feeds(store, TimeProvider.System, Trust);
        _trustCache = new Perisai.Server.Sharing.TrustCache(store);
        Peers = new PeerAdministration(store, Trust, new Perisai.Server.Federation.PeerSync(store, Reads, Intake, _trustCache, TimeProvider.System, new NodeOptions()), TimeProvider.System);
    }

    private readonly Perisai.Server.Sharing.TrustCache _trustCache;

    /// <summary>The node's peers (federation).</summary>
    public PeerAdministration Peers { get; }

    /// <summary>The data directory of the embedded SQLite store.</summary>
    public static Option<string> Data { get; } = new("--data")
    {
        Description = "Data directory of the embedded SQLite store.",
        DefaultValueFactory = _ => "./perisai-data",
    };

    /// <summary>A PostgreSQL connection string, instead of SQLite.</summary>
    public static Option<string?> Postgres { get; } = new("--postgres")
    {
        Description = "PostgreSQL connection string (instead of SQLite); also read from PERISAI_POSTGRES.",
    };

    /// <summary>The one read path.</summary>
    public Reads Reads { get; }

    /// <summary>The one intake.</summary>
    public Intake Intake { get; }

    /// <summary>The one trust administration.</summary>
    public TrustAdministration Trust { get; }

    /// <summary>The scheduled feeds.</summary>
    public Feeds Feeds { get; }

    /// <summary>Where the store is, for messages.</summary>
    public string Description { get; }

    /// <summary>
    /// Gives <paramref name="command"/> the store options and an action that opens the node, runs
    /// <paramref name="action"/> and closes the node; a refusal of the application layer is printed as
    /// <c>perisai VERB: message</c> with exit code 1.
    /// </summary>
    public static Command Run(Command command, string verb, Func<ParseResult, LocalNode, CancellationToken, Task<int>> action)
    {
        command.Options.Add(Data);
        command.Options.Add(Postgres);
        command.SetAction(async (parse, ct) =>
        {
            await using var node = await OpenAsync(parse, ct).ConfigureAwait(false);
            try
            {
                return await action(parse, node, ct).ConfigureAwait(false);
            }
            catch (TrustAdministrationException refused)
            {
                return Output.Fail(verb, refused.Message);
            }
        });
        return command;
    }

    /// <summary>Opens and migrates the chosen store.</summary>
    public static async Task<LocalNode> OpenAsync(ParseResult parse, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(parse);
        string? pg = parse.GetValue(Postgres) ?? Environment.GetEnvironmentVariable("PERISAI_POSTGRES");
        IStixStore store = string.IsNullOrEmpty(pg)
            ? new SqliteStore(parse.GetValue(Data)!, TimeProvider.System)
            : new PostgresStore(pg, TimeProvider.System);
        try
        {
            await store.MigrateAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new LocalNode(store, string.IsNullOrEmpty(pg) ? $"SQLite in {Path.GetFullPath(parse.GetValue(Data)!)}" : "PostgreSQL");
    }

    /// <summary>A collection by id or alias, or the refusal that names it.</summary>
    public async Task<Storage.TaxiiCollection> CollectionAsync(string idOrAlias, CancellationToken ct) =>
        await Reads.CollectionAsync(idOrAlias, ct).ConfigureAwait(false) ?? throw new TrustAdministrationException(TrustRefusal.NotFound, CliMessages.NoCollection(idOrAlias));

    /// <summary>An organization by id or name (the node operator's own is made on first use), or the refusal that names it.</summary>
    public async Task<Organization> OrganizationAsync(string idOrName, CancellationToken ct) =>
        await Trust.OperatorOrgOrFindAsync(idOrName, ct).ConfigureAwait(false) ?? throw new TrustAdministrationException(TrustRefusal.NotFound, TrustMessages.NoOrganization(idOrName));

    /// <summary>The trust model as it is now.</summary>
    public async Task<TrustModel> TrustModelAsync(CancellationToken ct) => (await _store.LoadTrustAsync(ct).ConfigureAwait(false)).Model;

    /// <summary>The node's server on this store (<c>perisai serve</c>).</summary>
    public WebApplication BuildServer(NodeOptions options, IReadOnlyList<string> urls, Action<WebApplicationBuilder>? configure = null) =>
        NodeHost.Build(_store, options, TimeProvider.System, urls, configure, modules: [new Perisai.Web.WebModule()]);

    /// <summary>Opens (and migrates) the embedded SQLite store in <paramref name="dataDir"/> (<c>perisai demo region</c>'s nodes).</summary>
    public static async Task<LocalNode> OpenSqliteAsync(string dataDir, CancellationToken ct)
    {
        var store = new SqliteStore(dataDir, TimeProvider.System);
        try
        {
            await store.MigrateAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new LocalNode(store, $"SQLite in {Path.GetFullPath(dataDir)}");
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _trustCache.Dispose();
        return _store.DisposeAsync();
    }
}
