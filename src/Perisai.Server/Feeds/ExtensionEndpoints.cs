using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Perisai.Interop.Misp;

namespace Perisai.Server.Feeds;

/// <summary>
/// The JSON Schemas of the STIX extensions this node writes (STIX 2.1 §7.3.1 <c>schema</c>): public, like the
/// definitions that name them, so any consumer of an export can check the extension's properties.
/// </summary>
public static class ExtensionEndpoints
{
    private static readonly string MispSchema = MispExtension.Schema();

    /// <summary>Maps the endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(MispExtension.SchemaPath, () => Results.Text(MispSchema, "application/schema+json"));
}
