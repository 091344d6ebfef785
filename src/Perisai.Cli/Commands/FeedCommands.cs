using System.CommandLine;
using System.Globalization;
using Perisai.Server.Application;

namespace Perisai.Cli.Commands;

/// <summary><c>perisai feed add|list|run|remove</c>: feeds the server pulls on a schedule.</summary>
internal static class FeedCommands
{
    public static Command Feed()
    {
        var command = new Command("feed", """
            Manage feeds that the server (perisai serve) pulls on a schedule: MISP feeds, MISP events, CSV lists
            (abuse.ch presets) and STIX bundles, from a directory, a file or an http(s) URL. A failing feed is
            recorded with its error and never holds up the others; what it already imported stays.

            Examples:
              perisai feed add https://feodotracker.abuse.ch/downloads/ipblocklist.csv --name feodo --format csv --preset feodo --collection asean --every 1h
              perisai feed list
            """)
        { Add(), List(), Run(), Remove() };
        return command;
    }

    private static Command Add()
    {
        var source = new Argument<string>("source") { Description = "A MISP feed directory or URL, a file, or an http(s) URL." };
        var name = new Option<string>("--name") { Description = "A unique name for the feed.", Required = true };
        var format = new Option<string>("--format") { Description = "misp-feed, misp, csv or stix.", Required = true };
        var preset = new Option<string?>("--preset") { Description = "CSV layout (feodo, urlhaus, threatfox, malwarebazaar)." };
        var collection = new Option<string>("--collection") { Description = "Collection id or alias the feed fills.", Required = true };
        var asOrg = new Option<string>("--as") { Description = "Organization the feed's objects come from.", DefaultValueFactory = _ => TrustAdministration.OperatorOrg };
        var every = new Option<string>("--every") { Description = "Interval: 90s, 30m, 1h, 1d.", DefaultValueFactory = _ => "1h" };
        var command = new Command("add", "Add a feed; the server runs it at once, then at every interval.") { source, name, format, preset, collection, asOrg, every };
        LocalNode.Run(command, "feed add", async (p, node, ct) =>
        {
            if (Interval(p.GetValue(every)!) is not { } seconds)
            {
                return Output.Fail("feed add", CliMessages.BadInterval(p.GetValue(every)!));
            }
            var (feed, c) = await node.Feeds.AddAsync(Actor.Operator, p.GetValue(source)!, p.GetValue(name)!, p.GetValue(format)!, p.GetValue(preset), p.GetValue(collection)!,
                p.GetValue(asOrg)!, seconds, ct).ConfigureAwait(false);
            return Output.Done($"Feed '{feed.Name}' added: {feed.Format} into {c.Title} every {p.GetValue(every)}.");
        });
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("list", "List feeds with their last run: when, how long, what it added, and any error.") { json };
        LocalNode.Run(command, "feed list", async (p, node, ct) =>
        {
            var feeds = await node.Feeds.ListAsync(ct).ConfigureAwait(false);
            return Output.Print(p.GetValue(json), [.. feeds.Select(f => new
            {
                f.Name, f.Format, f.Source, every_seconds = f.EverySeconds,
                last_run = f.LastRun is { } t ? DateTimeOffset.UnixEpoch.AddTicks(t * 10).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : null,
                last_duration_ms = f.LastDurationMs, last_added = f.LastAdded, last_unchanged = f.LastUnchanged, last_rejected = f.LastRejected,
                last_error = f.LastError, f.Runs, f.Failures,
            })],
                ("Name", f => f.Name), ("Format", f => f.Format), ("Every", f => $"{f.every_seconds}s"), ("Last run", f => f.last_run ?? "never"),
                ("ms", f => f.last_duration_ms?.ToString(CultureInfo.InvariantCulture)), ("Added", f => f.last_added.ToString(CultureInfo.InvariantCulture)),
                ("Unchanged", f => f.last_unchanged.ToString(CultureInfo.InvariantCulture)), ("Rejected", f => f.last_rejected.ToString(CultureInfo.InvariantCulture)),
                ("Error", f => f.last_error));
        });
        return command;
    }

    private static Command Run()
    {
        var name = new Argument<string>("name") { Description = "Feed name or id." };
        var command = new Command("run", "Run a feed now and record the run, as the server would.") { name };
        LocalNode.Run(command, "feed run", async (p, node, ct) =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            var (feed, run) = await node.Feeds.RunAsync(p.GetValue(name)!, http, ct).ConfigureAwait(false);
            Console.WriteLine(run.Error is null
                ? $"Feed '{feed.Name}': {run.Added} added, {run.Unchanged} unchanged, {run.Rejected} rejected in {run.DurationMs} ms."
                : $"Feed '{feed.Name}' failed: {run.Error}");
            return run.Error is null ? 0 : 1;
        });
        return command;
    }

    private static Command Remove()
    {
        var name = new Argument<string>("name") { Description = "Feed name or id." };
        var command = new Command("remove", "Stop pulling a feed. What it imported stays.") { name };
        LocalNode.Run(command, "feed remove", async (p, node, ct) =>
        {
            await node.Feeds.RemoveAsync(Actor.Operator, p.GetValue(name)!, ct).ConfigureAwait(false);
            return Output.Done($"Feed '{p.GetValue(name)}' removed.");
        });
        return command;
    }

    /// <summary>"90s", "30m", "1h", "1d" in seconds; null when unreadable or under a minute (feeds are not a polling loop).</summary>
    internal static long? Interval(string text)
    {
        if (text.Length < 2 || !long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out long n))
        {
            return null;
        }
        long? seconds = text[^1] switch { 's' => n, 'm' => n * 60, 'h' => n * 3600, 'd' => n * 86400, _ => null };
        return seconds >= 60 ? seconds : null;
    }
}
