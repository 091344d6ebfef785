using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Perisai.Server.Application;
using Perisai.Server.Sharing;
using Perisai.Stix;
using Perisai.Stix.Json;
using Perisai.Stix.Markings;
using Perisai.Stix.Sharing;
using Perisai.Storage;

namespace Perisai.Server.Federation;

/// <summary>How one run of a link went.</summary>
/// <param name="In">Versions stored from the peer.</param>
/// <param name="Out">Versions the peer accepted.</param>
/// <param name="NotSent">Objects not sent or not accepted, by reason.</param>
/// <param name="Error">Why the run stopped, or null when it finished.</param>
public sealed record LinkRun(long In, long Out, IReadOnlyDictionary<string, long> NotSent, string? Error);

/// <summary>
/// Runs the links of a peer (issue 17, docs/federation.md). A pull reads the remote collection from the link's cursor
/// with <c>match[version]=all</c> and writes each page through the one intake, with the cursor, in one transaction;
/// a push reads the local collection from its cursor through the one read path as the peer (every organization it
/// speaks for, leaving the node, nothing sent back), sends what passes and counts what does not, by reason. A crash
/// or an outage at any point resumes from the last page whose cursor was stored: nothing is lost, and what is sent
/// again is a no-op at the other end.
/// </summary>
public sealed class PeerSync(IStixStore store, Reads reads, Intake intake, TrustCache trust, TimeProvider time, NodeOptions options)
{
    /// <summary>Objects per page read or sent: a page is one transaction here and one request there.</summary>
    public const int PageSize = 1_000;

    private IPeerStore Peers => store as IPeerStore ?? throw new InvalidOperationException("This store keeps no peers.");

