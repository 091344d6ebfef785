using System.CommandLine;
using Perisai.Cli.Commands;

var root = new RootCommand("Perisai: a STIX 2.1 / TAXII 2.1 threat-intelligence node for national CERTs.")
{
    ServeCommand.Create(),
    ProvisionCommands.Org(),
    ProvisionCommands.Key(),
    ProvisionCommands.Collection(),
    ProvisionCommands.ApiRoot(),
    TrustCommands.Community(),
    TrustCommands.Policy(),
    TrustCommands.Audit(),
    BundleCommands.Import(),
    BundleCommands.Export(),
    BundleCommands.Validate(),
    PatternCommands.Pattern(),
    ScanCommand.Create(),
    SightingsCommand.Create(),
    FeedCommands.Feed(),
    PeerCommands.Peer(),
    DemoCommand.Create(),
    AccountCommands.Account(),
};
return await root.Parse(args).InvokeAsync();
