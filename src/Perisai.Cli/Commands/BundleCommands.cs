using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Perisai.Detection.Indicators;
using Perisai.Interop.Lists;
using Perisai.Interop.Misp;
using Perisai.Interop.Sensors;
using Perisai.Server.Application;
using Perisai.Server.Feeds;
using System.Text.Json;
using Perisai.Stix.Json;
using Perisai.Stix.Validation;
using Perisai.Storage;
using Perisai.Server.Sharing;
using Spectre.Console;

namespace Perisai.Cli.Commands;

/// <summary><c>perisai import</c>, <c>export</c> and <c>validate</c>: intelligence in and out of a node, in every format it speaks.</summary>
internal static class BundleCommands
{
    public static Command Import()
    {
        var sources = new Argument<string[]>("sources") { Description = "Files, MISP feed directories, or http(s) URLs.", Arity = ArgumentArity.OneOrMore };
        var collection = new Option<string>("--collection") { Description = "Collection id or alias to add the objects to.", Required = true };
        var asOrg = new Option<string>("--as") { Description = "Organization the objects come from (their producer, whom the sharing policy always lets see them).", DefaultValueFactory = _ => TrustAdministration.OperatorOrg };
        var format = new Option<ImportFormat>("--format") { Description = "auto, stix (2.1, or 2.0 upgraded), misp (events), misp-feed (directory or URL, incremental), csv (also plain lists).", DefaultValueFactory = _ => ImportFormat.Auto, CustomParser = r => ParseFormat(r.Tokens[0].Value) };
        var preset = new Option<string?>("--preset") { Description = $"CSV layout: {string.Join(", ", CsvLayout.Presets.Keys)}." };
        var columns = new Option<string[]>("--column") { Description = "CSV value column, NAME or NAME=KIND (ip, domain, url, email, hash); repeatable.", AllowMultipleArgumentsPerToken = false };
        var labels = new Option<string[]>("--label") { Description = "Label added to every indicator made from a CSV row; repeatable." };
        var state = new Option<FileInfo?>("--state") { Description = "Where a MISP feed's pull state is kept (default: feeds/ under --data)." };
        var lossFile = new Option<FileInfo?>("--loss-report") { Description = "Write the conversion's full loss report (JSON) to this file." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("import", """
            Convert and add intelligence to a collection: STIX 2.1 (2.0 upgraded), MISP events, MISP feeds
            (only changed events are fetched again), CSV files and plain lists (abuse.ch presets). Every rejected
            object is reported with its errors; the loss report says what a conversion did not carry over.
            Exit code 1 when anything was rejected or unreadable, 0 otherwise.

            Examples:
              perisai import wannacry.json --collection asean --as MyCERT
              perisai import misp-event.json --format misp --collection asean
              perisai import ./misp-feed/ --collection asean
              perisai import ipblocklist.csv --preset feodo --collection asean
              perisai import iocs.csv --column indicator=domain --label phishing --collection asean
            """)
        { sources, collection, asOrg, format, preset, columns, labels, state, lossFile, json };
        LocalNode.Run(command, "import", async (p, node, ct) =>
        {
            var c = await node.CollectionAsync(p.GetValue(collection)!, ct).ConfigureAwait(false);
            var producer = await node.OrganizationAsync(p.GetValue(asOrg)!, ct).ConfigureAwait(false);
            List<(string Column, IocKind? Kind)> mapped = [];
            foreach (string spec in p.GetValue(columns) ?? [])
            {
                string[] parts = spec.Split('=', 2);
                IocKind? kind = null;
                if (parts.Length == 2)
                {
                    if (!ScanCommand.Kinds.TryGetValue(parts[1], out var named))
                    {
                        return Output.Fail("import", CliMessages.UnknownColumnKind(spec, parts[1], ScanCommand.Kinds.Keys));
                    }
                    kind = named;
                }
                mapped.Add((parts[0], kind));
            }
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            var reports = new List<ImportReport>();
            bool asJson = p.GetValue(json);
            async Task RunAllAsync(Func<string, Action<int>?>? track)
            {
                foreach (string source in p.GetValue(sources)!)
                {
                    var advance = track?.Invoke(Path.GetFileName(source.TrimEnd('/', '\\')) is { Length: > 0 } n ? n : source);
                    var stateFile = p.GetValue(state) ?? new FileInfo(Path.Combine(p.GetValue(LocalNode.Data)!, "feeds", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(source))))[..16] + ".json"));
                    var request = new ImportRequest(source, p.GetValue(format), c.Id, producer.Id)
                    {
                        Preset = p.GetValue(preset),
                        Columns = mapped,
                        Labels = p.GetValue(labels) ?? [],
                        FeedState = FeedState.Load(stateFile),
                    };
                    try
                    {
                        reports.Add(await node.Intake.ImportAsync(request, http, advance, ct).ConfigureAwait(false));
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or HttpRequestException or FormatException or JsonException or InvalidOperationException)
                    {
                        var failed = new ImportReport(source, request.Format);
                        failed.Problems.Add(ex.Message);
                        reports.Add(failed);
                    }
                    if (request.FeedState.Count > 0)
                    {
                        FeedState.Save(stateFile, request.FeedState);
                    }
                }
            }
            // A progress display only for a person at a terminal: with --json or a redirected output, standard output
            // carries the report alone (Spectre's progress may print a line whenever it refreshes).
            if (asJson || Console.IsOutputRedirected)
            {
                await RunAllAsync(null).ConfigureAwait(false);
            }
            else
            {
                await AnsiConsole.Progress().HideCompleted(false).StartAsync(async progress =>
                {
                    ProgressTask? current = null;
                    await RunAllAsync(name =>
                    {
                        if (current is not null)
                        {
                            current.IsIndeterminate = false;
                            current.Value = current.MaxValue;
                        }
                        current = progress.AddTask(Markup.Escape(name));
                        current.IsIndeterminate = true;
                        var task = current;
                        return n => task.Increment(n);
                    }).ConfigureAwait(false);
                    if (current is not null)
                    {
                        current.IsIndeterminate = false;
                        current.Value = current.MaxValue;
                    }
                }).ConfigureAwait(false);
            }
            await node.Trust.RecordAsync(Actor.Operator, "objects.import", c.Id, $"producer={producer.Id} added={reports.Sum(r => r.Added)} rejected={reports.Sum(r => r.Rejected.Count)}", ct).ConfigureAwait(false);

            if (p.GetValue(lossFile) is { } lf)
            {
                await File.WriteAllTextAsync(lf.FullName, JsonSerializer.Serialize(reports.SelectMany(r => r.Loss.Entries.Select(e => new { source = r.Source, e.Where, e.Field, fate = e.Fate.ToString().ToLowerInvariant(), e.Detail })), Output.JsonOptions), ct).ConfigureAwait(false);
            }
            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(reports.Select(r => new
                {
                    r.Source, format = FormatName(r.Format), r.Total, r.Added, unchanged = r.Duplicates, r.Rejected, r.Problems,
                    loss = r.Loss.Summary().Select(l => new { l.Field, fate = l.Fate.ToString().ToLowerInvariant(), l.Detail, l.Count }),
                }), Output.JsonOptions));
            }
            else
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumns("Source", "Format", "Objects", "Added", "Unchanged", "Rejected", "Problems");
                foreach (var r in reports)
                {
                    table.AddRow(Markup.Escape(r.Source), FormatName(r.Format), $"{r.Total}", $"{r.Added}", $"{r.Duplicates}",
                        r.Rejected.Count == 0 ? "0" : $"[red]{r.Rejected.Count}[/]", r.Problems.Count == 0 ? "0" : $"[yellow]{r.Problems.Count}[/]");
                }
                AnsiConsole.Write(table);
                var loss = reports.SelectMany(r => r.Loss.Summary()).ToList();
                if (loss.Count > 0)
                {
                    var lt = new Table().Border(TableBorder.Rounded).Title("What did not carry over as such").AddColumns("Field", "Fate", "Items", "How");
                    foreach (var l in loss)
                    {
                        lt.AddRow(Markup.Escape(l.Field), l.Fate.ToString().ToLowerInvariant(), $"{l.Count}", Markup.Escape(l.Detail));
                    }
                    AnsiConsole.Write(lt);
                }
                foreach (var r in reports)
                {
                    foreach (var e in r.Rejected.Concat(r.Problems))
                    {
                        Console.Error.WriteLine($"{r.Source}: {e}");
                    }
                }
                // Last, after every rejection: what the collection holds now, whatever was refused.
                Console.Error.WriteLine(CliMessages.ImportSummary(reports.Sum(r => r.Added), reports.Sum(r => r.Duplicates), reports.Sum(r => r.Rejected.Count), reports.Sum(r => r.Problems.Count), c.Title));
            }
            return reports.Any(r => r.Rejected.Count > 0 || r.Problems.Count > 0) ? 1 : 0;
        });
        return command;
    }

    private static ImportFormat ParseFormat(string value) => ImportFormats.TryParse(value, out var format) ? format
        : throw new ArgumentException($"unknown --format '{value}': auto, stix, misp, misp-feed or csv");

    // What a person needs from a loss report on the way out: each field once, with its fate and how many items.
    private static string LossLines(Perisai.Interop.LossReport loss) =>
        string.Concat(loss.Summary().Select(l => $"\n  {l.Fate.ToString().ToLowerInvariant()} {l.Field} ({l.Count}): {l.Detail}"));

    private static string FormatName(ImportFormat format) => ImportFormats.Name(format);

    public static Command Export()
    {
        var collection = new Option<string>("--collection") { Description = "Collection id or alias.", Required = true };
        var output = new Option<string?>("--out") { Description = "Output file (a directory for misp-feed and suricata); standard output when omitted." };
        var all = new Option<bool>("--all-versions") { Description = "Every version of every object, not only the latest (stix only)." };
        var asOrg = new Option<string>("--as") { Description = "Organization whose view is exported: only what it may see, and never TLP:RED.", DefaultValueFactory = _ => TrustAdministration.OperatorOrg };
        var format = new Option<string>("--format") { Description = "stix, misp (one event per report), misp-feed, csv, zeek (Intel framework), suricata, rpz, blocklist.", DefaultValueFactory = _ => "stix" };
        format.AcceptOnlyFromAmong("stix", "misp", "misp-feed", "csv", "zeek", "suricata", "rpz", "blocklist");
        var command = new Command("export", """
            Write a collection as the reader may see it, streamed page by page in constant memory: a STIX 2.1
            bundle, MISP events or a MISP feed directory (a MISP instance can subscribe to it as to any feed), or
            for sensors: CSV, a Zeek intel file, Suricata rules and datasets, a DNS RPZ zone, a plain blocklist.
            Sensor formats take the active indicators whose patterns are lists of values. TLP:RED never leaves.

            Examples:
              perisai export --collection asean --as MyCERT --out asean.json
              perisai export --collection asean --format misp-feed --out /var/www/feeds/asean
              perisai export --collection asean --format rpz --out /etc/bind/perisai.rpz
            """)
        { collection, output, all, asOrg, format };
        LocalNode.Run(command, "export", async (p, node, ct) =>
        {
            if (p.GetValue(format) is "misp-feed" or "suricata" && p.GetValue(output) is null)
            {
                return Output.Fail("export", CliMessages.NeedsDirectory(p.GetValue(format)!));
            }
            var c = await node.CollectionAsync(p.GetValue(collection)!, ct).ConfigureAwait(false);
            var org = await node.OrganizationAsync(p.GetValue(asOrg)!, ct).ConfigureAwait(false);
            // What is exported leaves the node: read as an organization outside it, so TLP:RED never goes.
            var reader = Reader.Leaving(await node.TrustModelAsync(ct).ConfigureAwait(false), org.Id);
            string? path = p.GetValue(output);
            string fmt = p.GetValue(format)!;
            IAsyncEnumerable<string> Objects() => node.Reads.ExportAsync(reader, c.Id, p.GetValue(all), ct);
            string summary;
            switch (fmt)
            {
                case "misp-feed":
                    var feed = await MispFeed.WriteAsync(Objects, path!, c.Title, ct).ConfigureAwait(false);
                    summary = $"Exported {feed.Events} MISP events ({feed.Attributes} attributes) to {Path.GetFullPath(path!)}." + LossLines(feed.Loss);
                    break;
                case "misp":
                    var objects = new List<JsonElement>();
                    await foreach (string json in Objects().ConfigureAwait(false))
                    {
                        objects.Add(JsonDocument.Parse(json).RootElement.Clone());
                    }
                    var converted = StixToMisp.Convert(objects, c.Title);
                    await using (var stream = path is null ? Console.OpenStandardOutput() : File.Create(path))
                    {
                        await JsonSerializer.SerializeAsync(stream, new JsonArray([.. converted.Events.Select(e => (JsonNode)new JsonObject { ["Event"] = e })]), cancellationToken: ct).ConfigureAwait(false);
                    }
                    summary = $"Exported {converted.Events.Count} MISP events." + LossLines(converted.Loss);
                    break;
                case "stix":
                    await using (var stream = path is null ? Console.OpenStandardOutput() : File.Create(path))
                    {
                        int count = await BundleExport.WriteAsync(node.Reads, reader, c.Id, p.GetValue(all), $"bundle--{Guid.NewGuid()}", stream, ct).ConfigureAwait(false);
                        summary = $"Exported {count} objects.";
                    }
                    break;
                default:
                    var sensor = fmt switch
                    {
                        "csv" => SensorFormat.Csv,
                        "zeek" => SensorFormat.ZeekIntel,
                        "suricata" => SensorFormat.Suricata,
                        "rpz" => SensorFormat.Rpz,
                        _ => SensorFormat.Blocklist,
                    };
                    var writers = new List<TextWriter>();
                    TextWriter Open(string name)
                    {
                        var w = name.Length == 0 && path is null
                            ? new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false))
                            : new StreamWriter(name.Length == 0 ? path! : Path.Combine(Directory.CreateDirectory(path!).FullName, name), false, new UTF8Encoding(false));
                        writers.Add(w);
                        return w;
                    }
                    var result = await SensorExport.WriteAsync(Objects(), sensor, Open, TimeProvider.System.GetUtcNow(), c.Title, ct).ConfigureAwait(false);
                    foreach (var w in writers)
                    {
                        await w.DisposeAsync().ConfigureAwait(false);
                    }
                    summary = $"Exported {result.Values} values from {result.Indicators} indicators ({result.Skipped} indicators not expressible as values or not active)"
                        + (result.Unsupported.Count == 0 ? "." : $"; not expressible in {fmt}: {string.Join(", ", result.Unsupported.Select(u => $"{u.Value} {u.Key}"))}.");
                    break;
            }
            await node.Trust.RecordAsync(Actor.Operator, "objects.export", c.Id, $"as={org.Id} format={fmt}", ct).ConfigureAwait(false);
            // On standard error, so that it never mixes with an export written to standard output.
            Console.Error.WriteLine(summary);
            return 0;
        });
        return command;
    }

    public static Command Validate()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "STIX bundles, envelopes or objects (JSON).", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print findings as JSON." };
        var command = new Command("validate", """
            Check STIX 2.1 documents against the specification. Prints every finding with its code and JSON path;
            exit code 0 when there is no error (warnings allowed), 1 otherwise.

            Example:
              perisai validate bundle.json
            """)
        { files, json };
        command.SetAction(async (p, ct) =>
        {
            bool failed = false;
            var all = new List<object>();
            foreach (var file in p.GetValue(files)!)
            {
                var findings = new List<StixError>();
                if (!file.Exists)
                {
                    findings.Add(new StixError("file-not-found", "$", $"{file.FullName} does not exist."));
                }
                else
                {
                    using var doc = StixDocument.Parse(await File.ReadAllBytesAsync(file.FullName, ct).ConfigureAwait(false));
                    if (doc.Error is { } e)
                    {
                        findings.Add(e);
                    }
                    else
                    {
                        if (doc.Kind == ContainerKind.Bundle)
                        {
                            findings.AddRange(StixDocument.ValidateBundle(doc.Document!.RootElement));
                        }
                        var intake = Intake.Check(doc);
                        findings.AddRange(intake.Failures.SelectMany(f => f.Errors));
                        findings.AddRange(intake.Warnings);
                    }
                }
                failed |= findings.Any(f => f.Severity == Severity.Error);
                if (p.GetValue(json))
                {
                    all.Add(new { file = file.Name, valid = findings.All(f => f.Severity != Severity.Error), findings = findings.Select(f => new { code = f.Code, path = f.Path, message = f.Message, severity = f.Severity.ToString().ToLowerInvariant() }) });
                }
                else
                {
                    foreach (var f in findings)
                    {
                        Console.WriteLine($"{file.Name}: {f}");
                    }
                    Console.WriteLine($"{file.Name}: {(findings.Any(f => f.Severity == Severity.Error) ? "invalid" : "valid")}");
                }
            }
            if (p.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(all, Output.JsonOptions));
            }
            return failed ? 1 : 0;
        });
        return command;
    }
}
