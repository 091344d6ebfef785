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
}
