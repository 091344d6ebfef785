using System.CommandLine;
using System.Text.Json;
using Perisai.Stix.Json;
using Perisai.Stix.Validation;
using Perisai.Storage;
using Perisai.Server.Sharing;
using Spectre.Console;

namespace Perisai.Cli.Commands;

/// <summary><c>perisai import</c>, <c>export</c> and <c>validate</c>: STIX bundles in and out of a node.</summary>
internal static class BundleCommands
{
    /// <summary>Objects written per transaction on import: large enough to amortize the commit, small enough to show progress.</summary>
    private const int ImportBatch = 5_000;

    public static Command Import()
    {
        var store = new StoreOptions();
        var files = new Argument<FileInfo[]>("files") { Description = "STIX bundles, TAXII envelopes or single objects (JSON).", Arity = ArgumentArity.OneOrMore };
        var collection = new Option<string>("--collection") { Description = "Collection id or alias to add the objects to.", Required = true };
        var asOrg = new Option<string>("--as") { Description = "Organization the objects come from (their producer, whom the sharing policy always lets see them).", DefaultValueFactory = _ => Bootstrap.OperatorOrg };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("import", """
            Validate and add STIX objects to a collection. Every rejected object is reported with its errors and
            JSON path; the exit code is 1 when anything was rejected, 0 otherwise.

            Example:
              perisai import wannacry.json notpetya.json --collection asean --as MyCERT
            """)
        { files, collection, asOrg, json };
        store.AddTo(command);
        command.SetAction(async (p, ct) =>
        {
            await using var s = await store.OpenAsync(p, ct).ConfigureAwait(false);
            var c = await s.GetCollectionAsync(p.GetValue(collection)!, ct).ConfigureAwait(false);
            if (c is null)
            {
                return Output.Fail("import", $"no collection '{p.GetValue(collection)}'; see 'perisai collection list'.");
            }
            var producer = await Bootstrap.FindOrganizationAsync(s, p.GetValue(asOrg)!, ct).ConfigureAwait(false);
            if (producer is null)
            {
                return Output.Fail("import", $"no organization '{p.GetValue(asOrg)}'.");
            }
            var report = new List<FileReport>();
            bool asJson = p.GetValue(json);
            await AnsiConsole.Progress().AutoClear(asJson).HideCompleted(false).StartAsync(async progress =>
            {
                foreach (var file in p.GetValue(files)!)
                {
                    var task = progress.AddTask(Markup.Escape(file.Name));
                    report.Add(await ImportFileAsync(s, c.Id, producer.Id, file, task, ct).ConfigureAwait(false));
                }
            }).ConfigureAwait(false);
            await CliAudit.RecordAsync(s, "objects.import", c.Id, $"producer={producer.Id} added={report.Sum(r => r.Added)} rejected={report.Sum(r => r.Rejected.Count)}", ct).ConfigureAwait(false);

            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(report, Output.JsonOptions));
            }
            else
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumns("File", "Objects", "Added", "Unchanged", "Rejected");
                foreach (var r in report)
                {
                    table.AddRow(Markup.Escape(r.File), $"{r.Total}", $"{r.Added}", $"{r.Duplicates}", r.Rejected.Count == 0 ? "0" : $"[red]{r.Rejected.Count}[/]");
                }
                AnsiConsole.Write(table);
                foreach (var r in report)
                {
                    foreach (var e in r.Rejected)
                    {
                        Console.Error.WriteLine($"{r.File}: {e}");
                    }
                }
            }
            return report.Any(r => r.Rejected.Count > 0) ? 1 : 0;
        });
        return command;
    }

    private sealed record FileReport(string File, int Total, int Added, int Duplicates, List<string> Rejected);

    private static async Task<FileReport> ImportFileAsync(IStixStore store, string collectionId, string producer, FileInfo file, ProgressTask task, CancellationToken ct)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(file.FullName, ct).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            task.StopTask();
            return new FileReport(file.Name, 0, 0, 0, [$"cannot read: {ex.Message}"]);
        }
        using var doc = StixDocument.Parse(bytes);
        if (doc.Error is { } error)
        {
            task.StopTask();
            return new FileReport(file.Name, 0, 0, 0, [error.ToString()]);
        }
        var intake = StixIntake.Check(doc, Guid.NewGuid, Perisai.Patterning.PatternValidation.Options);
        var rejected = intake.Failures.SelectMany(f => f.Errors.Select(e => e.ToString())).ToList();
        task.MaxValue = Math.Max(1, intake.Valid.Count);
        int added = 0, duplicates = 0;
        foreach (var batch in intake.Valid.Chunk(ImportBatch))
        {
            foreach (var r in await store.AddObjectsAsync(collectionId, producer, batch, ct).ConfigureAwait(false))
            {
                switch (r.Outcome)
                {
                    case AddOutcome.Added: added++; break;
                    case AddOutcome.Duplicate: duplicates++; break;
                    default: rejected.Add($"{r.Id} {r.Version}: {r.Message}"); break;
                }
            }
            task.Increment(batch.Length);
        }
        task.Value = task.MaxValue;
        return new FileReport(file.Name, intake.Total, added, duplicates, rejected);
    }

    public static Command Export()
    {
        var store = new StoreOptions();
        var collection = new Option<string>("--collection") { Description = "Collection id or alias.", Required = true };
        var output = new Option<FileInfo?>("--out") { Description = "Output file; standard output when omitted." };
        var all = new Option<bool>("--all-versions") { Description = "Every version of every object, not only the latest." };
        var asOrg = new Option<string>("--as") { Description = "Organization whose view is exported: only what it may see, and never TLP:RED.", DefaultValueFactory = _ => Bootstrap.OperatorOrg };
        var command = new Command("export", """
            Write a collection as one STIX 2.1 bundle, streamed page by page in constant memory.

            Example:
              perisai export --collection asean --as MyCERT --out asean.json
            """)
        { collection, output, all, asOrg };
        store.AddTo(command);
        command.SetAction(async (p, ct) =>
        {
            await using var s = await store.OpenAsync(p, ct).ConfigureAwait(false);
            var c = await s.GetCollectionAsync(p.GetValue(collection)!, ct).ConfigureAwait(false);
            if (c is null)
            {
                return Output.Fail("export", $"no collection '{p.GetValue(collection)}'.");
            }
            var reader = await s.FindOrganizationAsync(p.GetValue(asOrg)!, ct).ConfigureAwait(false);
            if (reader is null)
            {
                return Output.Fail("export", $"no organization '{p.GetValue(asOrg)}'.");
            }
            var (_, trust) = await s.LoadTrustAsync(ct).ConfigureAwait(false);
            var file = p.GetValue(output);
            await using var stream = file is null ? Console.OpenStandardOutput() : file.Create();
            int count = await BundleExport.WriteAsync(s, trust, reader.Id, c.Id, p.GetValue(all), $"bundle--{Guid.NewGuid()}", stream, ct).ConfigureAwait(false);
            await CliAudit.RecordAsync(s, "objects.export", c.Id, $"as={reader.Id} exported={count}", ct).ConfigureAwait(false);
            if (file is not null)
            {
                Console.Error.WriteLine($"Exported {count} objects to {file.FullName}.");
            }
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
                        var intake = StixIntake.Check(doc, Guid.NewGuid, Perisai.Patterning.PatternValidation.Options);
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
