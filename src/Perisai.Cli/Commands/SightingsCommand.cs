using Perisai.Server.Application;
using System.CommandLine;

namespace Perisai.Cli.Commands;

/// <summary><c>perisai sightings</c>: what members reported seeing, per indicator and per country.</summary>
internal static class SightingsCommand
{
    public static Command Create()
    {
        var indicator = new Option<string?>("--indicator") { Description = "Only this indicator's sightings." };
        var asOrg = new Option<string>("--as") { Description = "Organization whose view is shown: only the sightings it may read.", DefaultValueFactory = _ => TrustAdministration.OperatorOrg };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command("sightings", """
            Summarize the sightings reported to this node (perisai scan --report): per indicator, how many times, by how
            many organizations and countries, and when last. Only what the organization named by --as may read counts.

            Example:
              perisai sightings --as MyCERT
            """)
        { indicator, asOrg, json };
        LocalNode.Run(command, "sightings", async (p, node, ct) =>
        {
            var org = await node.OrganizationAsync(p.GetValue(asOrg)!, ct).ConfigureAwait(false);
            var reader = Reader.Within(await node.TrustModelAsync(ct).ConfigureAwait(false), org.Id);
            var rows = await node.Reads.SightingsAsync(reader, p.GetValue(indicator), ct).ConfigureAwait(false);
            return Output.Print(p.GetValue(json), rows,
                ("Indicator", r => r.Indicator),
                ("Count", r => r.Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)),
                ("Sightings", r => r.Sightings.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Countries", r => string.Join(" ", r.ByCountry.Select(kv => $"{kv.Key}:{kv.Value}"))),
                ("Last seen", r => r.LastSeen?.Text));
        });
        return command;
    }
}
