using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Perisai.Server.Application;
using Perisai.Server.Sharing;
using Perisai.Stix;
using Perisai.Stix.Markings;
using Perisai.Stix.Sharing;
using Perisai.Storage;
using Perisai.Tests.Sharing;

namespace Perisai.Web.Tests.Trust;

/// <summary>
/// The random exit walk with canaries: thousands of random worlds (organizations, communities, collections, grants,
/// objects at every marking with granular markings, recipients and refs), each object carrying a unique canary in
/// its name and another in its optional description. Random readers of each world walk random exits through the real
/// HTTP pipeline: TAXII objects (as an analyst and as a peer's sync key), the export bundle, the sightings API, and
/// the web (dashboard, object pages with their relationship graphs, search by every filter and by a canary, the
/// administration page). Every body is searched for every canary and every object id of the world; one that the
/// decision function (<see cref="SharingPolicy"/> and the withholding rule of STIX 2.1 §7.2.3) does not entitle the
/// reader to is a leak, and fails the walk with the seed that reproduces it.
/// </summary>
public sealed partial class CanaryExitWalkTests : IAsyncLifetime
{
    /// <summary>Worlds per run: 2,000 (CI sets nothing); PERISAI_EXIT_WORLDS changes it for a quick local look or a longer soak.</summary>
    private static readonly int Worlds = int.TryParse(Environment.GetEnvironmentVariable("PERISAI_EXIT_WORLDS"), out int n) && n > 0 ? n : 2_000;

    /// <summary>Worlds on one node before a fresh one is started (the cost of a read grows with the node's trust model).</summary>
    private const int WorldsPerNode = 50;

    private WebNode _node = null!;

    [GeneratedRegex("canary[0-9]{6}x[0-9]{2}[nd]")]
    private static partial Regex CanaryPattern();