    /// <summary>Runs one link now and records the run; a failure is recorded, not thrown.</summary>
    public async Task<LinkRun> RunAsync(Peer peer, PeerLink link, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(link);
        long started = Micros(time.GetUtcNow());
        var watch = Stopwatch.StartNew();
        var counts = new Counts();
        string? error = null;
        try
        {
            using var client = await TaxiiClient.ConnectAsync(peer.Url, ClientOptions(peer), ct).ConfigureAwait(false);
            if (link.Direction == LinkDirection.Pull)
            {
                await PullAsync(client, peer, link, counts, ct).ConfigureAwait(false);
            }
            else
            {
                await PushAsync(client, peer, link, counts, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is TaxiiClientException or JsonException or HttpRequestException or PeerException)
        {
            error = e.Message;
        }
        await Peers.RecordLinkRunAsync(link.Id, started, watch.ElapsedMilliseconds, error, ct).ConfigureAwait(false);
        // Written now, not queued (a run from the command line has no audit writer behind it); a continuous link's
        // empty runs are not entries, or they would bury the rest of the log.
        if (error is not null || counts.In + counts.Out + counts.NotSent.Count > 0)
        {
            await store.AppendAuditAsync([new AuditEntry(Guid.NewGuid().ToString(), Micros(time.GetUtcNow()), peer.AccountId, peer.HomeOrg,
            link.Direction == LinkDirection.Pull ? "peer.pull" : "peer.push", link.Id,
            $"peer={peer.Name} in={counts.In} out={counts.Out} not_sent={counts.NotSent.Values.Sum()}" + (error is null ? "" : " failed"), "peer")], ct).ConfigureAwait(false);
        }
        return new LinkRun(counts.In, counts.Out, counts.NotSent, error);
    }

    /// <summary>The client options for a peer: its key, its pinned certificate, the node's test handler if any.</summary>
    public TaxiiClientOptions ClientOptions(Peer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return ClientOptions(peer.RemoteKey, peer.Fingerprint);
    }

    /// <summary>The client options for a node called with <paramref name="key"/> (and its pinned certificate, if any).</summary>
    public TaxiiClientOptions ClientOptions(string? key, string? fingerprint) =>
        new() { Key = key, PinnedSha256 = fingerprint, Handler = options.PeerHandler?.Invoke(), Retries = 2, AttemptTimeout = TimeSpan.FromSeconds(30) };

    private sealed class Counts
    {
        public long In { get; set; }

        public long Out { get; set; }

        public Dictionary<string, long> NotSent { get; } = new(StringComparer.Ordinal);

        public void Add(IReadOnlyDictionary<string, long> reasons)
        {
            foreach (var (k, v) in reasons)
            {
                NotSent[k] = NotSent.GetValueOrDefault(k) + v;
            }
        }
    }

    private async Task<TrustedPeer> TrustedAsync(Peer peer, CancellationToken ct)
    {
        var model = await trust.GetAsync(ct).ConfigureAwait(false);
        return model.Peers.TryGetValue(peer.AccountId, out var p) ? p : throw new PeerException(FederationMessages.PeerGone(peer.Name));
    }

    private async Task PullAsync(TaxiiClient client, Peer peer, PeerLink link, Counts counts, CancellationToken ct)
    {
        string cursor = link.Cursor;
        string query = "match[version]=all&limit=" + PageSize.ToString(CultureInfo.InvariantCulture)
            + (cursor.Length > 0 ? "&added_after=" + Uri.EscapeDataString(cursor) : "");
        await client.ObjectsAsync(link.RemoteCollection, query, async (page, last) =>
        {
            var trusted = await TrustedAsync(peer, ct).ConfigureAwait(false);
            if (!trusted.Collections.Contains(link.LocalCollection))
            {
                throw new PeerException(FederationMessages.NotLinked(link.LocalCollection));
            }
            var objects = page.TryGetProperty("objects", out var o) && o.ValueKind == JsonValueKind.Array ? o : default;
            var claims = PeerWire.Producers(page);
            var reasons = new Dictionary<string, long>(StringComparer.Ordinal);
            var result = new IntakeResult(0, [], [], []);
            if (objects.ValueKind == JsonValueKind.Array && objects.GetArrayLength() > 0)
            {
                // The page's objects as one envelope through the one check every entrance uses.
                byte[] envelope = Encoding.UTF8.GetBytes("{\"objects\":" + objects.GetRawText() + "}");
                using var doc = StixDocument.Parse(envelope, ContainerKind.Envelope);
                if (doc.Error is { } e)
                {
                    throw new PeerException(FederationMessages.BadPage(e.Message));
                }
                result = Intake.Check(doc);
                if (result.Failures.Count > 0)
                {
                    reasons[LinkReasons.Invalid] = result.Failures.Count;
                }
            }
            // Without the page's date_added the cursor cannot move (a server that omits X-TAXII-Date-Added-Last, §3.2,
            // is read from the start each run; what is already stored is a no-op).
            if (last is not null)
            {
                cursor = last;
            }
            long? newest = last is not null && StixTimestamp.TryParse(last, out var t) ? Micros(t.Value.Instant) : null;
            var progress = new LinkProgress(link.Id, cursor, newest, 0, 0, reasons);
            var results = await intake.AddFromPeerAsync(link.LocalCollection, trusted, result, claims, progress, ct).ConfigureAwait(false);
            counts.In += results.Count(r => r.Outcome == AddOutcome.Added);
            counts.Add(reasons);
            counts.Add(LinkReasons.Of(results));
        }, ct).ConfigureAwait(false);
    }

    private async Task PushAsync(TaxiiClient client, Peer peer, PeerLink link, Counts counts, CancellationToken ct)
    {
        long cursor = link.Cursor.Length > 0 ? long.Parse(link.Cursor, CultureInfo.InvariantCulture) : 0;
        while (true)
        {
            var model = await trust.GetAsync(ct).ConfigureAwait(false);
            var trusted = model.Peers.TryGetValue(peer.AccountId, out var tp) ? tp : throw new PeerException(FederationMessages.PeerGone(peer.Name));
            // Every row after the cursor (the node's own view, for counting), then what the peer receives of them: the
            // one read path, as the peer. What is in the first and not the second is counted by reason.
            var all = await store.QueryObjectsAsync(new ObjectQuery(link.LocalCollection) { AddedAfter = cursor, Versions = VersionFilter.Every, Limit = PageSize }, ct).ConfigureAwait(false);
            if (all.Items.Count == 0)
            {
                return;
            }
            long through = all.Items[^1].DateAdded;
            var reader = new Reader(model, SharingFilter.ForPeer(model, trusted));
            var (rows, json) = await reads.PageAsync(reader, new ObjectQuery(link.LocalCollection)
            {
                AddedAfter = cursor, AddedThrough = through, Versions = VersionFilter.Every, Limit = PageSize,
            }, ct).ConfigureAwait(false);
            var sent = rows.Items.Select(r => r.DateAdded).ToHashSet();
            var reasons = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var row in all.Items.Where(r => !sent.Contains(r.DateAdded)))
            {
                string reason = Classify(model, trusted, link.LocalCollection, row);
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            }
            long accepted = 0;
            if (rows.Items.Count > 0)
            {
                var status = await client.AddWithStatusAsync(link.RemoteCollection, json, ct, [.. rows.Items.Select(r => r.Producer)]).ConfigureAwait(false);
                if (!(status.TryGetProperty("status", out var state) && state.ValueEquals("complete")))
                {
                    status = await client.StatusAsync(status.GetProperty("id").GetString()!, TimeSpan.FromSeconds(60), time, ct).ConfigureAwait(false);
                }
                accepted = status.TryGetProperty("success_count", out var sc) && sc.TryGetInt64(out long n) ? n : 0;
                if (status.TryGetProperty("failures", out var failures) && failures.ValueKind == JsonValueKind.Array)
                {
                    foreach (var f in failures.EnumerateArray())
                    {
                        string message = f.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
                        string reason = message.StartsWith(LinkReasons.ConflictPrefix, StringComparison.Ordinal) ? LinkReasons.Conflict
                            : $"{LinkReasons.Refused}: {(message.Length > 160 ? message[..160] : message)}";
                        reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
                    }
                }
            }
            // The peer has stored the page (its status says so) before the cursor moves past it.
            await Peers.RecordProgressAsync(new LinkProgress(link.Id, through.ToString(CultureInfo.InvariantCulture), through, 0, accepted, reasons), ct).ConfigureAwait(false);
            counts.Out += accepted;
            counts.Add(reasons);
            cursor = through;
            if (!all.More)
            {
                return;
            }
        }
    }

    /// <summary>Why a version was not sent to a peer, in the order the policy decides it.</summary>
    internal static string Classify(TrustModel model, TrustedPeer peer, string collectionId, StoredObject row)
    {
        if (row.Via == peer.Id || row.Producer == peer.HomeOrg)
        {
            return LinkReasons.FromPeer;
        }
        StixObject obj;
        using (var doc = JsonDocument.Parse(row.Json))
        {
            obj = StixObject.FromJson(doc.RootElement);
        }
        var shared = SharedObject.Of(obj, collectionId, row.Producer);
        var level = SharingPolicy.EffectiveOf(model, shared);
        if (peer.Serves.Any(o => SharingPolicy.MayRead(model, o, shared, leavingNode: true, relayOnly: !peer.Own.Contains(o))))
        {
            // Its own marking would let it through: what it refers to is not visible to the peer.
            return LinkReasons.NotReadable;
        }
        return level switch
        {
            TlpLevel.Red => LinkReasons.Red,
            TlpLevel.Amber or TlpLevel.AmberStrict => LinkReasons.NotRecipient,
            TlpLevel.Green when peer.Serves.Any(o => model.CanRead(o, collectionId)) => LinkReasons.NotInCommunity,
            _ => LinkReasons.NotReadable,
        };
    }

    private static long Micros(DateTimeOffset t) => (t - DateTimeOffset.UnixEpoch).Ticks / 10;
}

/// <summary>A link run that cannot go on (the peer was removed, the collection unlinked, a page unreadable).</summary>
public sealed class PeerException(string message) : Exception(message);
