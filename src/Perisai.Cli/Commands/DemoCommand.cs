using System.CommandLine;
using Perisai.Cli.Demo;

namespace Perisai.Cli.Commands;

/// <summary><c>perisai demo region</c>: a whole region of demo nodes on loopback, joined, in one command.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Directory for the nodes' stores (one sub-directory each).", DefaultValueFactory = _ => "./perisai-region" };
        var port = new Option<int>("--port") { Description = "Port of the hub; the national nodes take the next ten.", DefaultValueFactory = _ => 8100 };
        var region = new Command("region", """
            Start the ASEAN Regional CERT's hub and the ten national CERTs' nodes on loopback ports, each with the demo
            directory, joined by invitations in a star through the hub plus a direct MyCERT-SingCERT link, and print
            their addresses and keys. Share something at one node and watch it reach the others (perisai peer status
            --data DIR/NODE, or /ui/ on each node). Ctrl+C stops them; starting again resumes.

            Example:
              perisai demo region --data ./perisai-region --port 8100
            """)
        { data, port };
        region.SetAction(async (p, ct) =>
        {
            int first = p.GetValue(port);
            if (first is < 1024 or > 65_000)
            {
                return Output.Fail("demo region", CliMessages.BadRegionPort(first));
            }
            await using var nodes = await DemoRegion.StartAsync(p.GetValue(data)!, [.. Enumerable.Range(first, 11)], null, Console.WriteLine, ct).ConfigureAwait(false);
            Console.WriteLine();
            foreach (var n in nodes.Nodes)
            {
                string analyst = DemoData.AccountName(n.Home);
                Console.WriteLine($"  {n.Home,-22} {n.Url,-24} data {n.DataDir}"
                    + (n.Keys.TryGetValue(analyst, out string? key) ? $"\n      {analyst} {key}" : "")
                    + (n.AdminKey is null ? "" : $"\n      admin {n.AdminKey}"));
            }
            Console.WriteLine("Running; Ctrl+C stops every node.");
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C.
            }
            return 0;
        });
        return new Command("demo", "Demonstrations that need more than one node.") { region };
    }
}