    [GeneratedRegex("(indicator|malware|relationship|note|sighting|report)--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex IdPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiForgery();

    [GeneratedRegex("name=\"Form.Collection\">(.*?)</select>", RegexOptions.Singleline)]
    private static partial Regex CollectionSelect();

    [GeneratedRegex("<option value=\"([^\"]+)\"")]
    private static partial Regex OptionValue();

    [GeneratedRegex("([0-9,]+) results?")]
    private static partial Regex ResultCount();

    public async ValueTask InitializeAsync() => _node = await WebNode.StartAsync();

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Every_exit_of_thousands_of_random_worlds_shows_no_canary_to_a_reader_not_entitled_to_it()
    {
        var reads = new Reads(_node.Store);
        int bodies = 0, previews = 0;
        for (int seed = 0; seed < Worlds; seed++)
        {
            if (seed > 0 && seed % WorldsPerNode == 0)
            {
                // A fresh node now and then: every read loads the node's whole trust model, which grows with each world.
                await _node.DisposeAsync();
                _node = await WebNode.StartAsync();
                reads = new Reads(_node.Store);
            }
            var world = await SharingWorld.CreateAsync(_node.Store, 100_000 + seed, allowPublic: false);
            var rnd = new Random(seed);
            var oracle = new Oracle(world, 100_000 + seed);
            // Two readers of each world, each with a random role, walk a random sample of the exits.
            foreach (int r in new[] { rnd.Next(5), rnd.Next(5) })
            {
                var org = world.Orgs[r];
                var role = rnd.Next(3) switch { 0 => Role.Reader, 1 => Role.Analyst, _ => Role.Lead };
                var (_, key, cookie) = await _node.AccountAsync(org.Id, $"{org.Name}-{r}-{Guid.NewGuid():N}", role);
                using var taxii = _node.Taxii(key);
                using var web = _node.Browser(cookie);
                string where = $"seed {100_000 + seed}, reader {r} ({role})";
                for (int step = 0; step < 6; step++)
                {
                    var c = world.Collections[rnd.Next(world.Collections.Count)];
                    var o = world.Objects[rnd.Next(world.Objects.Count)];
                    switch (rnd.Next(10))
                    {
                        case 0:
                        {
                            string body = await GetAsync(taxii, $"/default/collections/{c.Id}/objects/?match[version]=all&limit=1000");
                            oracle.Check(body, org.Id, leaving: false, $"{where}: TAXII objects of {c.Id}");
                            break;
                        }
                        case 1:
                        {
                            // A peer's sync key: what it reads leaves the node, so TLP:RED (objects and parts) never.
                            var (_, syncKey, _) = await _node.AccountAsync(org.Id, $"sync-{Guid.NewGuid():N}", Role.Sync);
                            using var sync = _node.Taxii(syncKey);
                            string body = await GetAsync(sync, $"/default/collections/{c.Id}/objects/?match[version]=all&limit=1000");
                            oracle.Check(body, org.Id, leaving: true, $"{where}: TAXII objects of {c.Id} with a sync key");
                            break;
                        }
                        case 2:
                        {
                            var (_, trust) = await _node.Store.LoadTrustAsync();
                            using var bundle = new MemoryStream();
                            await BundleExport.WriteAsync(reads, Reader.Leaving(trust, org.Id), c.Id, rnd.Next(2) == 0, "bundle--6ba7b810-9dad-41d1-80b4-00c04fd430c8", bundle);
                            oracle.Check(System.Text.Encoding.UTF8.GetString(bundle.ToArray()), org.Id, leaving: true, $"{where}: export of {c.Id}");
                            break;
                        }
                        case 3:
                            oracle.Check(await GetAsync(taxii, "/api/v1/sightings/summary"), org.Id, leaving: false, $"{where}: sightings summary");
                            break;
                        case 4:
                            oracle.Check(await GetAsync(web, "/ui/"), org.Id, leaving: false, $"{where}: dashboard");
                            break;
                        case 5:
                            oracle.Check(await GetAsync(web, $"/ui/objects/{o.Object.Id}"), org.Id, leaving: false, $"{where}: object page of {o.Object.Id}");
                            break;
                        case 6:
                        {
                            // Search by a canary: found exactly when the reader is entitled to it.
                            int i = rnd.Next(world.Objects.Count);
                            char part = rnd.Next(2) == 0 ? 'n' : 'd';
                            string canary = SharingWorld.Canary(world.Seed, i, part);
                            string body = await GetAsync(web, $"/ui/search?q={canary}");
                            int found = int.Parse(ResultCount().Match(body).Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
                            // Search reads the latest version the reader may see of each object (as TAXII does by default).
                            bool entitled = oracle.Entitled(canary, org.Id, leaving: false) && oracle.Latest(canary, org.Id);
                            Assert.True(entitled == found > 0, $"{where}: a search for {canary} found {found} objects; entitled: {entitled}");
                            // The page repeats the query (in the box and in its status line): those echoes are not leaks.
                            oracle.Check(body.Replace($"value=\"{canary}\"", "", StringComparison.Ordinal).Replace($"&#x201C;{canary}&#x201D;", "", StringComparison.Ordinal),
                                org.Id, leaving: false, $"{where}: search for {canary}");
                            break;
                        }
                        case 7:
                        {
                            string type = new[] { "indicator", "malware", "relationship", "note", "sighting", "report" }[rnd.Next(6)];
                            string tlp = new[] { "", "CLEAR", "GREEN", "AMBER", "AMBER%2BSTRICT", "RED" }[rnd.Next(6)];
                            string body = await GetAsync(web, $"/ui/search?type={type}&collection={(rnd.Next(2) == 0 ? c.Id : "")}&tlp={tlp}&producer={world.Orgs[rnd.Next(5)].Id}");
                            oracle.Check(body, org.Id, leaving: false, $"{where}: search by filters");
                            break;
                        }
                        case 8:
                        {
                            // The share preview: who would receive a pasted value, in a collection the reader may write to.
                            string form = await GetAsync(web, "/ui/share");
                            var token = AntiForgery().Match(form);
                            var writable = OptionValue().Matches(CollectionSelect().Match(form).Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
                            if (!token.Success || writable.Count == 0)
                            {
                                oracle.Check(form, org.Id, leaving: false, $"{where}: share page");
                                break;
                            }
                            var response = await web.PostAsync(new Uri("/ui/share", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
                            {
                                ["_handler"] = "share", ["__RequestVerificationToken"] = token.Groups[1].Value, ["Form.Text"] = $"198.51.100.{rnd.Next(1, 250)}",
                                ["Form.Collection"] = writable[rnd.Next(writable.Count)], ["Form.Tlp"] = "GREEN", ["Form.Action"] = "preview",
                            }));
                            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{where}: share preview answered {(int)response.StatusCode}");
                            string preview = await response.Content.ReadAsStringAsync();
                            Assert.Contains("Who will receive it", preview, StringComparison.Ordinal);
                            oracle.Check(preview, org.Id, leaving: false, $"{where}: share preview");
                            previews++;
                            break;
                        }
                        default:
                            oracle.Check(await GetAsync(web, "/ui/admin", allowNotFound: true), org.Id, leaving: false, $"{where}: administration");
                            break;
                    }
                    bodies++;
                }
            }
        }
        Assert.True(bodies >= Worlds * 12, $"only {bodies} bodies were read");
        Assert.True(previews > 0, "no share preview was walked");
    }

    private static async Task<string> GetAsync(HttpClient client, string url, bool allowNotFound = true)
    {
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK || (allowNotFound && response.StatusCode == HttpStatusCode.NotFound), $"{url}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The decision function's view of one world: who is entitled to each canary and each object id.</summary>
    private sealed class Oracle
    {
        private readonly SharingWorld _world;
        private readonly TrustModel _model;
        private readonly ILookup<string, SharedObject> _lookup;
        private readonly Dictionary<string, (SharedObject Shared, TlpLevel? Description, string VersionKey)> _canaries = new(StringComparer.Ordinal);
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

        public Oracle(SharingWorld world, int seed)
        {
            _world = world;
            _model = world.Model();
            var stored = world.Stored();
            _lookup = stored.Select(s => s.Shared).ToLookup(s => s.Id, StringComparer.Ordinal);
            var taken = new HashSet<(string, string, string, string)>();
            for (int i = 0; i < world.Objects.Count; i++)
            {
                var (c, producer, o) = world.Objects[i];
                _ids.Add(o.Id);
                // The store keeps the first write of a version by a producer in a collection (SharingWorld.Stored): a
                // repeated write's canaries never appear.
                if (!taken.Add((c, o.Id, o.Version!.Value.Key, producer)))
                {
                    continue;
                }
                var shared = SharedObject.Of(o, c, producer, out var optional);
                if (o.Json.Contains(SharingWorld.Canary(seed, i, 'n'), StringComparison.Ordinal))
                {
                    // Only the types with a name carry one.
                    _canaries[SharingWorld.Canary(seed, i, 'n')] = (shared, null, o.Version!.Value.Key);
                }
                _canaries[SharingWorld.Canary(seed, i, 'd')] = (shared, optional.TryGetValue("description", out var level) ? level : TlpLevel.None, o.Version!.Value.Key);
            }
        }

        /// <summary>Whether the canary's version is the latest of its object that the reader may see in its collection.</summary>
        public bool Latest(string canary, string reader) =>
            _canaries.TryGetValue(canary, out var c)
            && _world.Expected(_model, reader, c.Shared.CollectionId, VersionFilter.LastOnly).Any(e => e.Item1 == c.Shared.Id && e.Item2 == c.VersionKey && e.Item3 == c.Shared.Producer);

        /// <summary>Whether the reader may receive the canary: its object version visible, and for a description, not withheld (§7.2.3).</summary>
        public bool Entitled(string canary, string reader, bool leaving)
        {
            if (!_canaries.TryGetValue(canary, out var c))
            {
                return false;
            }
            if (!SharingPolicy.IsVisible(_model, reader, c.Shared, id => _lookup[id], leaving))
            {
                return false;
            }
            if (c.Description is not { } level || level == TlpLevel.None)
            {
                return true;
            }
            var effective = SharingPolicy.EffectiveOf(_model, c.Shared);
            bool withheld = (level > effective || (leaving && level == TlpLevel.Red))
                && !SharingPolicy.Entitled(_model, reader, c.Shared.CollectionId, level, c.Shared.Producer, c.Shared.Recipients, leaving);
            return !withheld;
        }

        private string Describe(string canary)
        {
            if (_canaries.TryGetValue(canary, out var c))
            {
                return $"{c.Shared} version {c.VersionKey} description {c.Description}";
            }
            int i = int.Parse(canary.AsSpan(13, 2), provider: System.Globalization.CultureInfo.InvariantCulture);
            string id = _world.Objects[i].Object.Id;
            return "not stored; writes of its id: " + string.Join("; ", _world.Objects.Select((x, k) => (x, k)).Where(t => t.x.Object.Id == id)
                .Select(t => $"#{t.k} in {t.x.Collection} by {t.x.Producer} version {t.x.Object.Version!.Value.Text}"));
        }

        /// <summary>Fails on any canary or object id of the world in the body that the reader is not entitled to.</summary>
        public void Check(string body, string reader, bool leaving, string where)
        {
            foreach (Match m in CanaryPattern().Matches(body))
            {
                Assert.True(m.Value.StartsWith($"canary{_world.Seed:D6}", StringComparison.Ordinal) && Entitled(m.Value, reader, leaving),
                    $"{where}: {m.Value} ({Describe(m.Value)}) leaked to a reader not entitled to it: …{body[Math.Max(0, m.Index - 200)..Math.Min(body.Length, m.Index + 100)]}…");
            }
            foreach (Match m in IdPattern().Matches(body))
            {
                if (_ids.Contains(m.Value) || _lookup[m.Value].Any())
                {
                    // Named as itself (some version visible) or as a ref from what the reader sees (one level deeper).
                    bool visible = _lookup[m.Value].Any(v => SharingPolicy.IsVisible(_model, reader, v, id => _lookup[id], leaving)) || _world.RefVisible(_model, reader, m.Value, leaving);
                    Assert.True(visible, $"{where}: {m.Value} named to a reader that may not see it");
                }
            }
        }
    }
}
