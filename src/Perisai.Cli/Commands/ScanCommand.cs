using Perisai.Server.Federation;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Perisai.Detection.Indicators;
using Perisai.Detection.Logs;
using Perisai.Detection.Scanning;
using Spectre.Console;

namespace Perisai.Cli.Commands;

/// <summary><c>perisai scan</c>: a member's own logs against shared indicators.</summary>
internal static class ScanCommand
{
    private static readonly Dictionary<string, LogFormat> Formats = new(StringComparer.OrdinalIgnoreCase)
    {
        ["auto"] = LogFormat.Auto, ["zeek"] = LogFormat.Zeek, ["suricata-eve"] = LogFormat.SuricataEve, ["dns"] = LogFormat.Dns,
        ["squid"] = LogFormat.Squid, ["csv"] = LogFormat.Csv, ["jsonl"] = LogFormat.Jsonl, ["syslog"] = LogFormat.Syslog,
    };

    /// <summary>
    /// The kind names the command line takes (<c>scan --field</c>, <c>import --column</c>); each kind's first name is
    /// the one it is printed with.
    /// </summary>
    internal static readonly Dictionary<string, IocKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["address"] = IocKind.Address, ["ip"] = IocKind.Address, ["domain"] = IocKind.Domain, ["url"] = IocKind.Url, ["email"] = IocKind.Email,
        ["hash"] = IocKind.FileHash, ["cert"] = IocKind.CertificateFingerprint, ["ja3"] = IocKind.Ja3, ["user-agent"] = IocKind.UserAgent,
        ["cidr"] = IocKind.Address, ["hostname"] = IocKind.Domain, ["md5"] = IocKind.FileHash, ["sha1"] = IocKind.FileHash, ["sha256"] = IocKind.FileHash,
        ["sha512"] = IocKind.FileHash,
    };

    public static Command Create()
    {
        var logs = new Argument<string[]>("logs") { Description = "Log files or directories (recursively); - or nothing for standard input. Plain or gzip.", Arity = ArgumentArity.ZeroOrMore };
        var indicators = new Option<FileInfo[]>("--indicators") { Description = "Indicator sources: STIX bundles, MISP events (JSON) or plain lists, one value per line.", AllowMultipleArgumentsPerToken = true };
        var from = new Option<string?>("--from") { Description = "A TAXII 2.1 server (or API root) to pull indicators from, e.g. https://node.cert.example:8443" };
        var key = new Option<string?>("--key") { Description = "API key for --from (default: the PERISAI_KEY environment variable)." };
        var collection = new Option<string?>("--collection") { Description = "With --from: the collection (id or alias); default every collection the key can read." };
        var report = new Option<bool>("--report") { Description = "With --from: post the sightings back to the collections their indicators came from (needs write access)." };
        var format = new Option<string>("--format") { Description = "auto, zeek, suricata-eve, dns, squid, csv, jsonl or syslog.", DefaultValueFactory = _ => "auto" };
        var fields = new Option<string[]>("--field") { Description = "NAME=KIND: a CSV column or dotted JSON key holding an address, domain, url, email, hash, cert, ja3 or user-agent." };
        var allow = new Option<FileInfo?>("--allow") { Description = "More known-benign values, one per line, added to the built-in list (public resolvers, top domains)." };
        var follow = new Option<bool>("--follow") { Description = "Keep reading the (one) log file as it grows, until interrupted (Ctrl-C)." };
        var json = new Option<bool>("--json") { Description = "One JSON object per hit on standard output, the summary as JSON on standard error." };
        var sightings = new Option<FileInfo?>("--sightings") { Description = "Write a STIX bundle with one sighting per indicator hit." };
        var identity = new Option<string?>("--identity") { Description = "The scanning organization's STIX identity id, for where_sighted_refs; with --from a Perisai node, the key's organization by default." };
        var command = new Command("scan", """
            Scan logs for shared indicators. Zeek (TSV or JSON), Suricata EVE, BIND query logs, Squid access logs,
            CSV, JSON lines and free text are recognized from their first line, or named with --format. Domains match
            their subdomains, addresses the blocks that contain them, URLs after RFC 3986 normalization. Revoked,
            expired and allow-listed indicators do not alert. Hits are printed one per line (values defanged), or as JSON
            lines with --json; a summary follows on standard error. A malformed line is counted and skipped; an
            unreadable file is reported and the scan goes on. Exit code 0 when something was found, 1 when nothing was,
            2 when no indicator could be used.

            Examples:
              perisai scan /var/log/zeek/current --indicators asean-intel.json
              zcat dns.log.gz | perisai scan - --indicators blocklist.txt --json
              perisai scan proxy.csv --format csv --field dest=domain --indicators event.json --sightings out.json --identity identity--…
              perisai scan /var/log/zeek --from https://node.cert.example --key $KEY --report
              perisai scan /var/log/zeek/current/dns.log --follow --indicators intel.json --json
            """)
        { logs, indicators, from, key, collection, report, format, fields, allow, follow, json, sightings, identity };
        command.SetAction((p, ct) => RunAsync(p, new Options(logs, indicators, from, key, collection, report, format, fields, allow, follow, json, sightings, identity), ct));
        return command;
    }

    private sealed record Options(Argument<string[]> Logs, Option<FileInfo[]> Indicators, Option<string?> From, Option<string?> Key, Option<string?> Collection,
        Option<bool> Report, Option<string> Format, Option<string[]> Fields, Option<FileInfo?> Allow, Option<bool> Follow, Option<bool> Json, Option<FileInfo?> Sightings, Option<string?> Identity);

    private static async Task<int> RunAsync(ParseResult p, Options o, CancellationToken ct)
    {
        string? from = p.GetValue(o.From);
        bool report = p.GetValue(o.Report);
        if (from is null && (p.GetValue(o.Indicators) ?? []).Length == 0)
        {
            return Output.Fail("scan", CliMessages.ScanNoIndicators);
        }
        if (report && from is null)
        {
            return Output.Fail("scan", CliMessages.ScanReportNeedsFrom);
        }
        bool follow = p.GetValue(o.Follow);
        if (follow && (p.GetValue(o.Logs) is not [string one] || !File.Exists(one)))
        {
            return Output.Fail("scan", CliMessages.ScanFollowOneFile);
        }
        if (!Formats.TryGetValue(p.GetValue(o.Format)!, out var format))
        {
            return Output.Fail("scan", CliMessages.ScanUnknownFormat(p.GetValue(o.Format)!, Formats.Keys));
        }
        var fields = new Dictionary<string, IocKind>(StringComparer.Ordinal);
        foreach (string f in p.GetValue(o.Fields) ?? [])
        {
            int eq = f.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !Kinds.TryGetValue(f[(eq + 1)..], out var kind))
            {
                return Output.Fail("scan", CliMessages.ScanBadField(f, Kinds.Keys));
            }
            fields[f[..eq]] = kind;
        }
        var sightingsFile = p.GetValue(o.Sightings);
        string? identity = p.GetValue(o.Identity);
        if (identity is not null && !identity.StartsWith("identity--", StringComparison.Ordinal))
        {
            return Output.Fail("scan", CliMessages.ScanBadIdentity(identity));
        }
        if (sightingsFile is not null && identity is null && from is null)
        {
            return Output.Fail("scan", CliMessages.ScanSightingsNeedIdentity);
        }

        var loadClock = System.Diagnostics.Stopwatch.StartNew();
        var problems = new List<IndicatorProblem>();
        var allowFile = p.GetValue(o.Allow);
        var allow = allowFile is null ? AllowList.Default : AllowList.WithExtra(File.ReadAllLines(allowFile.FullName));
        var builder = new IndicatorSetBuilder(TimeProvider.System.GetUtcNow(), allow);
        TaxiiClient? node = null;
        var collectionOf = new Dictionary<string, string>(StringComparer.Ordinal);
        if (from is not null)
        {
            try
            {
                node = await TaxiiClient.ConnectAsync(from, new TaxiiClientOptions { Key = p.GetValue(o.Key) ?? Environment.GetEnvironmentVariable("PERISAI_KEY") }, ct).ConfigureAwait(false);
                string? wanted = p.GetValue(o.Collection);
                // The collection named (by id or alias), or every one the key can read.
                var collections = (await node.CollectionsAsync(ct).ConfigureAwait(false))
                    .Where(c => wanted is null ? c.CanRead : wanted == c.Id || wanted == c.Alias).Select(c => (c.Id, c.Title)).ToList();
                if (collections.Count == 0)
                {
                    return Output.Fail("scan", CliMessages.ScanNoReadableCollection(from, p.GetValue(o.Collection)));
                }
                foreach (var (id, title) in collections)
                {
                    // One indicator shared in several collections is one indicator: scanned once, reported to the first.
                    await node.ObjectsAsync(id, "match[type]=indicator&limit=10000", (page, _) =>
                    {
                        foreach (var indicator in IndicatorSource.Read(title, page, problems))
                        {
                            if (collectionOf.TryAdd(indicator.Id, id))
                            {
                                builder.Add(indicator);
                            }
                        }
                        return Task.CompletedTask;
                    }, ct).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is TaxiiClientException or JsonException)
            {
                node?.Dispose();
                return Output.Fail("scan", $"{from}: {e.Message}");
            }
        }
        using var nodeScope = node;
        if (node is not null && identity is null && (sightingsFile is not null || report))
        {
            // A Perisai node says which organization the key belongs to; its identity is where the sightings were made.
            identity = await node.OrganizationAsync(ct).ConfigureAwait(false);
            if (identity is null)
            {
                return Output.Fail("scan", CliMessages.ScanServerNoIdentity);
            }
        }
        foreach (var file in p.GetValue(o.Indicators) ?? [])
        {
            try
            {
                using var stream = file.OpenRead();
                IndicatorSource.ReadInto(file.Name, stream, builder, problems);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(new IndicatorProblem(file.Name, "$", $"cannot be read: {e.Message}"));
            }
        }
        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"perisai scan: {problem}");
        }
        var set = builder.Build();
        var loadTime = loadClock.Elapsed;
        if (set.Stats.Lookups == 0 && set.Engine.Count == 0)
        {
            Console.Error.WriteLine("perisai scan: " + CliMessages.ScanNoUsableIndicator(set.Stats.Loaded, set.Stats.Inactive, set.Stats.NeedEngine, set.Stats.Suppressed));
            return 2;
        }

        bool asJson = p.GetValue(o.Json);
        var aggregator = new SightingAggregator();
        using var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        var scanner = new Scanner(set, TimeProvider.System);
        string[] paths = p.GetValue(o.Logs) is { Length: > 0 } given ? given : ["-"];
        void OnHit(Hit hit)
        {
            aggregator.Add(hit);
            stdout.WriteLine(asJson ? HitJson(hit) : HitText(hit));
            if (follow)
            {
                stdout.Flush(); // a watcher wants each hit as it happens
            }
        }
        ScanSummary summary;
        // A progress bar only where it cannot tangle with the hits: standard error is a terminal, standard output is not.
        if (!Console.IsErrorRedirected && Console.IsOutputRedirected)
        {
            long total = paths.Sum(SizeOf);
            var err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            ScanSummary? result = null;
            err.Progress().AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                .Start(progress =>
                {
                    var task = progress.AddTask("scanning", maxValue: Math.Max(total, 1));
                    long done = 0, fileBytes = 0;
                    string? current = null;
                    var options = new ScanOptions
                    {
                        Format = format,
                        Fields = fields,
                        Follow = follow,
                        Progress = (file, bytes) =>
                        {
                            if (file != current)
                            {
                                done += fileBytes;
                                current = file;
                            }
                            fileBytes = bytes;
                            task.Value = Math.Min(done + bytes, task.MaxValue);
                            task.Description = Markup.Escape(Path.GetFileName(file));
                        },
                    };
                    result = scanner.Scan(paths, options, OnHit, ct: ct);
                    task.Value = task.MaxValue;
                });
            summary = result!;
        }
        else
        {
            summary = scanner.Scan(paths, new ScanOptions { Format = format, Fields = fields, Follow = follow }, OnHit, ct: ct);
        }
        stdout.Flush();

        // One set of objects for the file and the node alike, so both carry the same ids.
        var objects = sightingsFile is not null || report ? aggregator.ToObjects(identity!, TimeProvider.System.GetUtcNow(), Guid.NewGuid) : [];
        if (sightingsFile is not null)
        {
            File.WriteAllText(sightingsFile.FullName, SightingAggregator.ToBundle(objects, Guid.NewGuid));
        }
        if (report && node is not null)
        {
            foreach (var group in objects.GroupBy(x => collectionOf.GetValueOrDefault(x.Indicator)))
            {
                if (group.Key is null)
                {
                    continue; // an indicator from a local file: it has no collection to report to
                }
                try
                {
                    string status = await node.AddAsync(group.Key, group.Select(x => x.Json), ct).ConfigureAwait(false);
                    // One sighting per indicator, with its observed-data and SCOs.
                    int sightings = group.Select(x => x.Indicator).Distinct(StringComparer.Ordinal).Count();
                    Console.Error.WriteLine($"perisai scan: reported {sightings} sighting(s) with their observed data ({group.Count()} objects) to collection {group.Key} (status {status}).");
                }
                catch (Exception e) when (e is TaxiiClientException or JsonException)
                {
                    Console.Error.WriteLine("perisai scan: " + CliMessages.ScanCouldNotReport(group.Key, e.Message));
                }
            }
        }
        foreach (var problem in summary.Problems)
        {
            Console.Error.WriteLine($"perisai scan: {problem}");
        }
        WriteSummary(set, summary, loadTime, asJson);
        return summary.Hits > 0 ? 0 : 1;
    }

    /// <summary>Bytes to read under a path (files in a directory, recursively); 0 for standard input and unknowns.</summary>
    private static long SizeOf(string path)
    {
        try
        {
            return File.Exists(path) ? new FileInfo(path).Length
                : Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static string HitJson(Hit h) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["file"] = h.File, ["line"] = h.Line, ["field"] = h.Field, ["kind"] = KindName(h.Kind), ["value"] = h.Value, ["listed"] = h.Listed,
        ["indicator"] = h.Indicator.Id, ["name"] = h.Indicator.Name, ["time"] = h.Time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
    });

    private static string HitText(Hit h) =>
        $"{h.File}:{h.Line}  {h.Field}  {Defang(h.Value)}  {h.Indicator.Id}{(h.Listed != h.Value ? "  (" + Defang(h.Listed) + ")" : "")}{(h.Indicator.Name is { } n ? "  " + n : "")}";

    private static string KindName(IocKind kind) => Kinds.First(kv => kv.Value == kind).Key;

    /// <summary>Network values as analysts write them in reports: not clickable, not resolvable by accident.</summary>
    internal static string Defang(string value) => value
        .Replace("http", "hxxp", StringComparison.OrdinalIgnoreCase)
        .Replace(".", "[.]", StringComparison.Ordinal)
        .Replace("@", "[@]", StringComparison.Ordinal);

    private static void WriteSummary(IndicatorSet set, ScanSummary s, TimeSpan load, bool asJson)
    {
        double seconds = Math.Max(s.Elapsed.TotalSeconds, 1e-6), cpu = Math.Max(s.CpuTime.TotalSeconds, 1e-6);
        if (asJson)
        {
            Console.Error.WriteLine(JsonSerializer.Serialize(new
            {
                files = s.Files, lines = s.Lines, bytes = s.Bytes, malformed = s.Malformed, hits = s.Hits,
                elapsed_seconds = Math.Round(s.Elapsed.TotalSeconds, 3), mb_per_s = Math.Round(s.Bytes / seconds / 1e6, 1),
                cpu_seconds = Math.Round(s.CpuTime.TotalSeconds, 3), mb_per_cpu_second = Math.Round(s.Bytes / cpu / 1e6, 1),
                indicator_load_seconds = Math.Round(load.TotalSeconds, 3),
                indicators = set.Stats, hits_by_indicator = s.HitsByIndicator,
            }, Output.JsonOptions));
            return;
        }
        var err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Files", "Lines", "Bytes", "Malformed", "Hits", "Elapsed", "MB/s", "MB per CPU s");
        table.AddRow($"{s.Files:N0}", $"{s.Lines:N0}", $"{s.Bytes:N0}", $"{s.Malformed:N0}", $"{s.Hits:N0}", $"{s.Elapsed.TotalSeconds:F2} s", $"{s.Bytes / seconds / 1e6:F1}", $"{s.Bytes / cpu / 1e6:F1}");
        err.Write(table);
        if (s.HitsByIndicator.Count > 0)
        {
            var byIndicator = new Table().Border(TableBorder.Rounded).AddColumns("Indicator", "Name", "Hits");
            foreach (var (id, count) in s.HitsByIndicator.OrderByDescending(kv => kv.Value))
            {
                byIndicator.AddRow(Markup.Escape(id), Markup.Escape(set.Indicators.First(i => i.Id == id).Name ?? ""), $"{count:N0}");
            }
            err.Write(byIndicator);
        }
        Console.Error.WriteLine($"Indicators: loaded in {load.TotalSeconds:F2} s: {set.Stats.Loaded:N0} read, {set.Stats.Active:N0} active, {set.Stats.NeedEngine:N0} run by the pattern engine, {set.Stats.Suppressed:N0} values allow-listed.");
    }
}
