namespace Perisai.Cli.Commands;

/// <summary>
/// The command line's own failure messages, printed after <c>perisai VERB:</c> (<see cref="Output.Fail"/>). Refusals
/// of the node's trust administration bring their own text (<c>Perisai.Server.Application.TrustMessages</c>).
/// </summary>
internal static class CliMessages
{
    public const string OrgOrCommunity = "name exactly one of --org and --community.";

    public const string NoPassword = "no password given.";

    public static string NoFile(string path) => $"{path} does not exist.";

    public static string NotTimestamp(string text) => $"'{text}' is not a timestamp (YYYY-MM-DDTHH:mm:ss[.s+]Z).";

    public static string BadInterval(string every) => $"--every {every}: give a number and a unit (s, m, h or d), at least 60s, e.g. 1h.";

    public static string NoCollection(string name) => $"no collection '{name}'; see 'perisai collection list'.";

    public static string UnknownColumnKind(string spec, string kind, IEnumerable<string> known) => $"--column {spec}: unknown kind '{kind}' ({string.Join(", ", known)}).";

    public static string NeedsDirectory(string format) => $"--format {format} writes a directory: give it with --out.";

    public const string ScanNoIndicators = "name the indicators: --indicators FILE... or --from NODE_URL.";

    public const string ScanReportNeedsFrom = "--report posts sightings to the node of --from; name it.";

    public const string ScanFollowOneFile = "--follow reads one growing log file; name exactly one.";

    public const string ScanSightingsNeedIdentity = "--sightings needs --identity identity--… (the scanning organization, for where_sighted_refs).";

    public const string ScanServerNoIdentity = "--sightings and --report need --identity identity--…: this server does not say which organization the key is.";

    public const string ServeLimits = "--max-content-length must be at least 1024 and --max-page-size at least 1.";

    public static string ScanUnknownFormat(string format, IEnumerable<string> known) => $"unknown format '{format}'; one of {string.Join(", ", known)}.";

    public static string ScanBadField(string field, IEnumerable<string> kinds) => $"--field {field}: write NAME=KIND, KIND one of {string.Join(", ", kinds)}.";

    public static string ScanBadIdentity(string identity) => $"--identity {identity}: a STIX identity id, identity--….";

    public static string ScanNoReadableCollection(string from, string? collection) => $"{from}: no collection {(collection is { } c ? $"'{c}' " : "")}that this key can read.";

    public static string ScanNoUsableIndicator(int loaded, int inactive, int needEngine, int suppressed) =>
        $"no usable indicator ({loaded} loaded, {inactive} revoked or not valid now, {needEngine} with patterns the engine cannot compile, {suppressed} allow-listed).";

    public static string ImportSummary(int added, int unchanged, int rejected, int problems, string collection) =>
        $"{added} object{(added == 1 ? "" : "s")} added to '{collection}', {unchanged} unchanged, {rejected} rejected" + (problems > 0 ? $", {problems} source problem{(problems == 1 ? "" : "s")}." : ".");

    public static string ScanCouldNotReport(string collection, string why) => $"could not report to collection {collection}: {why}";

    public static string BadPeerInterval(string text) => $"'{text}' is not an interval: continuous, or a number with s, m, h or d (30s, 5m, 1h)";

    public static string BadLink(string text) => $"'{text}' is not a link: give two collections as FROM=TO";

    public static string BadRegionPort(int port) => $"{port} cannot start eleven ports: give a port from 1024 to 65000";
}
